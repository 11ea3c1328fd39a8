package search

import (
	"math"
	"slices"
)

// CrowdingDistance returns the crowding distance of each point of one front (Deb et al.
// 2002, section III-B): for every objective, the gap between a point's two neighbours in
// that objective divided by the objective's range, summed over objectives.
//
// The edge cases follow pymoo. The points at either end of an objective get +Inf, and so
// does every point of a front with at most two distinct points. An objective with no
// spread adds nothing. A point equal to an earlier point (in input order) gets 0 and is
// left out of its neighbours' gaps, so copies neither crowd out nor shield each other.
// Infinite objective values are allowed: a gap to an infinite neighbour is +Inf, gaps
// are normalised by the range of the finite values, and Inf - Inf counts as no gap.
func CrowdingDistance(points [][]float64) []float64 {
	dist := make([]float64, len(points))
	crowding(points, dist)
	return dist
}

// crowding writes the crowding distances of points into dist.
func crowding(points [][]float64, dist []float64) {
	clear(dist)
	unique := make([]int, len(points))
	for i := range unique {
		unique[i] = i
	}
	slices.SortStableFunc(unique, func(a, b int) int { return compareVectors(points[a], points[b]) })
	unique = slices.CompactFunc(unique, func(a, b int) bool { return slices.Equal(points[a], points[b]) })
	if len(unique) <= 2 {
		for _, i := range unique {
			dist[i] = math.Inf(1)
		}
		return
	}
	byObj := make([]int, len(unique))
	last := len(byObj) - 1
	for m := range points[unique[0]] {
		copy(byObj, unique)
		slices.SortFunc(byObj, func(a, b int) int {
			if points[a][m] != points[b][m] {
				if points[a][m] < points[b][m] {
					return -1
				}
				return 1
			}
			return a - b
		})
		v := func(j int) float64 { return points[byObj[j]][m] }
		if v(0) == v(last) {
			continue
		}
		dist[byObj[0]], dist[byObj[last]] = math.Inf(1), math.Inf(1)
		span := finiteSpan(v, last)
		for j := 1; j < last; j++ {
			gap := v(j+1) - v(j-1)
			switch {
			case math.IsNaN(gap) || gap == 0:
			case math.IsInf(gap, 0):
				dist[byObj[j]] = math.Inf(1)
			default:
				dist[byObj[j]] += gap / span
			}
		}
	}
}

// finiteSpan returns the range of the finite values among the sorted values v(0..last).
func finiteSpan(v func(int) float64, last int) float64 {
	lo, hi := 0, last
	for lo <= last && math.IsInf(v(lo), 0) {
		lo++
	}
	for hi >= 0 && math.IsInf(v(hi), 0) {
		hi--
	}
	if lo >= hi {
		return 0
	}
	return v(hi) - v(lo)
}

// crowdingOf returns the crowding distances of the evaluations evals[i], i in front, in
// the order of front.
func crowdingOf(evals []Eval, front []int) []float64 {
	points := make([][]float64, len(front))
	for j, i := range front {
		points[j] = evals[i].Objectives
	}
	dist := make([]float64, len(front))
	crowding(points, dist)
	return dist
}

// rankAndCrowd returns the front number and the crowding distance within its front of
// every evaluation.
func rankAndCrowd(evals []Eval) (ranks []int, dist []float64) {
	ranks = make([]int, len(evals))
	dist = make([]float64, len(evals))
	for _, f := range frontsOf(ranks, rank(evals, ranks)) {
		for j, d := range crowdingOf(evals, f) {
			dist[f[j]] = d
		}
	}
	return ranks, dist
}
