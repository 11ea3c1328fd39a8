package search_test

import (
	"context"
	"errors"
	"math"
	"reflect"
	"slices"
	"testing"

	"github.com/zeronas/zeronas/search"
	"github.com/zeronas/zeronas/search/testproblems"
)

// bruteFront evaluates every cell of g and returns the constrained non-dominated ones.
func bruteFront(t *testing.T, g *grid) []search.Individual[cell] {
	var all []search.Individual[cell]
	_ = g.Enumerate(context.Background(), func(c cell) bool {
		e, err := g.Evaluate(context.Background(), c)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, search.Individual[cell]{Genome: c, Key: g.Key(c), Eval: e})
		return true
	})
	var front []search.Individual[cell]
	for _, a := range all {
		if !slices.ContainsFunc(all, func(b search.Individual[cell]) bool { return search.Dominates(b.Eval, a.Eval) }) {
			front = append(front, a)
		}
	}
	slices.SortFunc(front, func(a, b search.Individual[cell]) int {
		if c := slices.Compare(a.Objectives, b.Objectives); c != 0 {
			return c
		}
		return compareKeys(a.Key, b.Key)
	})
	return front
}

func compareKeys(a, b string) int {
	if a < b {
		return -1
	}
	if a > b {
		return 1
	}
	return 0
}

// genomes returns the genomes of inds.
func genomes[G any](inds []search.Individual[G]) []G {
	out := make([]G, len(inds))
	for i, ind := range inds {
		out[i] = ind.Genome
	}
	return out
}

func TestExhaustiveFindsTheExactFront(t *testing.T) {
	for _, tc := range []struct {
		name string
		g    *grid
	}{
		{"feasible", &grid{W: 40, H: 30, Limit: 50}},
		{"nothing feasible", &grid{W: 40, H: 30, Hopeless: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := bruteFront(t, tc.g)
			res, _ := run(t, tc.g, nil, search.Exhaustive{ChunkSize: 64}, search.Settings{Concurrent: 3}, nil)
			if res.Status != search.Complete || res.Evaluations != 1200 {
				t.Errorf("status %v after %d evaluations, want Complete after 1200", res.Status, res.Evaluations)
			}
			if !reflect.DeepEqual(genomes(res.Front), genomes(want)) {
				t.Errorf("front %v, want %v", genomes(res.Front), genomes(want))
			}
			if res.Feasible != !tc.g.Hopeless {
				t.Errorf("Feasible = %v", res.Feasible)
			}
		})
	}
}

func TestExhaustiveResumes(t *testing.T) {
	g := &grid{W: 40, H: 30, Limit: 50}
	m := search.Exhaustive{ChunkSize: 100}
	straight, _ := run(t, g, nil, m, search.Settings{}, nil)
	part, mem := run(t, g, nil, m, search.Settings{Generations: 4}, nil)
	if part.Status != search.GenerationLimit || part.Evaluations != 500 {
		t.Fatalf("first leg: %v after %d evaluations", part.Status, part.Evaluations)
	}
	resume, err := mem.Resume()
	if err != nil {
		t.Fatal(err)
	}
	rest, mem := run(t, g, nil, m, search.Settings{}, resume)
	sameRun(t, straight, rest)
	resume, _ = mem.Resume()
	again, _ := run(t, g, nil, m, search.Settings{}, resume)
	if again.Status != search.Complete || again.Generations != 0 {
		t.Errorf("resuming a complete run: %v after %d generations, want Complete after 0", again.Status, again.Generations)
	}
}

func TestExhaustiveNeedsEnumerable(t *testing.T) {
	p := testproblems.ZDT1()
	_, err := search.Minimize(context.Background(), p, nil, search.Exhaustive{}, nil, nil)
	if !errors.Is(err, search.ErrNotEnumerable) {
		t.Errorf("err = %v, want ErrNotEnumerable", err)
	}
}

func TestDuplicatesAreNotReevaluated(t *testing.T) {
	for _, m := range []search.Method{search.NSGA2{PopSize: 10}, search.NSGA2{PopSize: 10, KeepDuplicates: true}, search.Random{BatchSize: 10}} {
		t.Run(m.String(), func(t *testing.T) {
			g := &grid{W: 6, H: 5}
			res, mem := run(t, g, g, m, search.Settings{Generations: 30}, nil)
			if calls := g.calls.Load(); calls != int64(res.Evaluations) || res.Evaluations > 30 {
				t.Errorf("%d calls for %d evaluations of a 30-cell grid", calls, res.Evaluations)
			}
			keys := map[string]bool{}
			for _, ind := range mem.Evaluated {
				if keys[ind.Key] {
					t.Errorf("%s reported twice", ind.Key)
				}
				keys[ind.Key] = true
			}
		})
	}
}

func TestRandomCompletesASmallSpace(t *testing.T) {
	g := &grid{W: 6, H: 5}
	res, _ := run(t, g, nil, search.Random{BatchSize: 7}, search.Settings{Generations: 1000}, nil)
	if res.Status != search.Complete || res.Evaluations != 30 {
		t.Errorf("status %v after %d evaluations, want Complete after 30", res.Status, res.Evaluations)
	}
	if want := bruteFront(t, g); !reflect.DeepEqual(genomes(res.Front), genomes(want)) {
		t.Errorf("front %v, want %v", genomes(res.Front), genomes(want))
	}
}

func TestEvaluationBudgetIsExact(t *testing.T) {
	p := testproblems.ZDT1()
	for _, m := range []search.Method{search.NSGA2{PopSize: 100}, search.Random{}} {
		t.Run(m.String(), func(t *testing.T) {
			res, _ := run(t, p, search.Variation[[]float64](p.Variation()), m, search.Settings{Evaluations: 250}, nil)
			if res.Status != search.EvaluationLimit || res.Evaluations != 250 || res.State.Generation != 2 {
				t.Errorf("%v after %d evaluations in generation %d, want EvaluationLimit, 250, 2", res.Status, res.Evaluations, res.State.Generation)
			}
		})
	}
}

func TestNothingFeasible(t *testing.T) {
	g := &grid{W: 20, H: 10, Hopeless: true}
	res, _ := run(t, g, g, search.NSGA2{PopSize: 12}, search.Settings{Generations: 20}, nil)
	if res.Feasible || res.Hypervolume != 0 {
		t.Errorf("Feasible %v, Hypervolume %v; want false, 0", res.Feasible, res.Hypervolume)
	}
	for _, ind := range res.Front {
		if ind.Violation != 1 {
			t.Errorf("front member %s violates %v, want the least, 1", ind.Key, ind.Violation)
		}
	}
	want := genomes(bruteFront(t, g))
	for _, c := range genomes(res.Front) {
		if !slices.Contains(want, c) {
			t.Errorf("front member %v is not on the least-violating front %v", c, want)
		}
	}
	for _, ind := range res.State.Population[:len(res.Front)] {
		if ind.Violation != 1 {
			t.Errorf("population leads with violation %v, want 1", ind.Violation)
		}
	}
}

func TestHypervolumeStall(t *testing.T) {
	g := &grid{W: 8, H: 8}
	s := search.Settings{Generations: 500, Termination: search.HypervolumeStall{Generations: 5, Tol: 1e-12}}
	res, _ := run(t, g, g, search.NSGA2{PopSize: 8}, s, nil)
	if res.Status != search.Stalled || res.State.Generation >= 500 {
		t.Errorf("status %v at generation %d, want Stalled early", res.Status, res.State.Generation)
	}
	hv := res.State.Hypervolumes
	if n := len(hv); hv[n-1] != hv[n-6] || hv[n-1] <= 0 {
		t.Errorf("hypervolumes %v do not end in a stall", hv)
	}
}

func TestHypervolumeIsReported(t *testing.T) {
	p := testproblems.ZDT1()
	s := search.Settings{Seed: 5, Generations: 10}
	rep := &reports[[]float64]{}
	_, err := search.Minimize(context.Background(), p, p.Variation(), search.NSGA2{PopSize: 30}, &s, &search.Options[[]float64]{Recorder: rep})
	if err != nil {
		t.Fatal(err)
	}
	ideal, nadir := p.Bounds()
	prev := -1.0
	for _, r := range rep.all {
		points := make([][]float64, len(r.Front))
		for i, ind := range r.Front {
			points[i] = ind.Objectives
			if !r.InFront(ind.Key) {
				t.Errorf("InFront(%s) = false for a front member", ind.Key)
			}
		}
		if want := search.NormalizedHypervolume(points, ideal, nadir); math.Abs(r.Hypervolume-want) > 1e-12 {
			t.Errorf("generation %d: hypervolume %v, want %v", r.Generation, r.Hypervolume, want)
		}
		if r.Hypervolume < prev {
			t.Errorf("generation %d: the archive's hypervolume fell from %v to %v", r.Generation, prev, r.Hypervolume)
		}
		prev = r.Hypervolume
		if !reflect.DeepEqual(r.Reference, []float64{1.1, 1.1}) || !reflect.DeepEqual(r.State.Ideal, ideal) {
			t.Errorf("reference %v, ideal %v", r.Reference, r.State.Ideal)
		}
	}
}
