package search_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"testing"

	"github.com/zeronas/zeronas/search"
	"github.com/zeronas/zeronas/search/testproblems"
)

// run is Minimize that fails the test on an error and records into the returned Memory.
func run[G any](t *testing.T, p search.Problem[G], v search.Variation[G], m search.Method, s search.Settings, resume *search.Resume[G]) (*search.Result[G], *search.Memory[G]) {
	t.Helper()
	mem := &search.Memory[G]{}
	res, err := search.Minimize(context.Background(), p, v, m, &s, &search.Options[G]{Recorder: mem, Resume: resume})
	if err != nil {
		t.Fatalf("Minimize: %v", err)
	}
	return res, mem
}

// sameRun fails unless a and b are the same run: status, state, archive and counts.
func sameRun[G any](t *testing.T, a, b *search.Result[G]) {
	t.Helper()
	switch {
	case a.Status != b.Status:
		t.Errorf("status %v and %v", a.Status, b.Status)
	case a.Evaluations != b.Evaluations:
		t.Errorf("evaluations %d and %d", a.Evaluations, b.Evaluations)
	case !reflect.DeepEqual(a.State, b.State):
		t.Errorf("states differ:\n%+v\n%+v", a.State, b.State)
	case !reflect.DeepEqual(a.Front, b.Front):
		t.Errorf("fronts differ (%d and %d members)", len(a.Front), len(b.Front))
	case a.Hypervolume != b.Hypervolume:
		t.Errorf("hypervolumes %v and %v", a.Hypervolume, b.Hypervolume)
	}
}

func zdt1Case(m search.Method) func(*testing.T, search.Settings, *search.Resume[[]float64]) (*search.Result[[]float64], *search.Memory[[]float64]) {
	p := testproblems.ZDT1()
	return func(t *testing.T, s search.Settings, r *search.Resume[[]float64]) (*search.Result[[]float64], *search.Memory[[]float64]) {
		return run(t, p, search.Variation[[]float64](p.Variation()), m, s, r)
	}
}

func gridCase(m search.Method) func(*testing.T, search.Settings, *search.Resume[cell]) (*search.Result[cell], *search.Memory[cell]) {
	return func(t *testing.T, s search.Settings, r *search.Resume[cell]) (*search.Result[cell], *search.Memory[cell]) {
		g := &grid{W: 30, H: 20, Limit: 35}
		return run(t, g, search.Variation[cell](g), m, s, r)
	}
}

// forEachCase runs f with ZDT1 and the grid under NSGA2 (both tournaments) and Random.
func forEachCase(t *testing.T, f func(t *testing.T, m search.Method, zdt bool)) {
	methods := []struct {
		name string
		m    search.Method
	}{
		{"nsga2", search.NSGA2{PopSize: 20}},
		{"nsga2-by-rank-with-duplicates", search.NSGA2{PopSize: 20, Tournament: search.ByRank, KeepDuplicates: true}},
		{"random", search.Random{BatchSize: 20}},
	}
	for _, m := range methods {
		for _, p := range []string{"zdt1", "grid"} {
			t.Run(m.name+"/"+p, func(t *testing.T) { f(t, m.m, p == "zdt1") })
		}
	}
}

// sameRuns runs do with settings a and with b and fails unless the runs are the same.
func sameRuns[G any](t *testing.T, do func(*testing.T, search.Settings, *search.Resume[G]) (*search.Result[G], *search.Memory[G]), a, b search.Settings) {
	t.Helper()
	x, _ := do(t, a, nil)
	y, _ := do(t, b, nil)
	sameRun(t, x, y)
}

// sameRunsOf is sameRuns on ZDT1 or on the grid.
func sameRunsOf(t *testing.T, m search.Method, zdt bool, a, b search.Settings) {
	t.Helper()
	if zdt {
		sameRuns(t, zdt1Case(m), a, b)
	} else {
		sameRuns(t, gridCase(m), a, b)
	}
}

func TestSameSeedSameFront(t *testing.T) {
	forEachCase(t, func(t *testing.T, m search.Method, zdt bool) {
		s := search.Settings{Seed: 7, Generations: 15}
		sameRunsOf(t, m, zdt, s, s)
	})
}

func TestConcurrentEqualsSerial(t *testing.T) {
	forEachCase(t, func(t *testing.T, m search.Method, zdt bool) {
		serial := search.Settings{Seed: 3, Generations: 15, Concurrent: 1}
		parallel := serial
		parallel.Concurrent = 8
		sameRunsOf(t, m, zdt, serial, parallel)
	})
}

func TestSeedsDiffer(t *testing.T) {
	forEachCase(t, func(t *testing.T, m search.Method, zdt bool) {
		if !zdt {
			t.Skip("the grid's front is found from any seed")
		}
		a, _ := zdt1Case(m)(t, search.Settings{Seed: 1, Generations: 5}, nil)
		b, _ := zdt1Case(m)(t, search.Settings{Seed: 2, Generations: 5}, nil)
		if reflect.DeepEqual(a.Front, b.Front) || reflect.DeepEqual(a.State.Population, b.State.Population) {
			t.Error("seeds 1 and 2 gave the same run")
		}
	})
}

// resumeEqualsStraight runs n generations straight, and in legs ending at each of ks then
// n, resuming each from the last; the results and everything recorded must agree.
func resumeEqualsStraight[G any](t *testing.T, do func(*testing.T, search.Settings, *search.Resume[G]) (*search.Result[G], *search.Memory[G]), n int, ks ...int) {
	s := search.Settings{Seed: 11, Generations: n}
	straight, all := do(t, s, nil)
	var res *search.Result[G]
	var resume *search.Resume[G]
	var evaluated []search.Individual[G]
	for _, k := range append(ks, n) {
		s.Generations = k
		var mem *search.Memory[G]
		res, mem = do(t, s, resume)
		evaluated = append(evaluated, mem.Evaluated...)
		var err error
		if resume, err = mem.Resume(); err != nil {
			t.Fatal(err)
		}
		resume.Evaluated = append(evaluated, mem.Front...)
	}
	sameRun(t, straight, res)
	if !reflect.DeepEqual(all.Evaluated, evaluated) {
		t.Errorf("recorded %d individuals straight, %d in legs", len(all.Evaluated), len(evaluated))
	}
}

func TestResumeEqualsStraightRun(t *testing.T) {
	forEachCase(t, func(t *testing.T, m search.Method, zdt bool) {
		if zdt {
			resumeEqualsStraight(t, zdt1Case(m), 12, 1, 5, 6)
		} else {
			resumeEqualsStraight(t, gridCase(m), 12, 4, 9)
		}
	})
}

func TestResumeThroughJSON(t *testing.T) {
	g := &grid{W: 30, H: 20, Limit: 35}
	m := search.NSGA2{PopSize: 12}
	straight, _ := run(t, g, search.Variation[cell](g), m, search.Settings{Seed: 4, Generations: 9}, nil)
	_, mem := run(t, g, search.Variation[cell](g), m, search.Settings{Seed: 4, Generations: 4}, nil)
	saved, _ := mem.Resume()
	data, err := json.Marshal(saved)
	if err != nil {
		t.Fatal(err)
	}
	var loaded search.Resume[cell]
	if err := json.Unmarshal(data, &loaded); err != nil {
		t.Fatal(err)
	}
	res, _ := run(t, g, search.Variation[cell](g), m, search.Settings{Seed: 4, Generations: 9}, &loaded)
	sameRun(t, straight, res)
}

func TestResumingACompleteRunReturnsAtOnce(t *testing.T) {
	g := &grid{W: 30, H: 20}
	s := search.Settings{Seed: 2, Generations: 6}
	done, mem := run(t, g, search.Variation[cell](g), search.NSGA2{PopSize: 10}, s, nil)
	resume, _ := mem.Resume()
	calls := g.calls.Load()
	res, mem2 := run(t, g, search.Variation[cell](g), search.NSGA2{PopSize: 10}, s, resume)
	if res.Status != search.GenerationLimit || res.Generations != 0 || res.NewEvaluations != 0 || g.calls.Load() != calls || mem2.State != nil {
		t.Errorf("status %v after %d generations and %d evaluations; want GenerationLimit at once", res.Status, res.Generations, res.NewEvaluations)
	}
	sameRun(t, done, res)
}

func TestResumeRejectsInconsistentState(t *testing.T) {
	g := &grid{W: 30, H: 20}
	_, mem := run(t, g, search.Variation[cell](g), search.NSGA2{PopSize: 10}, search.Settings{Generations: 3}, nil)
	tests := []struct {
		name  string
		spoil func(r *search.Resume[cell])
	}{
		{"an evaluation missing", func(r *search.Resume[cell]) { r.Evaluated = r.Evaluated[1:] }},
		{"an extra evaluation", func(r *search.Resume[cell]) { r.State.Evaluations-- }},
		{"hypervolumes missing", func(r *search.Resume[cell]) { r.State.Hypervolumes = r.State.Hypervolumes[1:] }},
		{"an individual from the future", func(r *search.Resume[cell]) { r.Evaluated[0].Generation = 9 }},
		{"a malformed evaluation", func(r *search.Resume[cell]) { r.Evaluated[0].Objectives = []float64{1} }},
		{"no ideal point", func(r *search.Resume[cell]) { r.State.Ideal = nil }},
		{"a negative generation", func(r *search.Resume[cell]) { r.State.Generation = -1 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _ := mem.Resume()
			r.Evaluated = slices.Clone(r.Evaluated)
			r.State.Hypervolumes = slices.Clone(r.State.Hypervolumes)
			tt.spoil(r)
			_, err := search.Minimize(context.Background(), g, g, search.NSGA2{PopSize: 10}, &search.Settings{Generations: 5},
				&search.Options[cell]{Resume: r})
			if !errors.Is(err, search.ErrBadResume) {
				t.Errorf("err = %v, want ErrBadResume", err)
			}
		})
	}
}

func TestNormalisation(t *testing.T) {
	t.Run("fallback: range of the first generation's feasible individuals", func(t *testing.T) {
		g := &grid{W: 30, H: 20, Limit: 30}
		res, mem := run(t, g, search.Variation[cell](g), search.Random{BatchSize: 50}, search.Settings{Generations: 3}, nil)
		ideal, nadir := []float64{1e9, 1e9}, []float64{-1e9, -1e9}
		for _, ind := range mem.Evaluated {
			if ind.Generation == 0 && ind.Feasible() {
				for j, f := range ind.Objectives {
					ideal[j], nadir[j] = min(ideal[j], f), max(nadir[j], f)
				}
			}
		}
		if !reflect.DeepEqual(res.State.Ideal, ideal) || !reflect.DeepEqual(res.State.Nadir, nadir) {
			t.Errorf("ideal %v and nadir %v, want %v and %v", res.State.Ideal, res.State.Nadir, ideal, nadir)
		}
	})
	t.Run("bounds that do not fit", func(t *testing.T) {
		p := badBounds{testproblems.ZDT1()}
		if _, err := search.Minimize(context.Background(), p, nil, search.Random{}, nil, nil); !errors.Is(err, search.ErrInvalidSettings) {
			t.Errorf("err = %v, want ErrInvalidSettings", err)
		}
	})
}

// badBounds is ZDT1 with its ideal and nadir points swapped.
type badBounds struct{ testproblems.ZDT }

func (b badBounds) Bounds() (ideal, nadir []float64) {
	ideal, nadir = b.ZDT.Bounds()
	return nadir, ideal
}
