package spectral

import (
	"math"

	lapack "gonum.org/v1/gonum/lapack/gonum"
)

// tridiagonalize reduces the symmetric n x n matrix whose upper triangle is stored row-major
// in a to tridiagonal form by Householder reflections from both sides (LAPACK's Dsytd2 for
// the lower triangle stored column-major, which is the same memory), overwriting a; d gets
// the diagonal and e[:n-1] the off-diagonal.
//
// Step i needs the symmetric product of the trailing matrix with its reflector v_i, and then
// updates the trailing matrix by the rank-2 correction A -= v_i w_iᵀ + w_i v_iᵀ. The
// correction of step i is applied row by row during step i+1's product (updateDotAxpy), so
// the trailing matrix, which the cache does not hold, is read and written once per step
// instead of read twice and written once; the result is the same bit for bit.
func tridiagonalize(n int, a, d, e []float64) {
	var impl lapack.Implementation
	next, spare := make([]float64, n), make([]float64, n)
	var vp, wp []float64 // the pending correction of the previous step, indices i..n-1
	for i := 0; i < n-1; i++ {
		row := a[i*n : (i+1)*n]
		if vp != nil {
			syr2Row(row[i:], vp, wp, vp[0], wp[0])
		}
		beta, tau := impl.Dlarfg(n-i-1, row[i+1], row[min(i+2, n):], 1)
		e[i], d[i] = beta, row[i]
		if tau == 0 { // no reflection: apply the pending correction alone
			for r := i + 1; vp != nil && r < n; r++ {
				p := r - i
				syr2Row(a[r*n+r:(r+1)*n], vp[p:], wp[p:], vp[p], wp[p])
			}
			vp, wp = nil, nil
			continue
		}
		m := n - i - 1
		v, y := row[i+1:], next[:m]
		v[0] = 1
		clear(y)
		// y = A v over the stored rows of the trailing matrix, each corrected first.
		for rr := range m {
			r := i + 1 + rr
			rowr := a[r*n+r : (r+1)*n]
			var s float64
			if vp != nil {
				p := r - i
				vr, wr := vp[p], wp[p]
				rowr[0] = math.FMA(-wr, vr, math.FMA(-vr, wr, rowr[0]))
				s = updateDotAxpy(rowr[1:], vp[p+1:], wp[p+1:], v[rr+1:], y[rr+1:], vr, wr, v[rr])
			} else {
				s = dotAxpy(rowr[1:], v[rr+1:], y[rr+1:], v[rr])
			}
			y[rr] += math.FMA(rowr[0], v[rr], s)
		}
		// w = tau y - (tau/2) (tau yᵀv) v.
		for j := range y {
			y[j] *= tau
		}
		alpha := -0.5 * tau * dot(y, v)
		for j, x := range v {
			y[j] = math.FMA(alpha, x, y[j])
		}
		vp, wp = v, y
		next, spare = spare, next
	}
	if vp != nil {
		syr2Row(a[n*n-1:], vp, wp, vp[0], wp[0])
	}
	d[n-1] = a[n*n-1]
}
