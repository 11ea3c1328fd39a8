package proxy

import (
	"math"
	"slices"

	"github.com/zeronas/zeronas/internal/spectral"
)

// expectedDraws is the number of Monte Carlo draws behind an expected statistic that has no
// closed form.
const expectedDraws = 3

// variance returns the variance of one weight of a matrix with fan-in in and fan-out out.
func variance(init Init, in, out int) float64 {
	switch init {
	case Xavier:
		a := math.Sqrt(6 / float64(in+out))
		return a * a / 3
	case Torch:
		return 1 / (3 * float64(in))
	}
	return 0.02 * 0.02
}

// draw fills w (or, when w is nil, only sums the squares of) an m*n matrix of weights drawn
// from init, and returns the sum of squares.
func draw(rng *stream, init Init, in, out int, w []float64) float64 {
	n := in * out
	var ss float64
	switch init {
	case Normal:
		ss = rng.normals(n, 0.02, w)
	default:
		a := math.Sqrt(3 * variance(init, in, out)) // U(-a, a) has variance a^2 / 3
		for i := 0; i < n; i++ {
			x := a * (2*rng.uniform() - 1)
			ss += x * x
			if w != nil {
				w[i] = x
			}
		}
	}
	return ss
}

// capacity returns the statistic of a weight matrix given its sum of squares and, for the
// statistics that need them, its singular values.
func capacity(stat Stat, m, n int, sumSq float64, sigma []float64) float64 {
	k := float64(min(m, n))
	switch stat {
	case Nuclear:
		var s float64
		for _, v := range sigma {
			s += v
		}
		return s / k
	case StableRank:
		return sumSq / (sigma[0] * sigma[0])
	case Entropy:
		var s float64
		for _, v := range sigma {
			s += v
		}
		var h float64
		for _, v := range sigma {
			if p := v / s; p > 0 {
				h -= p * math.Log(p)
			}
		}
		return math.Exp(h)
	}
	return sumSq / k
}

// sampleCapacity draws one out x in matrix and returns its statistic.
func sampleCapacity(rng *stream, stat Stat, init Init, in, out int) float64 {
	if stat == Frob {
		return capacity(stat, out, in, draw(rng, init, in, out, nil), nil)
	}
	w := make([]float64, in*out)
	ss := draw(rng, init, in, out, w)
	return matrixCapacity(stat, out, in, ss, w)
}

// matrixCapacity returns the statistic of the m x n row-major w whose sum of squares is ss:
// frob from ss alone, the others from the singular values by spectral.SingularValues (stable
// rank takes sigma_max from them: on these shapes that is faster than Lanczos, whose
// matrix-vector products are bound by memory, and it is exact to the Gram route's precision).
func matrixCapacity(stat Stat, m, n int, ss float64, w []float64) float64 {
	if stat == Frob {
		return capacity(stat, m, n, ss, nil)
	}
	return capacity(stat, m, n, ss, spectral.SingularValues(m, n, w))
}

// MatrixCapacities returns the statistics stats of the m x n row-major matrix w, in order,
// as sampled mode computes them, from one set of singular values (none when only frob is
// asked).
func MatrixCapacities(stats []Stat, m, n int, w []float64) []float64 {
	var ss float64
	for _, x := range w {
		ss += x * x
	}
	var sigma []float64
	if slices.ContainsFunc(stats, func(s Stat) bool { return s != Frob }) {
		sigma = spectral.SingularValues(m, n, w)
	}
	out := make([]float64, len(stats))
	for i, st := range stats {
		out[i] = capacity(st, m, n, ss, sigma)
	}
	return out
}
