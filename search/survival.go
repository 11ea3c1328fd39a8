package search

import (
	"cmp"
	"slices"
)

// survive returns the indexes of the n evaluations that survive NSGA-II's elitist
// (mu+lambda) selection: whole fronts in order while they fit, then the members of the
// first front that does not fit by decreasing crowding distance (ties by index). Fronts
// are taken under constrained domination, so feasible individuals come first and, when too
// few are feasible, the least-violating fill up. Survivors are returned in that order,
// with their front ranks and their crowding distances among the survivors: exactly what
// rankAndCrowd of the survivors returns, which a resumed run computes instead.
func survive(evals []Eval, n int) (keep, ranks []int, crowd []float64) {
	all := make([]int, len(evals))
	fronts := frontsOf(all, rank(evals, all))
	for k, f := range fronts {
		if len(keep) == n {
			break
		}
		if len(keep)+len(f) > n { // the last front, truncated
			dist := crowdingOf(evals, f)
			order := make([]int, len(f))
			for j := range order {
				order[j] = j
			}
			slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(dist[b], dist[a]) })
			cut := make([]int, n-len(keep))
			for j := range cut {
				cut[j] = f[order[j]]
			}
			f = cut
		}
		keep = append(keep, f...)
		crowd = append(crowd, crowdingOf(evals, f)...)
		for range f {
			ranks = append(ranks, k)
		}
	}
	return keep, ranks, crowd
}
