package search

import (
	"slices"
	"sort"
)

// paretoDominates reports whether a is no worse than b in every objective and better in at
// least one (all objectives minimised).
func paretoDominates(a, b []float64) bool {
	better := false
	for i, x := range a {
		switch {
		case x > b[i]:
			return false
		case x < b[i]:
			better = true
		}
	}
	return better
}

// Dominates reports whether a constrained-dominates b (Deb et al. 2002, section VI): a has
// the smaller violation, or both have the same violation and a Pareto-dominates b. A
// feasible a therefore dominates every infeasible b.
func Dominates(a, b Eval) bool {
	if a.Violation != b.Violation {
		return a.Violation < b.Violation
	}
	return paretoDominates(a.Objectives, b.Objectives)
}

// NonDominatedSort returns the fronts of evals under constrained domination: fronts[0]
// holds the indexes of the non-dominated evaluations, fronts[1] those dominated only by
// fronts[0], and so on; indexes increase within a front. Equal evaluations share a front.
// It gives the same fronts as DebSort, faster: one lexicographic sort, then for each level
// of violation an O(N log N) sweep for two objectives (Jensen 2003) or efficient
// non-dominated sort with binary search (ENS-BS, Zhang et al. 2015) for more.
func NonDominatedSort(evals []Eval) [][]int {
	ranks := make([]int, len(evals))
	return frontsOf(ranks, rank(evals, ranks))
}

// DebSort is Deb's fast non-dominated sort (Deb et al. 2002, section III-A), O(MN²): the
// reference NonDominatedSort is tested against.
func DebSort(evals []Eval) [][]int {
	n := len(evals)
	dominated := make([][]int, n) // dominated[p]: the indexes p dominates
	count := make([]int, n)       // count[q]: how many dominate q
	for p := range n {
		for q := p + 1; q < n; q++ {
			switch {
			case Dominates(evals[p], evals[q]):
				dominated[p] = append(dominated[p], q)
				count[q]++
			case Dominates(evals[q], evals[p]):
				dominated[q] = append(dominated[q], p)
				count[p]++
			}
		}
	}
	fronts := [][]int{}
	var front []int
	for p := range n {
		if count[p] == 0 {
			front = append(front, p)
		}
	}
	for len(front) > 0 {
		fronts = append(fronts, front)
		var next []int
		for _, p := range front {
			for _, q := range dominated[p] {
				if count[q]--; count[q] == 0 {
					next = append(next, q)
				}
			}
		}
		slices.Sort(next)
		front = next
	}
	return fronts
}

// frontsOf groups indexes by rank, in increasing order within each of the n fronts, all
// in one backing array.
func frontsOf(ranks []int, n int) [][]int {
	start := make([]int, n+1) // front k will fill flat[start[k]:start[k+1]]
	for _, r := range ranks {
		start[r+1]++
	}
	for k := range n {
		start[k+1] += start[k]
	}
	flat := make([]int, len(ranks))
	fronts := make([][]int, n)
	for k := range fronts {
		fronts[k] = flat[start[k]:start[k]:start[k+1]]
	}
	for i, r := range ranks {
		fronts[r] = append(fronts[r], i)
	}
	return fronts
}

// compareEvals orders evaluations by violation, then lexicographically by objectives.
func compareEvals(a, b *Eval) int {
	if a.Violation != b.Violation {
		if a.Violation < b.Violation {
			return -1
		}
		return 1
	}
	return compareVectors(a.Objectives, b.Objectives)
}

// compareVectors orders vectors of equal length lexicographically. It is slices.Compare
// without the handling of NaN, which evaluations never hold.
func compareVectors(a, b []float64) int {
	for i, x := range a {
		if y := b[i]; x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}

// rank writes the front number of each evaluation into ranks and returns the number of
// fronts. See NonDominatedSort.
func rank(evals []Eval, ranks []int) int {
	order := make([]int, len(evals))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		if c := compareEvals(&evals[a], &evals[b]); c != 0 {
			return c
		}
		return a - b
	})
	fronts := 0
	for lo := 0; lo < len(order); {
		hi := lo + 1
		for hi < len(order) && evals[order[hi]].Violation == evals[order[lo]].Violation {
			hi++
		}
		if len(evals[order[lo]].Objectives) == 2 {
			fronts += rank2(evals, order[lo:hi], ranks, fronts)
		} else {
			fronts += rankENS(evals, order[lo:hi], ranks, fronts)
		}
		lo = hi
	}
	return fronts
}

// rank2 ranks two-objective evaluations given in lexicographic order, starting at front
// base, and returns the number of fronts. A front's last member has its smallest second
// objective, so one comparison tells whether the front dominates the next point, and the
// answer is monotone in the front number, so a binary search finds the point's front.
func rank2(evals []Eval, order []int, ranks []int, base int) int {
	var last []int // last[k]: the latest member of front k
	for _, i := range order {
		p := evals[i].Objectives
		k := sort.Search(len(last), func(k int) bool {
			q := evals[last[k]].Objectives
			return !(q[1] < p[1] || q[1] == p[1] && q[0] < p[0])
		})
		if k == len(last) {
			last = append(last, i)
		} else {
			last[k] = i
		}
		ranks[i] = base + k
	}
	return len(last)
}

// rankENS ranks evaluations given in lexicographic order (no point is dominated by a later
// one) by ENS-BS, starting at front base, and returns the number of fronts.
func rankENS(evals []Eval, order []int, ranks []int, base int) int {
	fronts := [][]int{}
	for _, i := range order {
		p := evals[i].Objectives
		k := sort.Search(len(fronts), func(k int) bool {
			f := fronts[k]
			for j := len(f) - 1; j >= 0; j-- {
				if paretoDominates(evals[f[j]].Objectives, p) {
					return false
				}
			}
			return true
		})
		if k == len(fronts) {
			fronts = append(fronts, nil)
		}
		fronts[k] = append(fronts[k], i)
		ranks[i] = base + k
	}
	return len(fronts)
}
