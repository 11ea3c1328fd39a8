package nas

import (
	"context"
	"math/rand"
	"sort"
	"testing"

	"github.com/zeronas/zeronas/objectives"
	"github.com/zeronas/zeronas/objectives/latency"
	"github.com/zeronas/zeronas/proxy"
	"github.com/zeronas/zeronas/search"
	"github.com/zeronas/zeronas/search/exact"
	"github.com/zeronas/zeronas/search/testproblems"
	"github.com/zeronas/zeronas/space"
)

func problem(t *testing.T, name string) *Problem {
	t.Helper()
	sp, err := space.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	z, err := proxy.NewZeroLM(proxy.DefaultSettings())
	if err != nil {
		t.Fatal(err)
	}
	objs := []objectives.Objective{objectives.NewProxy(z), objectives.NewParams(), objectives.NewLatency(latency.NewAnalytic(latency.Options{}))}
	set, err := objectives.NewSet(objs, 0, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	return &Problem{Space: sp, Set: set}
}

// TestContract runs the search package's Problem contract on every built-in space.
func TestContract(t *testing.T) {
	for _, name := range space.Names() {
		p := problem(t, name)
		if err := testproblems.Check(context.Background(), p, p, 1); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestExactEqualsExhaustive: on NAS-Bench-BERT the exact programme and an exhaustive search
// of all 10,621,440 architectures find the same front, vector for vector and architecture
// for architecture.
func TestExactEqualsExhaustive(t *testing.T) {
	if testing.Short() {
		t.Skip("enumerates 10.6M architectures")
	}
	p := problem(t, "nas-bench-bert")
	res, err := search.Minimize(context.Background(), p, p, search.Exhaustive{}, &search.Settings{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	f, err := exact.Solve(context.Background(), ExactProblem(p), exact.Options{All: true})
	if err != nil {
		t.Fatal(err)
	}
	var want, got []string
	for _, ind := range res.Front {
		want = append(want, ind.Key)
	}
	for _, pt := range f.Points {
		if int64(len(pt.Archs)) != pt.Count.Int64() {
			t.Fatalf("listed %d of %v architectures", len(pt.Archs), pt.Count)
		}
		for _, a := range pt.Archs {
			got = append(got, a.ID())
		}
	}
	sort.Strings(want)
	sort.Strings(got)
	if len(got) != len(want) {
		t.Fatalf("exact front has %d architectures, exhaustive %d", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("architecture %d: exact %s, exhaustive %s", i, got[i], want[i])
		}
	}
	t.Logf("%d architectures on %d vectors", len(got), len(f.Points))
}

func TestBoundsFromExactFront(t *testing.T) {
	p := problem(t, "flexibert-tiny")
	b, f, err := WithBounds(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if f == nil {
		t.Fatal("no exact front for decomposable objectives")
	}
	ideal, nadir := b.(search.Bounded).Bounds()
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 200; i++ {
		e, _ := p.Evaluate(context.Background(), p.Sample(rng))
		for j, v := range e.Objectives {
			if v < ideal[j] {
				t.Fatalf("objective %d of a sample %v beats the ideal %v", j, v, ideal[j])
			}
		}
	}
	for j := range ideal {
		if !(ideal[j] < nadir[j]) {
			t.Errorf("objective %d: ideal %v, nadir %v", j, ideal[j], nadir[j])
		}
	}
}

// TestNoSearchBeatsTheExactFront: the exact front is optimal, so no search's archive may have
// a larger hypervolume under the same normalisation; NSGA-II must come closer than random
// search at the same budget.
func TestNoSearchBeatsTheExactFront(t *testing.T) {
	p := problem(t, "flexibert-tiny")
	b, f, err := WithBounds(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	ideal, nadir := b.(search.Bounded).Bounds()
	var pts [][]float64
	for _, pt := range f.Points {
		pts = append(pts, p.Set.Minimised(pt.Values))
	}
	exactHV := search.NormalizedHypervolume(pts, ideal, nadir)
	ratio := map[string]float64{}
	for _, m := range []search.Method{search.NSGA2{PopSize: 50}, search.Random{BatchSize: 50}} {
		res, err := search.Minimize(context.Background(), b, p, m, &search.Settings{Seed: 1, Evaluations: 2000}, nil)
		if err != nil {
			t.Fatal(err)
		}
		ratio[m.String()] = res.Hypervolume / exactHV
		if res.Hypervolume > exactHV*(1+1e-12) {
			t.Errorf("%s: hypervolume %v above the exact front's %v", m, res.Hypervolume, exactHV)
		}
	}
	if !(ratio["nsga2"] > ratio["random"]) || ratio["nsga2"] < 0.9 {
		t.Errorf("hypervolume ratios %v: NSGA-II should beat random and pass 0.9", ratio)
	}
	t.Logf("ratios to the exact front at 2000 evaluations: %v", ratio)
}
