package latency

import (
	"math"
	"math/rand"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// initStd is the standard deviation of the random weights (BERT's N(0, 0.02)).
const initStd = 0.02

// lnEps is the LayerNorm epsilon of BERT.
const lnEps = 1e-12

// mat is a row-major float32 matrix, possibly a view into a wider one.
type mat struct {
	rows, cols, stride int
	data               []float32
}

func newMat(rows, cols int) mat {
	return mat{rows: rows, cols: cols, stride: cols, data: make([]float32, rows*cols)}
}

// randMat returns a rows x cols matrix of N(0, std) entries.
func randMat(rng *rand.Rand, rows, cols int, std float64) mat {
	m := newMat(rows, cols)
	for i := range m.data {
		m.data[i] = float32(rng.NormFloat64() * std)
	}
	return m
}

// row returns row i.
func (m mat) row(i int) []float32 { return m.data[i*m.stride : i*m.stride+m.cols] }

// view returns the r x c block starting at row i, column j.
func (m mat) view(i, j, r, c int) mat {
	if r == 0 || c == 0 {
		return mat{rows: r, cols: c, stride: m.stride}
	}
	off := i*m.stride + j
	return mat{rows: r, cols: c, stride: m.stride, data: m.data[off : off+(r-1)*m.stride+c]}
}

func (m mat) general() blas32.General {
	return blas32.General{Rows: m.rows, Cols: m.cols, Stride: m.stride, Data: m.data}
}

// gemm computes c = alpha * op(a) * op(b) + beta * c.
func gemm(tA, tB blas.Transpose, alpha float32, a, b mat, beta float32, c mat) {
	blas32.Gemm(tA, tB, alpha, a.general(), b.general(), beta, c.general())
}

// linear is a Linear(in -> out) layer. w is in x out, the transpose of PyTorch's storage,
// so that y = x w + b is a plain product.
type linear struct {
	w mat
	b []float32 // nil without bias
}

func newLinear(rng *rand.Rand, in, out int, bias bool) linear {
	l := linear{w: randMat(rng, in, out, initStd)}
	if bias {
		l.b = make([]float32, out)
	}
	return l
}

func (l linear) in() int  { return l.w.rows }
func (l linear) out() int { return l.w.cols }

// apply writes x w + b to dst.
func (l linear) apply(dst, x mat) {
	gemm(blas.NoTrans, blas.NoTrans, 1, x, l.w, 0, dst)
	if l.b == nil {
		return
	}
	for i := 0; i < dst.rows; i++ {
		r := dst.row(i)
		for j, b := range l.b {
			r[j] += b
		}
	}
}

// norm is a LayerNorm with gain and bias.
type norm struct{ g, b []float32 }

func newNorm(n int) norm {
	g := make([]float32, n)
	for i := range g {
		g[i] = 1
	}
	return norm{g: g, b: make([]float32, n)}
}

// apply normalises every row of x in place.
func (ln norm) apply(x mat) {
	n := float64(x.cols)
	for i := 0; i < x.rows; i++ {
		r := x.row(i)
		var s float64
		for _, v := range r {
			s += float64(v)
		}
		mean := s / n
		var ss float64
		for _, v := range r {
			d := float64(v) - mean
			ss += d * d
		}
		inv := 1 / math.Sqrt(ss/n+lnEps)
		for j, v := range r {
			r[j] = float32((float64(v)-mean)*inv)*ln.g[j] + ln.b[j]
		}
	}
}

// addNorm sets x = LayerNorm(x + res).
func addNorm(x, res mat, ln norm) {
	for i := 0; i < x.rows; i++ {
		r, s := x.row(i), res.row(i)
		for j := range r {
			r[j] += s[j]
		}
	}
	ln.apply(x)
}

// gelu applies the exact (erf) GELU to x in place.
func gelu(x mat) {
	for i := 0; i < x.rows; i++ {
		r := x.row(i)
		for j, v := range r {
			r[j] = v * 0.5 * (1 + erf32(v*math.Sqrt2/2))
		}
	}
}

// erf32 is the error function to float32 precision: the rational approximation of XLA and
// Eigen on [-4, 4] (odd degree-13 numerator, even degree-8 denominator), ±1 outside.
func erf32(x float32) float32 {
	x = min(max(x, -4), 4)
	x2 := x * x
	p := x2*-2.72614225801306e-10 + 2.77068142495902e-08
	p = x2*p - 2.10102402082508e-06
	p = x2*p - 5.69250639462346e-05
	p = x2*p - 7.34990630326855e-04
	p = x2*p - 2.95459980854025e-03
	p = x2*p - 1.60960333262415e-02
	q := x2*-1.45660718464996e-05 - 2.13374055278905e-04
	q = x2*q - 1.68282697438203e-03
	q = x2*q - 7.37332916720468e-03
	q = x2*q - 1.42647390514189e-02
	return x * p / q
}

// softmaxRows applies softmax to every row of x in place.
func softmaxRows(x mat) {
	for i := 0; i < x.rows; i++ {
		softmax(x.row(i))
	}
}

func softmax(r []float32) {
	m := r[0]
	for _, v := range r[1:] {
		m = max(m, v)
	}
	var s float32
	for j, v := range r {
		e := float32(math.Exp(float64(v - m)))
		r[j] = e
		s += e
	}
	inv := 1 / s
	for j := range r {
		r[j] *= inv
	}
}
