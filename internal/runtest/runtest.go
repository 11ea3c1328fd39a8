// Package runtest makes small, real run directories for the tests of the packages that read
// them (export, plot, report, the command line): a seeded NSGA-II search of NAS-Bench-BERT
// for the default proxy, parameters and the analytic (deterministic) latency.
package runtest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/zeronas/zeronas/internal/testspaces"
	"github.com/zeronas/zeronas/objectives/latency"
	"github.com/zeronas/zeronas/proxy"
	"github.com/zeronas/zeronas/search"
	"github.com/zeronas/zeronas/search/rundir"
	"github.com/zeronas/zeronas/space"
)

// Spec returns the specification of a small search: population 8, 4 generations, seed 1.
func Spec(t testing.TB) rundir.Spec {
	t.Helper()
	sp, err := space.Load(space.Default)
	if err != nil {
		t.Fatal(err)
	}
	objs, err := rundir.Specs("proxy,params,latency")
	if err != nil {
		t.Fatal(err)
	}
	set := proxy.DefaultSettings()
	set.Seed = 1 // as the command line's --seed sets it
	return rundir.Spec{Config: rundir.Config{Version: "test", Space: sp, Objectives: objs, Proxy: set,
		AlphaSource: "test", Strategy: rundir.NSGA2, NSGA2: search.NSGA2{PopSize: 8}, Seed: 1,
		Budget: rundir.Budget{Generations: 4}, Latency: rundir.LatencySpec{Model: latency.ModelFLOPs}}}
}

// Make runs spec (after edit, if not nil, changes it) into a new folder of t's and returns
// the folder.
func Make(t testing.TB, edit func(*rundir.Spec)) string {
	t.Helper()
	spec := Spec(t)
	if edit != nil {
		edit(&spec)
	}
	dir := filepath.Join(t.TempDir(), "run")
	if _, err := rundir.Start(context.Background(), dir, spec, rundir.Options{Workers: 2}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TinyGPT2 edits a Spec to search a GPT-2 space small enough that a front's weights take
// megabytes, with the gpt2 default alpha.
func TinyGPT2(s *rundir.Spec) {
	sp, err := space.Parse("tiny-gpt2", []byte(testspaces.TinyGPT2))
	if err != nil {
		panic("runtest: tiny GPT-2 space: " + err.Error())
	}
	s.Space, s.Proxy.Alpha = sp, proxy.DefaultAlphaFor(sp).Alpha
}
