package spectral

import (
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// LanczosTol is the stopping tolerance of LargestSquared: Lanczos stops when the residual
// bound of its largest Ritz value of the Gram matrix is at most LanczosTol times that value,
// which bounds the relative error of sigma_max^2 by it.
const LanczosTol = 1e-10

// LargestSquared returns sigma_max^2, the square of the largest singular value of the m x n
// row-major matrix w, as the largest eigenvalue of its smaller Gram matrix by Lanczos with
// full reorthogonalisation from a fixed start (see LanczosTol), without forming the Gram
// matrix: a few dozen pairs of matrix-vector products.
func LargestSquared(m, n int, w []float64) float64 {
	return largestEigen(gramOperator(m, n, w))
}

// operator is a symmetric k x k matrix given by its product: apply sets y = G x.
type operator struct {
	k     int
	apply func(y, x []float64)
}

// gramOperator is the smaller Gram matrix of the m x n matrix w as two matrix-vector
// products, W (Wᵀ x) or Wᵀ (W x).
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

// largestEigen returns the largest eigenvalue of the positive semi-definite g.
func largestEigen(g operator) float64 {
	n := g.k
	if n == 0 {
		return 0
	}
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
		alpha = append(alpha, dot(w, v))
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
