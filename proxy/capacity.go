package proxy

import (
	"math"

	"gonum.org/v1/gonum/mat"
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
	return capacity(stat, out, in, ss, singularValues(mat.NewDense(out, in, w)))
}

// singularValues returns the singular values of w in descending order by gonum's SVD
// (values only). A Gram matrix with gonum's symmetric eigensolver was tried and is slower.
func singularValues(w *mat.Dense) []float64 {
	var svd mat.SVD
	if !svd.Factorize(w, mat.SVDNone) {
		r, c := w.Dims()
		return make([]float64, min(r, c))
	}
	return svd.Values(nil)
}
