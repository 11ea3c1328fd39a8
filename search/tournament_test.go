package search

import (
	"math/rand"
	"testing"
)

func TestCompete(t *testing.T) {
	e := func(v float64, f ...float64) Eval { return Eval{Objectives: f, Violation: v} }
	tests := []struct {
		name  string
		a, b  Eval
		ranks []int
		crowd []float64
		kind  TournamentKind
		want  int // 0 (a), 1 (b) or -1 (either, at random)
	}{
		{"feasible beats infeasible", e(1, 0, 0), e(0, 5, 5), []int{1, 0}, []float64{9, 0}, ByDominance, 1},
		{"smaller violation wins", e(1, 5, 5), e(2, 0, 0), []int{0, 1}, []float64{0, 9}, ByDominance, 0},
		{"equal violation is a coin toss", e(1, 5, 5), e(1, 0, 0), []int{1, 0}, []float64{0, 9}, ByDominance, -1},
		{"dominance before crowding", e(0, 1, 1), e(0, 2, 2), []int{0, 1}, []float64{0, 9}, ByDominance, 0},
		{"crowding when neither dominates", e(0, 1, 2), e(0, 2, 1), []int{0, 0}, []float64{1, 2}, ByDominance, 1},
		{"ByDominance ignores rank", e(0, 1, 3), e(0, 2, 1), []int{3, 0}, []float64{5, 2}, ByDominance, 0},
		{"ByRank uses rank", e(0, 1, 3), e(0, 2, 1), []int{3, 0}, []float64{5, 2}, ByRank, 1},
		{"equal crowding is a coin toss", e(0, 1, 2), e(0, 2, 1), []int{0, 0}, []float64{1, 1}, ByRank, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rng := rand.New(rand.NewSource(1))
			wins := [2]int{}
			for range 200 {
				wins[compete(0, 1, []Eval{tt.a, tt.b}, tt.ranks, tt.crowd, tt.kind, rng)]++
			}
			switch {
			case tt.want >= 0 && wins[tt.want] != 200:
				t.Errorf("wins %v, want all for %d", wins, tt.want)
			case tt.want < 0 && (wins[0] < 60 || wins[1] < 60):
				t.Errorf("wins %v, want a fair coin", wins)
			}
		})
	}
}

func TestTournamentUsesEveryoneEqually(t *testing.T) {
	n := 10
	evals := make([]Eval, n)
	for i := range evals {
		evals[i].Objectives = []float64{float64(i), float64(n - i)}
	}
	ranks, crowd := rankAndCrowd(evals)
	winners := tournament(n/2, evals, ranks, crowd, ByDominance, rand.New(rand.NewSource(3)))
	if len(winners) != n {
		t.Fatalf("%d winners, want %d", len(winners), n)
	}
	counts := make([]int, n)
	for _, w := range winners {
		counts[w]++
	}
	// n tournaments draw their 2n contestants from two permutations, so everyone
	// competes exactly twice and no one can win more than twice.
	for i, c := range counts {
		if c > 2 {
			t.Errorf("individual %d won %d tournaments, at most 2 possible", i, c)
		}
	}
}
