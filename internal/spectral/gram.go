package spectral

// Gram returns the order k = min(m, n) and the upper triangle, row-major k x k, of the
// smaller Gram matrix of the m x n row-major matrix w: W Wᵀ when m <= n, else Wᵀ W (then
// from a transposed copy, so that both are dot products of contiguous rows). The lower
// triangle of the result is zero.
func Gram(m, n int, w []float64) (int, []float64) {
	if m > n {
		t := make([]float64, m*n)
		for i := range m {
			for j, x := range w[i*n : (i+1)*n] {
				t[j*m+i] = x
			}
		}
		m, n, w = n, m, t
	}
	g := make([]float64, m*m)
	gramRows(m, n, w, g)
	return m, g
}

// chunk is the length of the row pieces the Gram product works on at a time: six of them
// (a 4 x 2 block) stay in the level-1 cache.
const chunk = 512

// gramRows adds to the upper triangle of the k x k g the dot products of the rows of the
// k x n a, chunk by chunk of columns, in blocks of 4 x 2 entries (eight accumulators and
// six loads per step, within the 16 vector registers of AVX2).
func gramRows(k, n int, a, g []float64) {
	for l0 := 0; l0 < n; l0 += chunk {
		l1 := min(l0+chunk, n)
		row := func(i int) []float64 { return a[i*n+l0 : i*n+l1] }
		i := 0
		for ; i+4 <= k; i += 4 {
			a0, a1, a2, a3 := row(i), row(i+1), row(i+2), row(i+3)
			j := i
			for ; j+2 <= k; j += 2 {
				s := dot4x2(a0, a1, a2, a3, row(j), row(j+1))
				for r := range 4 {
					g[(i+r)*k+j] += s[2*r]
					g[(i+r)*k+j+1] += s[2*r+1]
				}
			}
			if j < k {
				b := row(j)
				for r, ar := range [4][]float64{a0, a1, a2, a3} {
					g[(i+r)*k+j] += dot(ar, b)
				}
			}
		}
		for ; i < k; i++ {
			for j := i; j < k; j++ {
				g[i*k+j] += dot(row(i), row(j))
			}
		}
	}
	for i := range k { // the 4 x 2 blocks on the diagonal also wrote below it
		clear(g[i*k+i&^3 : i*k+i])
	}
}
