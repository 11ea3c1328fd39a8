package checkpoint

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"

	"github.com/zeronas/zeronas/proxy"
)

// LanczosTol is the stopping tolerance of the largest singular value behind stable rank:
// Lanczos stops when the residual bound of its largest Ritz value of the Gram matrix is at
// most LanczosTol times that value, which bounds the relative error of sigma_max^2 by it.
const LanczosTol = 1e-10

// Capacity returns ZeroLM's statistic stat of the m x n matrix w (row-major): frob from the
// sum of squares; stable rank from sigma_max by Lanczos on the smaller Gram matrix (see
// LanczosTol); nuclear and entropy from all singular values, the square roots of the
// eigenvalues of the smaller Gram matrix W Wᵀ or Wᵀ W.
func Capacity(stat proxy.Stat, m, n int, w []float64) float64 {
	var ss float64
	for _, x := range w {
		ss += x * x
	}
	k := float64(min(m, n))
	switch stat {
	case proxy.Frob:
		return ss / k
	case proxy.StableRank:
		top := largestEigen(gramOperator(m, n, w))
		if top <= 0 {
			return math.NaN()
		}
		return ss / top
	}
	return fromSigma(stat, m, n, ss, singularValues(m, n, w))
}

// Capacities returns the statistics stats of the m x n matrix w, in order, sharing the work:
// one eigendecomposition of the Gram matrix serves nuclear, entropy and, with them, stable
// rank (whose sigma_max it then gives exactly); stable rank alone uses Lanczos.
func Capacities(stats []proxy.Stat, m, n int, w []float64) []float64 {
	out := make([]float64, len(stats))
	needSigma := slices.Contains(stats, proxy.Nuclear) || slices.Contains(stats, proxy.Entropy)
	if !needSigma {
		for i, st := range stats {
			out[i] = Capacity(st, m, n, w)
		}
		return out
	}
	var ss float64
	for _, x := range w {
		ss += x * x
	}
	sigma := singularValues(m, n, w)
	for i, st := range stats {
		out[i] = fromSigma(st, m, n, ss, sigma)
	}
	return out
}

// fromSigma returns the statistic from the sum of squares and the singular values.
func fromSigma(stat proxy.Stat, m, n int, ss float64, sigma []float64) float64 {
	k := float64(min(m, n))
	var s float64
	for _, v := range sigma {
		s += v
	}
	switch stat {
	case proxy.Frob:
		return ss / k
	case proxy.StableRank:
		if sigma[0] == 0 {
			return math.NaN()
		}
		return ss / (sigma[0] * sigma[0])
	case proxy.Nuclear:
		return s / k
	}
	var h float64
	for _, v := range sigma {
		if p := v / s; p > 0 {
			h -= p * math.Log(p)
		}
	}
	return math.Exp(h)
}

// gram returns the smaller Gram matrix of the m x n matrix w: W Wᵀ when m <= n, else Wᵀ W,
// as a full symmetric matrix (both triangles).
func gram(m, n int, w []float64) *mat.SymDense {
	a := blas64.General{Rows: m, Cols: n, Stride: n, Data: w}
	k, t := m, blas.NoTrans
	if m > n {
		k, t = n, blas.Trans
	}
	g := blas64.Symmetric{Uplo: blas.Upper, N: k, Stride: k, Data: make([]float64, k*k)}
	blas64.Syrk(t, 1, a, 0, g)
	return mat.NewSymDense(k, g.Data)
}

// singularValues returns the singular values of the m x n matrix w, descending.
func singularValues(m, n int, w []float64) []float64 {
	var eig mat.EigenSym
	if !eig.Factorize(gram(m, n, w), false) {
		return make([]float64, min(m, n))
	}
	lam := eig.Values(nil) // ascending
	// The Gram's eigenvalues carry an absolute error of about k eps lambda_max: smaller ones
	// are zero to working precision (sigma below about 1e-7 sigma_max is not resolved).
	floor := float64(len(lam)) * 0x1p-52 * lam[len(lam)-1]
	out := make([]float64, len(lam))
	for i, l := range lam {
		if l > floor {
			out[len(lam)-1-i] = math.Sqrt(l)
		}
	}
	return out
}

// operator is a symmetric k x k matrix given by its product: apply sets y = G x.
type operator struct {
	k     int
	apply func(y, x []float64)
}

// gramOperator is the smaller Gram matrix of the m x n matrix w as two matrix-vector
// products, W (Wᵀ x) or Wᵀ (W x), without forming it.
func gramOperator(m, n int, w []float64) operator {
	a := blas64.General{Rows: m, Cols: n, Stride: n, Data: w}
	if m <= n {
		t := make([]float64, n)
		return operator{k: m, apply: func(y, x []float64) {
			blas64.Gemv(blas.Trans, 1, a, vec(x), 0, vec(t))
			blas64.Gemv(blas.NoTrans, 1, a, vec(t), 0, vec(y))
		}}
	}
	t := make([]float64, m)
	return operator{k: n, apply: func(y, x []float64) {
		blas64.Gemv(blas.NoTrans, 1, a, vec(x), 0, vec(t))
		blas64.Gemv(blas.Trans, 1, a, vec(t), 0, vec(y))
	}}
}

func vec(x []float64) blas64.Vector { return blas64.Vector{N: len(x), Inc: 1, Data: x} }

// largestEigen returns the largest eigenvalue of the positive semi-definite g by Lanczos
// with full reorthogonalisation from a fixed start, so the result is deterministic.
func largestEigen(g operator) float64 {
	n := g.k
	q := make([][]float64, 0, 64)
	v := make([]float64, n)
	for i := range v {
		v[i] = 1 / math.Sqrt(float64(n)) * (1 + 0.5*math.Sin(float64(i)+1)) // not orthogonal to any direction in practice
	}
	normalize(v)
	var alpha, beta []float64
	w := make([]float64, n)
	theta := 0.0
	for j := 0; j < n; j++ {
		q = append(q, append([]float64(nil), v...))
		g.apply(w, v)
		a := dot(w, v)
		alpha = append(alpha, a)
		// Full reorthogonalisation, twice: the basis stays orthogonal to working precision.
		for range 2 {
			for _, qi := range q {
				axpy(-dot(w, qi), qi, w)
			}
		}
		b := math.Sqrt(dot(w, w))
		var s float64
		theta, s = topRitz(alpha, beta)
		if b*math.Abs(s) <= LanczosTol*theta || b == 0 || j == n-1 {
			break
		}
		beta = append(beta, b)
		for i := range v {
			v[i] = w[i] / b
		}
	}
	return theta
}

// topRitz returns the largest eigenvalue of the tridiagonal matrix of alpha (diagonal) and
// beta (off-diagonal) and the last component of its unit eigenvector.
func topRitz(alpha, beta []float64) (theta, last float64) {
	k := len(alpha)
	t := mat.NewSymDense(k, nil)
	for i, a := range alpha {
		t.SetSym(i, i, a)
		if i+1 < k {
			t.SetSym(i, i+1, beta[i])
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(t, true) {
		return math.NaN(), 0
	}
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	return eig.Values(nil)[k-1], vecs.At(k-1, k-1)
}

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func axpy(alpha float64, x, y []float64) {
	for i := range x {
		y[i] += alpha * x[i]
	}
}

func normalize(v []float64) {
	s := 1 / math.Sqrt(dot(v, v))
	for i := range v {
		v[i] *= s
	}
}
