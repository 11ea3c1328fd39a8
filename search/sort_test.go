package search

import (
	"fmt"
	"math/rand"
	"reflect"
	"testing"
)

// randomEvals returns n evaluations of m objectives drawn from a few integer levels, so
// that ties and exact duplicates are common; a third of them violate 1 or 2 when
// constrained.
func randomEvals(rng *rand.Rand, n, m, levels int, constrained bool) []Eval {
	evals := make([]Eval, n)
	for i := range evals {
		f := make([]float64, m)
		for j := range f {
			f[j] = float64(rng.Intn(levels))
		}
		evals[i].Objectives = f
		if constrained && rng.Intn(3) == 0 {
			evals[i].Violation = float64(1 + rng.Intn(2))
		}
		if i > 0 && rng.Intn(8) == 0 { // an exact duplicate
			evals[i] = evals[rng.Intn(i)]
		}
	}
	return evals
}

// forShapes runs f for 1 to 4 objectives, with and without constraints.
func forShapes(t *testing.T, f func(t *testing.T, m int, constrained bool)) {
	for _, m := range []int{1, 2, 3, 4} {
		for _, constrained := range []bool{false, true} {
			t.Run(fmt.Sprintf("M=%d/constrained=%v", m, constrained), func(t *testing.T) { f(t, m, constrained) })
		}
	}
}

func TestNonDominatedSortMatchesDeb(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	forShapes(t, func(t *testing.T, m int, constrained bool) {
		for trial := range 300 {
			n := rng.Intn(60)
			levels := 1 + rng.Intn(8)
			evals := randomEvals(rng, n, m, levels, constrained)
			want, got := DebSort(evals), NonDominatedSort(evals)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("trial %d (n=%d, levels=%d): got %v, want %v\nevals %v", trial, n, levels, got, want, evals)
			}
		}
	})
}

func TestNonDominatedSortCases(t *testing.T) {
	e := func(v float64, f ...float64) Eval { return Eval{Objectives: f, Violation: v} }
	tests := []struct {
		name  string
		evals []Eval
		want  [][]int
	}{
		{"empty", nil, [][]int{}},
		{"chain", []Eval{e(0, 3, 3), e(0, 1, 1), e(0, 2, 2)}, [][]int{{1}, {2}, {0}}},
		{"trade-off", []Eval{e(0, 1, 3), e(0, 3, 1), e(0, 2, 2)}, [][]int{{0, 1, 2}}},
		{"duplicates share a front", []Eval{e(0, 1, 1), e(0, 1, 1), e(0, 2, 2)}, [][]int{{0, 1}, {2}}},
		{"feasible beats infeasible", []Eval{e(0.5, 0, 0), e(0, 9, 9)}, [][]int{{1}, {0}}},
		{"smaller violation wins", []Eval{e(2, 0, 0), e(1, 9, 9), e(1, 8, 9)}, [][]int{{2}, {1}, {0}}},
		{"same first objective", []Eval{e(0, 1, 2), e(0, 1, 1), e(0, 1, 3)}, [][]int{{1}, {0}, {2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NonDominatedSort(tt.evals); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("NonDominatedSort = %v, want %v", got, tt.want)
			}
			if got := DebSort(tt.evals); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("DebSort = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDominates(t *testing.T) {
	e := func(v float64, f ...float64) Eval { return Eval{Objectives: f, Violation: v} }
	tests := []struct {
		name string
		a, b Eval
		want bool
	}{
		{"better in one", e(0, 1, 2), e(0, 1, 3), true},
		{"equal", e(0, 1, 2), e(0, 1, 2), false},
		{"trade-off", e(0, 1, 3), e(0, 2, 2), false},
		{"feasible beats better infeasible", e(0, 9, 9), e(0.1, 0, 0), true},
		{"infeasible loses to feasible", e(0.1, 0, 0), e(0, 9, 9), false},
		{"smaller violation", e(1, 9, 9), e(2, 0, 0), true},
		{"equal violation, objectives decide", e(1, 0, 0), e(1, 1, 1), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Dominates(tt.a, tt.b); got != tt.want {
				t.Errorf("Dominates(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

func BenchmarkSort2D(b *testing.B) {
	for _, n := range []int{200, 1000, 5000} {
		rng := rand.New(rand.NewSource(1))
		evals := make([]Eval, n)
		for i := range evals {
			x := rng.Float64()
			evals[i].Objectives = []float64{x, 1 - x + 0.5*rng.Float64()}
		}
		b.Run(fmt.Sprintf("fast/N=%d", n), func(b *testing.B) {
			for b.Loop() {
				NonDominatedSort(evals)
			}
		})
		b.Run(fmt.Sprintf("deb/N=%d", n), func(b *testing.B) {
			for b.Loop() {
				DebSort(evals)
			}
		})
	}
}
