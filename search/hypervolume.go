package search

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
)

// NormalizedReference is the reference point, per objective, of NormalizedHypervolume.
const NormalizedReference = 1.1

// Hypervolume returns the exact volume of the objective space dominated by points and
// bounded by ref (all objectives minimised). Points not strictly better than ref in every
// objective add nothing; dominated and repeated points are allowed. It uses a sweep for
// two objectives (O(N log N)), a sweep over a two-dimensional staircase for three (HV3D,
// Beume et al. 2009; O(N log N) comparisons), and for more a dimension sweep that slices
// along the last objective down to three (exponential in the number of objectives).
// It panics if a point's length differs from ref's.
func Hypervolume(points [][]float64, ref []float64) float64 {
	in := make([][]float64, 0, len(points))
	for _, p := range points {
		if len(p) != len(ref) {
			panic(fmt.Sprintf("search: hypervolume of a %d-objective point with a %d-objective reference", len(p), len(ref)))
		}
		if strictlyBelow(p, ref) {
			in = append(in, p)
		}
	}
	return hypervolume(in, ref)
}

// NormalizedHypervolume maps each objective linearly so that ideal becomes 0 and nadir 1
// (an objective with nadir == ideal keeps a range of 1) and returns the hypervolume with
// reference point NormalizedReference in every objective.
func NormalizedHypervolume(points [][]float64, ideal, nadir []float64) float64 {
	norm := make([][]float64, len(points))
	for i, p := range points {
		norm[i] = normalize(p, ideal, nadir, nil)
	}
	return Hypervolume(norm, NormalizedReferencePoint(len(ideal)))
}

// normalize appends to dst the normalisation of p by ideal and nadir.
func normalize(p, ideal, nadir, dst []float64) []float64 {
	for m, f := range p {
		span := nadir[m] - ideal[m]
		if span == 0 {
			span = 1
		}
		dst = append(dst, (f-ideal[m])/span)
	}
	return dst
}

// NormalizedReferencePoint returns the reference point of NormalizedHypervolume for m
// objectives: NormalizedReference in each.
func NormalizedReferencePoint(m int) []float64 {
	ref := make([]float64, m)
	for i := range ref {
		ref[i] = NormalizedReference
	}
	return ref
}

func strictlyBelow(p, ref []float64) bool {
	for m, f := range p {
		if !(f < ref[m]) {
			return false
		}
	}
	return true
}

// hypervolume is Hypervolume for points already strictly below ref. It may reorder points.
func hypervolume(points [][]float64, ref []float64) float64 {
	switch {
	case len(points) == 0:
		return 0
	case len(ref) == 1:
		lo := ref[0]
		for _, p := range points {
			lo = min(lo, p[0])
		}
		return ref[0] - lo
	case len(ref) == 2:
		slices.SortFunc(points, compareVectors)
		return hv2Sorted(points, ref)
	case len(ref) == 3:
		return hv3(points, ref)
	}
	return hvSlices(points, ref)
}

// hv2Sorted sweeps two-objective points sorted by the first objective.
func hv2Sorted(points [][]float64, ref []float64) float64 {
	vol, top := 0.0, ref[1]
	for _, p := range points {
		if p[1] < top {
			vol += (ref[0] - p[0]) * (top - p[1])
			top = p[1]
		}
	}
	return vol
}

// hv3 sweeps three-objective points along the third objective, keeping the
// two-dimensional staircase of the points swept so far and the area it dominates.
func hv3(points [][]float64, ref []float64) float64 {
	slices.SortFunc(points, func(a, b []float64) int { return cmp.Compare(a[2], b[2]) })
	var s staircase
	vol, z := 0.0, points[0][2]
	for _, p := range points {
		vol += s.area * (p[2] - z)
		z = p[2]
		s.add(p[0], p[1], ref)
	}
	return vol + s.area*(ref[2]-z)
}

// staircase is a set of mutually non-dominated two-dimensional points sorted by x (so y
// decreases), and the area they dominate up to the reference point.
type staircase struct {
	xs, ys []float64
	area   float64
}

// add inserts (x, y) unless a member weakly dominates it, removing the members it
// dominates and adding the area only it dominates.
func (s *staircase) add(x, y float64, ref []float64) {
	lo := sort.SearchFloat64s(s.xs, x) // first member with xs >= x
	if lo > 0 && s.ys[lo-1] <= y || lo < len(s.xs) && s.xs[lo] == x && s.ys[lo] <= y {
		return
	}
	curX, curY := x, ref[1]
	if lo > 0 {
		curY = s.ys[lo-1]
	}
	hi := lo
	for ; hi < len(s.xs) && s.ys[hi] >= y; hi++ { // members (x, y) dominates
		s.area += (s.xs[hi] - curX) * (curY - y)
		curX, curY = s.xs[hi], s.ys[hi]
	}
	next := ref[0]
	if hi < len(s.xs) {
		next = s.xs[hi]
	}
	s.area += (next - curX) * (curY - y)
	s.xs = slices.Replace(s.xs, lo, hi, x)
	s.ys = slices.Replace(s.ys, lo, hi, y)
}

// hvSlices computes the hypervolume of four or more objectives by sweeping the last
// objective: between consecutive values, the cross-section is the hypervolume of the
// points swept so far projected onto the other objectives.
func hvSlices(points [][]float64, ref []float64) float64 {
	m := len(ref) - 1
	slices.SortFunc(points, func(a, b []float64) int { return cmp.Compare(a[m], b[m]) })
	vol := 0.0
	proj := make([][]float64, 0, len(points))
	for i, p := range points {
		proj = append(proj, p[:m])
		next := ref[m]
		if i+1 < len(points) {
			next = points[i+1][m]
		}
		if next > p[m] {
			vol += hypervolume(slices.Clone(proj), ref[:m]) * (next - p[m])
		}
	}
	return vol
}
