package report_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/zeronas/zeronas/proxy"
	"github.com/zeronas/zeronas/search"
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

func testConfig(strategy rundir.Strategy, pop, gens int) (*rundir.Config, error) {
	sp, err := space.Load("nas-bench-bert")
	if err != nil {
		return nil, err
	}
	return &rundir.Config{Version: "test", Space: sp,
		Objectives: []rundir.ObjectiveSpec{{Name: "proxy", Sense: "max"}, {Name: "params", Sense: "min"}, {Name: "latency", Sense: "min"}},
		Proxy:      proxy.DefaultSettings(), AlphaSource: "default (test)", Latency: rundir.LatencySpec{Model: "flops"},
		Strategy: strategy, NSGA2: search.NSGA2{PopSize: pop}, Seed: 7, Budget: rundir.Budget{Generations: gens}}, nil
}

// runSearch runs cfg into dir, or resumes the run there to cfg's budget when resume.
func runSearch(dir string, cfg *rundir.Config, resume bool, extra ...search.Recorder[space.Arch]) error {
	o := rundir.Options{Workers: 1}
	if len(extra) > 0 {
		o.Recorder = search.Recorders(extra...)
	}
	var err error
	if resume {
		_, err = rundir.Continue(context.Background(), dir, rundir.Overrides{Generations: &cfg.Budget.Generations}, o)
	} else {
		_, err = rundir.Start(context.Background(), dir, rundir.Spec{Config: *cfg}, o)
	}
	return err
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
	cfg, err := testConfig("nsga2", 40, 8)
	if err != nil {
		return nil, err
	}
	if err := runSearch(out["nsga2"], cfg, false); err != nil {
		return nil, err
	}
	cfg.Budget.Generations = 12
	if err := runSearch(out["nsga2"], cfg, true); err != nil {
		return nil, err
	}
	inf, _ := testConfig("nsga2", 30, 5)
	inf.MaxParams = 1000
	if err := runSearch(out["infeasible"], inf, false); err != nil {
		return nil, err
	}
	rnd, _ := testConfig("random", 40, 10)
	if err := runSearch(out["random"], rnd, false); err != nil {
		return nil, err
	}
	two, _ := testConfig("nsga2", 20, 5)
	two.Objectives = two.Objectives[:2]
	two.Latency = rundir.LatencySpec{}
	if err := runSearch(out["two"], two, false); err != nil {
		return nil, err
	}
	ex, _ := testConfig("exact", 2, 0)
	ex.Budget = rundir.Budget{}
	ex.ExactAll = true
	if err := runSearch(out["exact"], ex, false); err != nil {
		return nil, err
	}
	return out, nil
}

// frontOf is the front of a run as rundir reads it: the tests' reference.
type frontOf struct {
	Front      []rundir.FrontEntry
	Objectives []rundir.ObjectiveSpec
}

func readFront(dir string) (*frontOf, error) {
	run, err := rundir.Open(dir)
	if err != nil {
		return nil, err
	}
	return &frontOf{Front: run.Front.Front, Objectives: run.Objectives()}, nil
}
