package testproblems

import (
	"context"
	"errors"
	"math"
	"math/rand"
	"testing"

	"github.com/zeronas/zeronas/search"
)

// all returns every problem of the package in a few configurations.
func all() []Benchmark {
	return []Benchmark{ZDT1(), ZDT2(), ZDT3(), ZDT{Number: 1, Vars: 5}, DTLZ2{}, DTLZ2{Objectives: 2, K: 5}, DTLZ2{Objectives: 5}}
}

// testProblem checks p against the contract of search.Problem.
func testProblem(t *testing.T, p Benchmark) {
	t.Helper()
	if err := Check(context.Background(), p, search.Variation[[]float64](p.Variation()), 1); err != nil {
		t.Error(err)
	}
}

func TestProblems(t *testing.T) {
	for _, p := range all() {
		t.Run(p.Name(), func(t *testing.T) { testProblem(t, p) })
	}
}

func TestParetoFront(t *testing.T) {
	for _, p := range all() {
		t.Run(p.Name(), func(t *testing.T) {
			front := p.ParetoFront(200)
			if len(front) < 100 || len(front) > 200 {
				t.Fatalf("%d points, want 100 to 200", len(front))
			}
			evals := make([]search.Eval, len(front))
			ideal, nadir := p.Bounds()
			for i, f := range front {
				evals[i].Objectives = f
				for m := range f {
					if f[m] < ideal[m]-1e-9 || f[m] > nadir[m]+1e-9 {
						t.Fatalf("point %v outside the bounds %v, %v", f, ideal, nadir)
					}
				}
				if got := onFront(t, p, f); !close(got, f, 1e-9) {
					t.Fatalf("point %v: a genome on the front evaluates to %v", f, got)
				}
			}
			if fronts := search.NonDominatedSort(evals); len(fronts) != 1 {
				t.Errorf("the front has %d ranks, want 1", len(fronts))
			}
			for m := range ideal { // the bounds are attained
				lo, hi := math.Inf(1), math.Inf(-1)
				for _, f := range front {
					lo, hi = min(lo, f[m]), max(hi, f[m])
				}
				if math.Abs(lo-ideal[m]) > 1e-6 || math.Abs(hi-nadir[m]) > 1e-6 {
					t.Errorf("objective %d spans [%v, %v], bounds [%v, %v]", m, lo, hi, ideal[m], nadir[m])
				}
			}
		})
	}
}

// onFront returns the objectives of the genome whose position variables put it at the
// front point f and whose distance variables are optimal.
func onFront(t *testing.T, p Benchmark, f []float64) []float64 {
	var x []float64
	switch p := p.(type) {
	case ZDT:
		x = make([]float64, p.box())
		x[0] = f[0]
	case DTLZ2:
		m, k := p.dims()
		x = make([]float64, m+k-1)
		for i := range x[m-1:] {
			x[m-1+i] = 0.5
		}
		// On the front, tan(x_j pi/2) = f_i / |(f_0, ..., f_{i-1})| for i = m-1-j.
		for j := range m - 1 {
			i := m - 1 - j
			x[j] = math.Atan2(f[i], norm(f[:i])) / (math.Pi / 2)
		}
	}
	e, err := p.Evaluate(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	return e.Objectives
}

func norm(f []float64) float64 {
	s := 0.0
	for _, v := range f {
		s += v * v
	}
	return math.Sqrt(s)
}

func close(a, b []float64, tol float64) bool {
	for i := range a {
		if math.Abs(a[i]-b[i]) > tol {
			return false
		}
	}
	return len(a) == len(b)
}

func TestTrueFrontHypervolume(t *testing.T) {
	tests := []struct {
		p    Benchmark
		want float64 // of the continuous front, with reference 1.1
	}{
		{ZDT1(), 0.1 + 2.0/3 + 0.11},
		{ZDT2(), 0.1 + 1.0/3 + 0.11},
		{DTLZ2{}, 1.331 - math.Pi/6},
	}
	for _, tt := range tests {
		t.Run(tt.p.Name(), func(t *testing.T) {
			ideal, nadir := tt.p.Bounds()
			hv := search.NormalizedHypervolume(tt.p.ParetoFront(5000), ideal, nadir)
			if hv > tt.want || hv < tt.want-0.01 {
				t.Errorf("hypervolume of the front %v, want just below %v", hv, tt.want)
			}
		})
	}
}

func TestLookup(t *testing.T) {
	for _, name := range Names() {
		if p, err := Lookup(name); err != nil || p.Name() != name {
			t.Errorf("Lookup(%q) = %v, %v", name, p, err)
		}
	}
	if _, err := Bench(context.Background(), "zdt9", 10, 1, 1); !errors.Is(err, ErrUnknownProblem) {
		t.Errorf("err = %v, want ErrUnknownProblem", err)
	}
}

func TestIGD(t *testing.T) {
	ref := [][]float64{{0, 1}, {1, 0}}
	if got := IGD([][]float64{{0, 1}, {1, 0}}, ref); got != 0 {
		t.Errorf("IGD of the reference itself = %v", got)
	}
	if got := IGD([][]float64{{0, 0}}, ref); got != 1 {
		t.Errorf("IGD = %v, want 1", got)
	}
	if got := IGD(nil, ref); !math.IsInf(got, 1) {
		t.Errorf("IGD of nothing = %v, want +Inf", got)
	}
}

func TestRandomGenomesAreValid(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for _, p := range all() {
		v := p.Variation()
		for range 100 {
			a, b := p.Sample(rng), p.Sample(rng)
			c, d := v.Crossover(a, b, rng)
			for _, x := range [][]float64{a, b, c, d, v.Mutate(c, rng)} {
				for _, xi := range x {
					if xi < 0 || xi > 1 {
						t.Fatalf("%s: variable %v outside [0, 1]", p.Name(), xi)
					}
				}
			}
		}
	}
}
