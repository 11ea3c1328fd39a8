//go:build !amd64

package spectral

func dot4x2Lanes(n int, a0, a1, a2, a3, b0, b1 []float64) [8]float64 {
	return dot4x2Go(n, a0, a1, a2, a3, b0, b1)
}

func dotAxpyLanes(n int, row, x, y []float64, alpha float64) float64 {
	return dotAxpyGo(n, row, x, y, alpha)
}

func syr2Row(row, x, y []float64, xr, yr float64) { syr2RowGo(row, x, y, xr, yr) }

func updateDotAxpy(row, vp, wp, x, y []float64, vr, wr, alpha float64) float64 {
	return updateDotAxpyGo(row, vp, wp, x, y, vr, wr, alpha)
}

func dotLanes(n int, a, b []float64) float64 { return dotGo(n, a, b) }
