package report_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/zeronas/zeronas/proxy"
	"github.com/zeronas/zeronas/search"
	"github.com/zeronas/zeronas/search/export"
	"github.com/zeronas/zeronas/search/rundir"
	"github.com/zeronas/zeronas/space"
)

// Run directories the tests read, made once by real searches of NAS-Bench-BERT with the
// analytic latency (deterministic). This file writes them with today's rundir API.
var (
	fixturesOnce sync.Once
	fixtures     map[string]string
	fixturesErr  error
)

// fixture returns the run directory of the named test run: "nsga2" (stopped after 8
// generations and resumed to 12), "infeasible" (a parameter budget nothing meets),
// "exact" (the exact strategy), "random" (for comparisons) and "two" (proxy and parameters
// only, no latency).
func fixture(t testing.TB, name string) string {
	t.Helper()
	fixturesOnce.Do(func() { fixtures, fixturesErr = makeFixtures() })
	if fixturesErr != nil {
		t.Fatal(fixturesErr)
	}
	return fixtures[name]
}

func TestMain(m *testing.M) {
	code := m.Run()
	if fixtures != nil {
		os.RemoveAll(filepath.Dir(fixtures["nsga2"]))
	}
	os.Exit(code)
}

func testSpec(strategy rundir.Strategy, pop, gens int) (rundir.Spec, error) {
	sp, err := space.Load("nas-bench-bert")
	if err != nil {
		return rundir.Spec{}, err
	}
	return rundir.Spec{Config: rundir.Config{Version: "test", Space: sp,
		Objectives: []rundir.ObjectiveSpec{{Name: "proxy", Sense: "max"}, {Name: "params", Sense: "min"}, {Name: "latency", Sense: "min"}},
		Proxy:      proxy.DefaultSettings(), AlphaSource: "default (test)", Latency: rundir.LatencySpec{Model: "flops"},
		Strategy: strategy, NSGA2: search.NSGA2{PopSize: pop}, Seed: 7, Budget: rundir.Budget{Generations: gens}}}, nil
}

// runSearch starts the run of spec in dir, or continues it to spec's generations when
// resume, with extra recorders after the run directory's.
func runSearch(dir string, spec rundir.Spec, resume bool, extra ...search.Recorder[space.Arch]) error {
	var o rundir.Options
	if len(extra) > 0 {
		o.Recorder = search.Recorders(extra...)
	}
	if resume {
		g := spec.Budget.Generations
		_, err := rundir.Continue(context.Background(), dir, rundir.Overrides{Generations: &g}, o)
		return err
	}
	_, err := rundir.Start(context.Background(), dir, spec, o)
	return err
}

// exportedRun is a run's front as the export package writes it.
type exportedRun struct {
	Dir        string
	Objectives []rundir.ObjectiveSpec
	Front      []export.Member
}

func readExport(dir string) (*exportedRun, error) {
	r, err := rundir.Open(dir)
	if err != nil {
		return nil, err
	}
	return &exportedRun{Dir: dir, Objectives: r.Objectives(), Front: export.Members(r)}, nil
}

func makeFixtures() (map[string]string, error) {
	root, err := os.MkdirTemp("", "zeronas-report-test-")
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, name := range []string{"nsga2", "infeasible", "exact", "random", "two"} {
		out[name] = filepath.Join(root, name)
	}
	ctx := context.Background()
	spec, err := testSpec(rundir.NSGA2, 40, 8)
	if err != nil {
		return nil, err
	}
	if _, err := rundir.Start(ctx, out["nsga2"], spec, rundir.Options{}); err != nil {
		return nil, err
	}
	twelve := 12
	if _, err := rundir.Continue(ctx, out["nsga2"], rundir.Overrides{Generations: &twelve}, rundir.Options{}); err != nil {
		return nil, err
	}
	inf, _ := testSpec(rundir.NSGA2, 30, 5)
	inf.MaxParams = 1000
	rnd, _ := testSpec(rundir.Random, 40, 10)
	two, _ := testSpec(rundir.NSGA2, 20, 5)
	two.Objectives = two.Objectives[:2]
	two.Latency = rundir.LatencySpec{}
	ex, _ := testSpec(rundir.Exact, 2, 0)
	ex.Budget = rundir.Budget{}
	for _, r := range []struct {
		name string
		spec rundir.Spec
	}{{"infeasible", inf}, {"random", rnd}, {"two", two}, {"exact", ex}} {
		if _, err := rundir.Start(ctx, out[r.name], r.spec, rundir.Options{}); err != nil {
			return nil, err
		}
	}
	return out, nil
}
