package spectral

import (
	"math"

	"golang.org/x/sys/cpu"
)

// avx reports whether the assembly kernels can run: AVX2 and FMA.
var avx = cpu.X86.HasAVX2 && cpu.X86.HasFMA

//go:noescape
func dot4x2AVX(n int, a0, a1, a2, a3, b0, b1 *float64, s *[8]float64)

//go:noescape
func dotAxpyAVX(n int, row, x, y *float64, alpha float64) float64

//go:noescape
func syr2RowAVX(n int, row, x, y *float64, nxr, nyr float64)

//go:noescape
func updateDotAxpyAVX(n int, row, vp, wp, x, y *float64, nvr, nwr, alpha float64) float64

//go:noescape
func dotAVX(n int, a, b *float64) float64

func dotLanes(n int, a, b []float64) float64 {
	if !avx || n == 0 {
		return dotGo(n, a, b)
	}
	_, _ = a[n-1], b[n-1]
	return dotAVX(n, &a[0], &b[0])
}

func dot4x2Lanes(n int, a0, a1, a2, a3, b0, b1 []float64) (s [8]float64) {
	if !avx || n == 0 {
		return dot4x2Go(n, a0, a1, a2, a3, b0, b1)
	}
	_, _, _, _, _, _ = a0[n-1], a1[n-1], a2[n-1], a3[n-1], b0[n-1], b1[n-1]
	dot4x2AVX(n, &a0[0], &a1[0], &a2[0], &a3[0], &b0[0], &b1[0], &s)
	return s
}

func dotAxpyLanes(n int, row, x, y []float64, alpha float64) float64 {
	if !avx || n == 0 {
		return dotAxpyGo(n, row, x, y, alpha)
	}
	_, _, _ = row[n-1], x[n-1], y[n-1]
	return dotAxpyAVX(n, &row[0], &x[0], &y[0], alpha)
}

func syr2Row(row, x, y []float64, xr, yr float64) {
	n := len(row)
	if !avx || n < 4 {
		syr2RowGo(row, x, y, xr, yr)
		return
	}
	_, _ = x[n-1], y[n-1]
	n4 := n &^ 3
	syr2RowAVX(n4, &row[0], &x[0], &y[0], -xr, -yr)
	syr2RowGo(row[n4:], x[n4:], y[n4:], xr, yr)
}

func updateDotAxpy(row, vp, wp, x, y []float64, vr, wr, alpha float64) float64 {
	n := len(row)
	if !avx || n < 8 {
		return updateDotAxpyGo(row, vp, wp, x, y, vr, wr, alpha)
	}
	_, _, _, _ = vp[n-1], wp[n-1], x[n-1], y[n-1]
	n8 := n &^ 7
	s := updateDotAxpyAVX(n8, &row[0], &vp[0], &wp[0], &x[0], &y[0], -vr, -wr, alpha)
	for l := n8; l < n; l++ {
		a := math.FMA(-wr, vp[l], math.FMA(-vr, wp[l], row[l]))
		row[l] = a
		s = math.FMA(a, x[l], s)
		y[l] = math.FMA(a, alpha, y[l])
	}
	return s
}
