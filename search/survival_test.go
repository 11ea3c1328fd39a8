package search

import (
	"math/rand"
	"reflect"
	"testing"
)

func TestSurvive(t *testing.T) {
	e := func(v float64, f ...float64) Eval { return Eval{Objectives: f, Violation: v} }
	tests := []struct {
		name  string
		evals []Eval
		n     int
		want  []int
	}{
		{
			name: "whole fronts in order",
			// front 0: 1, 3; front 1: 0, 2; front 2: 4
			evals: []Eval{e(0, 2, 3), e(0, 1, 2), e(0, 3, 2), e(0, 2, 1), e(0, 4, 4)},
			n:     4, want: []int{1, 3, 0, 2},
		},
		{
			name: "last front truncated by crowding",
			// one front: ends 0 and 4 are infinite; 2 has the widest gap
			evals: []Eval{e(0, 0, 10), e(0, 1, 9), e(0, 5, 5), e(0, 9.5, 0.5), e(0, 10, 0)},
			n:     3, want: []int{0, 4, 2},
		},
		{
			name:  "least violating fill up when too few are feasible",
			evals: []Eval{e(3, 0, 0), e(0, 5, 5), e(1, 9, 9), e(2, 0, 0)},
			n:     3, want: []int{1, 2, 3},
		},
		{
			name:  "nothing feasible",
			evals: []Eval{e(3, 0, 0), e(1, 5, 5), e(1, 4, 6), e(2, 0, 0)},
			n:     2, want: []int{1, 2},
		},
		{
			name:  "n above the size keeps all",
			evals: []Eval{e(0, 1, 1), e(0, 2, 2)},
			n:     5, want: []int{0, 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, _, _ := survive(tt.evals, tt.n); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("survive = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSurvivorsRankedAsIfAnew(t *testing.T) {
	// A resumed run ranks and crowds its saved population from scratch; a straight run
	// takes both from survival. They must agree bit for bit.
	rng := rand.New(rand.NewSource(6))
	forShapes(t, func(t *testing.T, m int, constrained bool) {
		for range 300 {
			evals := randomEvals(rng, rng.Intn(80), m, 1+rng.Intn(10), constrained)
			keep, ranks, crowd := survive(evals, rng.Intn(len(evals)+2))
			survivors := make([]Eval, len(keep))
			for j, i := range keep {
				survivors[j] = evals[i]
			}
			wantRanks, wantCrowd := rankAndCrowd(survivors)
			if len(keep) > 0 && (!reflect.DeepEqual(ranks, wantRanks) || !reflect.DeepEqual(crowd, wantCrowd)) {
				t.Fatalf("survival ranked %v crowded %v; anew %v %v", ranks, crowd, wantRanks, wantCrowd)
			}
		}
	})
}
