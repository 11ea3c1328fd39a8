package search

import "math/rand"

// tournament returns the winners of 2n binary tournaments over a population with the
// given evaluations, front ranks and crowding distances: the parents of n matings, in
// pairs. Contestants are drawn from concatenated random permutations of the population,
// as pymoo's TournamentSelection does, so every individual competes about equally often.
func tournament(n int, evals []Eval, ranks []int, crowd []float64, kind TournamentKind, rng *rand.Rand) []int {
	contestants := make([]int, 0, 4*n+len(evals))
	for len(contestants) < 4*n {
		contestants = append(contestants, rng.Perm(len(evals))...)
	}
	winners := make([]int, 2*n)
	for i := range winners {
		winners[i] = compete(contestants[2*i], contestants[2*i+1], evals, ranks, crowd, kind, rng)
	}
	return winners
}

// compete returns the winner of a binary tournament between a and b in pymoo's order: if
// either is infeasible the smaller violation wins; otherwise Pareto dominance (ByDominance)
// or the lower front rank (ByRank) wins; otherwise the larger crowding distance wins; a
// tie left after that is broken at random.
func compete(a, b int, evals []Eval, ranks []int, crowd []float64, kind TournamentKind, rng *rand.Rand) int {
	ea, eb := evals[a], evals[b]
	if !ea.Feasible() || !eb.Feasible() {
		return better(a, b, ea.Violation, eb.Violation, rng)
	}
	switch kind {
	case ByDominance:
		if paretoDominates(ea.Objectives, eb.Objectives) {
			return a
		}
		if paretoDominates(eb.Objectives, ea.Objectives) {
			return b
		}
	case ByRank:
		if ranks[a] != ranks[b] {
			return better(a, b, float64(ranks[a]), float64(ranks[b]), rng)
		}
	}
	return better(a, b, -crowd[a], -crowd[b], rng)
}

// better returns a if x < y, b if y < x, and one of them at random on a tie.
func better(a, b int, x, y float64, rng *rand.Rand) int {
	switch {
	case x < y:
		return a
	case y < x:
		return b
	case rng.Intn(2) == 0:
		return a
	default:
		return b
	}
}
