package latency

import "gonum.org/v1/gonum/dsp/fourier"

// The parameter-free transforms of the LT operation act on one head's block of a sequence:
// seq rows by d columns (the head dimension). Both are unnormalised:
//
//	DFT:    Y[k][m] = Re Σ_n Σ_j X[n][j] exp(-2πi (k n / seq + m j / d))
//	DCT-II: Y[k][m] = Σ_n Σ_j X[n][j] cos(π k (2n+1) / (2 seq)) cos(π m (2j+1) / (2 d))

// transform2D is a 2-D transform of seq x d blocks with its plans and scratch space.
type transform2D interface {
	// apply writes the transform of src (seq x d) to dst (seq x d).
	apply(dst, src mat)
}

// dft2 is the real part of the 2-D discrete Fourier transform, by fast transforms of the
// rows (real, half spectrum) and then of the seq x (d/2+1) columns.
type dft2 struct {
	seq, d int
	rowFFT *fourier.FFT
	colFFT *fourier.CmplxFFT
	row    []float64
	coef   []complex128
	spec   []complex128 // seq x (d/2+1), column-major: column m at [m*seq : (m+1)*seq]
}

func newDFT2(seq, d int) *dft2 {
	h := d/2 + 1
	return &dft2{seq: seq, d: d, rowFFT: fourier.NewFFT(d), colFFT: fourier.NewCmplxFFT(seq),
		row: make([]float64, d), coef: make([]complex128, h), spec: make([]complex128, seq*h)}
}

func (t *dft2) apply(dst, src mat) {
	L, d := t.seq, t.d
	h := d/2 + 1
	for n := 0; n < L; n++ {
		for j, v := range src.row(n) {
			t.row[j] = float64(v)
		}
		t.rowFFT.Coefficients(t.coef, t.row)
		for m, c := range t.coef {
			t.spec[m*L+n] = c
		}
	}
	for m := 0; m < h; m++ {
		col := t.spec[m*L : (m+1)*L]
		t.colFFT.Coefficients(col, col)
		for k, c := range col {
			dst.data[k*dst.stride+m] = float32(real(c))
		}
		// A real input's spectrum is Hermitian: F[k][d-m] = conj(F[-k mod L][m]).
		if m2 := d - m; m > 0 && m2 > m {
			for k := 0; k < L; k++ {
				dst.data[k*dst.stride+m2] = float32(real(col[(L-k)%L]))
			}
		}
	}
}

// dct2 is the 2-D DCT-II: one-dimensional transforms of the rows, then of the columns.
// FFTPACK's backward quarter-wave transform (cosqb) is four times a DCT-II.
type dct2 struct {
	seq, d int
	rowT   *fourier.QuarterWaveFFT
	colT   *fourier.QuarterWaveFFT
	row    []float64
	buf    []float64 // seq x d, column-major after the row pass
}

func newDCT2(seq, d int) *dct2 {
	return &dct2{seq: seq, d: d, rowT: fourier.NewQuarterWaveFFT(d), colT: fourier.NewQuarterWaveFFT(seq),
		row: make([]float64, d), buf: make([]float64, seq*d)}
}

func (t *dct2) apply(dst, src mat) {
	L, d := t.seq, t.d
	for n := 0; n < L; n++ {
		for j, v := range src.row(n) {
			t.row[j] = float64(v)
		}
		t.rowT.CosSequence(t.row, t.row)
		for j, v := range t.row {
			t.buf[j*L+n] = v
		}
	}
	const scale = 1.0 / 16 // two passes of 4 x DCT-II
	for j := 0; j < d; j++ {
		col := t.buf[j*L : (j+1)*L]
		t.colT.CosSequence(col, col)
		for k, v := range col {
			dst.data[k*dst.stride+j] = float32(v * scale)
		}
	}
}
