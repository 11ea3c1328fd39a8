package report_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/zeronas/zeronas/proxy"
	"github.com/zeronas/zeronas/search"
	"github.com/zeronas/zeronas/search/exact"
	"github.com/zeronas/zeronas/search/nas"
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

func testConfig(strategy string, pop, gens int) (*rundir.Config, error) {
	sp, err := space.Load("nas-bench-bert")
	if err != nil {
		return nil, err
	}
	return &rundir.Config{Version: "test", Space: sp,
		Objectives: []rundir.ObjectiveSpec{{Name: "proxy", Sense: "max"}, {Name: "params", Sense: "min"}, {Name: "latency", Sense: "min"}},
		Proxy:      proxy.DefaultSettings(), AlphaSource: "default (test)", Latency: rundir.LatencySpec{Model: "flops", Description: "analytic estimate"},
		Strategy: strategy, NSGA2: search.NSGA2{PopSize: pop}, Seed: 7, Budget: rundir.Budget{Generations: gens}}, nil
}

// runSearch runs cfg into dir, resuming the run there when resume.
func runSearch(dir string, cfg *rundir.Config, resume bool, extra ...search.Recorder[space.Arch]) error {
	var rec *rundir.Recorder
	var res *search.Resume[space.Arch]
	var err error
	if resume {
		res, rec, err = rundir.Resume(dir, cfg)
		if err == nil {
			err = rundir.UpdateConfig(dir, cfg)
		}
	} else {
		rec, err = rundir.Create(dir, cfg, nil, false)
	}
	if err != nil {
		return err
	}
	p, err := cfg.Problem(dir)
	if err != nil {
		return err
	}
	m, err := cfg.Method()
	if err != nil {
		return err
	}
	prob, _ := nas.WithBounds(context.Background(), p)
	s := cfg.Settings()
	recs := append([]search.Recorder[space.Arch]{rec}, extra...)
	_, err = search.Minimize(context.Background(), prob, p, m, &s, &search.Options[space.Arch]{Recorder: search.Recorders(recs...), Resume: res})
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
	ex, _ := testConfig("exact", 0, 0)
	if _, err := rundir.Create(out["exact"], ex, nil, false); err != nil {
		return nil, err
	}
	p, err := ex.Problem(out["exact"])
	if err != nil {
		return nil, err
	}
	f, err := exact.Solve(context.Background(), nas.ExactProblem(p), exact.Options{All: true, MaxPerPoint: 3})
	if err != nil {
		return nil, err
	}
	if _, err := rundir.WriteExact(out["exact"], ex, p.Set, f); err != nil {
		return nil, err
	}
	return out, nil
}
