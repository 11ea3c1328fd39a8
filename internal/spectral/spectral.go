// Package spectral computes the singular values of real matrices for ZeroLM's statistics,
// fast and deterministically: the square roots of the eigenvalues of the smaller Gram matrix
// (a register-blocked Gram product, a Householder reduction to tridiagonal form and gonum's
// Dsterf, without vectors).
//
// Every function is serial and its result depends only on its input, bit for bit: callers
// parallelise over matrices.
package spectral

import (
	"math"

	lapack "gonum.org/v1/gonum/lapack/gonum"
)

// SingularValues returns the min(m, n) singular values of the m x n row-major matrix w,
// descending. They are the square roots of the eigenvalues of the smaller Gram matrix, whose
// absolute error is about min(m, n) eps sigma_max^2: singular values below about
// sqrt(min(m, n) eps) sigma_max (1e-7 sigma_max for 768) are not resolved and are returned
// as zero, and a singular value sigma has an absolute error of about
// min(m, n) eps sigma_max^2 / sigma. Sums such as the nuclear norm are accurate to about
// min(m, n) eps relative.
func SingularValues(m, n int, w []float64) []float64 {
	k, g := Gram(m, n, w)
	lam, ok := SymEigenvalues(k, g)
	out := make([]float64, k)
	if !ok || k == 0 {
		return out
	}
	floor := float64(k) * 0x1p-52 * lam[k-1]
	for i, l := range lam {
		if l > floor {
			out[k-1-i] = math.Sqrt(l)
		}
	}
	return out
}

// SymEigenvalues returns the eigenvalues, ascending, of the symmetric n x n matrix whose
// upper triangle is stored row-major in a (the lower triangle is not read), which it
// overwrites. It reports false when the QR iteration does not converge.
func SymEigenvalues(n int, a []float64) ([]float64, bool) {
	if n == 0 {
		return nil, true
	}
	d, e := make([]float64, n), make([]float64, n)
	tridiagonalize(n, a, d, e)
	return d, lapack.Implementation{}.Dsterf(n, d, e)
}
