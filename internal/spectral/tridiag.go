package spectral

import lapack "gonum.org/v1/gonum/lapack/gonum"

// tridiagonalize reduces the symmetric n x n matrix whose upper triangle is stored row-major
// in a to tridiagonal form by Householder reflections from both sides (LAPACK's Dsytd2 for
// the lower triangle stored column-major, which is the same memory), overwriting a; d gets
// the diagonal and e[:n-1] the off-diagonal. The symmetric products run over rows of the
// stored triangle, so the trailing matrix, half of a 768 x 768 matrix, streams through the
// cache once per product.
func tridiagonalize(n int, a, d, e []float64) {
	var impl lapack.Implementation
	p := make([]float64, n)
	for i := 0; i < n-1; i++ {
		row := a[i*n : (i+1)*n]
		beta, tau := impl.Dlarfg(n-i-1, row[i+1], row[min(i+2, n):], 1)
		e[i] = beta
		d[i] = row[i]
		if tau == 0 {
			continue
		}
		m := n - i - 1
		v, b, y := row[i+1:], a[(i+1)*n+i+1:], p[:m]
		v[0] = 1
		// y = tau A v; y -= (tau/2) (yᵀv) v; A -= v yᵀ + y vᵀ.
		symvUpper(m, b, n, tau, v, y)
		alpha := -0.5 * tau * dot(y, v)
		for j, x := range v {
			y[j] += alpha * x
		}
		syr2Upper(m, b, n, v, y)
	}
	d[n-1] = a[n*n-1]
}

// symvUpper sets y = alpha A x for the symmetric m x m matrix A whose upper triangle is
// stored row-major in a with stride lda: each stored row gives one dot product (four
// accumulators, so the additions do not wait on each other) and one axpy.
func symvUpper(m int, a []float64, lda int, alpha float64, x, y []float64) {
	clear(y)
	for r := range m {
		row := a[r*lda+r+1 : r*lda+m]
		xr := x[r]
		xs, ys := x[r+1:m], y[r+1:m]
		xs, ys = xs[:len(row)], ys[:len(row)]
		var s0, s1, s2, s3 float64
		c := 0
		for ; c+4 <= len(row); c += 4 {
			v0, v1, v2, v3 := row[c], row[c+1], row[c+2], row[c+3]
			s0 += float64(v0 * xs[c])
			s1 += float64(v1 * xs[c+1])
			s2 += float64(v2 * xs[c+2])
			s3 += float64(v3 * xs[c+3])
			ys[c] += float64(v0 * xr)
			ys[c+1] += float64(v1 * xr)
			ys[c+2] += float64(v2 * xr)
			ys[c+3] += float64(v3 * xr)
		}
		for ; c < len(row); c++ {
			s0 += float64(row[c] * xs[c])
			ys[c] += float64(row[c] * xr)
		}
		y[r] += float64(a[r*lda+r]*xr) + ((s0 + s1) + (s2 + s3))
	}
	for r := range y {
		y[r] *= alpha
	}
}

// syr2Upper sets A -= x yᵀ + y xᵀ for the symmetric m x m matrix A whose upper triangle is
// stored row-major in a with stride lda.
func syr2Upper(m int, a []float64, lda int, x, y []float64) {
	for r := range m {
		row := a[r*lda+r : r*lda+m]
		xr, yr, xs, ys := x[r], y[r], x[r:m], y[r:m]
		xs, ys = xs[:len(row)], ys[:len(row)]
		for c := range row {
			row[c] -= float64(xr*ys[c]) + float64(yr*xs[c])
		}
	}
}
