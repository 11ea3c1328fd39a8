package spectral

import "math"

// The kernels below are the inner loops of the Gram product and the tridiagonal reduction.
// Each has a pure-Go form and, on amd64 with AVX2 and FMA, an assembly form that does the
// same operations in the same order (four lanes of fused multiply-adds, lane sums added as
// (l0+l2)+(l1+l3)), so the results are the same bit for bit on every machine.

// dot4x2Go returns the eight dot products of a0..a3 with b0, b1 (row by row) over the first
// n elements, n a multiple of 4.
func dot4x2Go(n int, a0, a1, a2, a3, b0, b1 []float64) (s [8]float64) {
	a0, a1, a2, a3, b0, b1 = a0[:n], a1[:n], a2[:n], a3[:n], b0[:n], b1[:n]
	var acc [8][4]float64
	for l := 0; l < n; l += 4 {
		for j := range 4 {
			x0, x1, x2, x3, y0, y1 := a0[l+j], a1[l+j], a2[l+j], a3[l+j], b0[l+j], b1[l+j]
			acc[0][j] = math.FMA(x0, y0, acc[0][j])
			acc[1][j] = math.FMA(x0, y1, acc[1][j])
			acc[2][j] = math.FMA(x1, y0, acc[2][j])
			acc[3][j] = math.FMA(x1, y1, acc[3][j])
			acc[4][j] = math.FMA(x2, y0, acc[4][j])
			acc[5][j] = math.FMA(x2, y1, acc[5][j])
			acc[6][j] = math.FMA(x3, y0, acc[6][j])
			acc[7][j] = math.FMA(x3, y1, acc[7][j])
		}
	}
	for i, a := range acc {
		s[i] = (a[0] + a[2]) + (a[1] + a[3])
	}
	return s
}

// dotAxpyGo returns the dot product of row and x over the first n elements, n a multiple of
// 8, in eight lanes (lane j sums the elements j mod 8; lanes j and j+4 are added first, then
// (l0+l2)+(l1+l3)), and adds alpha row to y there.
func dotAxpyGo(n int, row, x, y []float64, alpha float64) float64 {
	row, x, y = row[:n], x[:n], y[:n]
	var acc [8]float64
	for l := 0; l < n; l += 8 {
		for j := range 8 {
			acc[j] = math.FMA(row[l+j], x[l+j], acc[j])
			y[l+j] = math.FMA(row[l+j], alpha, y[l+j])
		}
	}
	return ((acc[0] + acc[4]) + (acc[2] + acc[6])) + ((acc[1] + acc[5]) + (acc[3] + acc[7]))
}

// syr2RowGo sets row -= xr y + yr x elementwise (two fused multiply-adds, xr's first).
func syr2RowGo(row, x, y []float64, xr, yr float64) {
	x, y = x[:len(row)], y[:len(row)]
	for c := range row {
		row[c] = math.FMA(-yr, x[c], math.FMA(-xr, y[c], row[c]))
	}
}

// updateDotAxpyGo sets row -= vr wp + wr vp as syr2Row does and then returns the dot
// product of the updated row with x and adds alpha times it to y, as dotAxpy does: the
// rank-2 update of one step of the tridiagonal reduction fused with the next step's
// symmetric product, bit for bit the two done one after the other.
func updateDotAxpyGo(row, vp, wp, x, y []float64, vr, wr, alpha float64) float64 {
	syr2Row(row, vp, wp, vr, wr)
	return dotAxpy(row, x, y, alpha)
}

// dot4x2 adds to s the eight dot products of a0..a3 with b0, b1, all of a0's length.
func dot4x2(a0, a1, a2, a3, b0, b1 []float64) [8]float64 {
	n := len(a0)
	n4 := n &^ 3
	s := dot4x2Lanes(n4, a0, a1, a2, a3, b0, b1)
	for l := n4; l < n; l++ {
		x0, x1, x2, x3, y0, y1 := a0[l], a1[l], a2[l], a3[l], b0[l], b1[l]
		s[0] = math.FMA(x0, y0, s[0])
		s[1] = math.FMA(x0, y1, s[1])
		s[2] = math.FMA(x1, y0, s[2])
		s[3] = math.FMA(x1, y1, s[3])
		s[4] = math.FMA(x2, y0, s[4])
		s[5] = math.FMA(x2, y1, s[5])
		s[6] = math.FMA(x3, y0, s[6])
		s[7] = math.FMA(x3, y1, s[7])
	}
	return s
}

// dotAxpy returns the dot product of row and x and adds alpha row to y.
func dotAxpy(row, x, y []float64, alpha float64) float64 {
	n := len(row)
	n8 := n &^ 7
	s := dotAxpyLanes(n8, row, x, y, alpha)
	for l := n8; l < n; l++ {
		s = math.FMA(row[l], x[l], s)
		y[l] = math.FMA(row[l], alpha, y[l])
	}
	return s
}

// dotGo returns the dot product of a and b over the first n elements, n a multiple of 8, in
// eight lanes added as dotAxpyGo adds them.
func dotGo(n int, a, b []float64) float64 {
	a, b = a[:n], b[:n]
	var acc [8]float64
	for l := 0; l < n; l += 8 {
		for j := range 8 {
			acc[j] = math.FMA(a[l+j], b[l+j], acc[j])
		}
	}
	return ((acc[0] + acc[4]) + (acc[2] + acc[6])) + ((acc[1] + acc[5]) + (acc[3] + acc[7]))
}

// dot returns the dot product of a and b (b at least as long as a).
func dot(a, b []float64) float64 {
	n := len(a)
	n8 := n &^ 7
	s := dotLanes(n8, a, b)
	for l := n8; l < n; l++ {
		s = math.FMA(a[l], b[l], s)
	}
	return s
}
