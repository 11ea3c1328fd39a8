package spectral

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	lapack "gonum.org/v1/gonum/lapack/gonum"
	"gonum.org/v1/gonum/mat"
)

const eps = 0x1p-52

// matrix is a random test matrix of a kind: Gaussian, low rank, one dominant direction,
// scaled rows (a spread spectrum), or zero.
func matrix(rng *rand.Rand, kind string, m, n int) []float64 {
	w := make([]float64, m*n)
	scale := math.Pow(10, float64(rng.Intn(7)-4))
	switch kind {
	case "gaussian":
		for i := range w {
			w[i] = scale * rng.NormFloat64()
		}
	case "low-rank": // rank r < min(m, n) as a product of Gaussian factors
		r := 1 + rng.Intn(max(1, min(m, n)/2))
		u, v := make([]float64, m*r), make([]float64, r*n)
		for i := range u {
			u[i] = scale * rng.NormFloat64()
		}
		for i := range v {
			v[i] = rng.NormFloat64()
		}
		for i := range m {
			for j := range n {
				for l := range r {
					w[i*n+j] += u[i*r+l] * v[l*n+j]
				}
			}
		}
	case "dominant": // rank one of 100 times the noise's norm plus noise
		for i := range w {
			w[i] = scale * (rng.NormFloat64() + 100*float64(1+i%5)*float64(1+(i/n)%3)/math.Sqrt(float64(m*n)))
		}
	case "graded": // rows scaled over four orders of magnitude
		for i := range w {
			w[i] = scale * math.Pow(10, -4*float64(i/n)/float64(m)) * rng.NormFloat64()
		}
	}
	return w
}

// svdValues are gonum's singular values, descending: the slow reference.
func svdValues(m, n int, w []float64) []float64 {
	var svd mat.SVD
	if !svd.Factorize(mat.NewDense(m, n, append([]float64(nil), w...)), mat.SVDNone) {
		panic("gonum SVD failed")
	}
	return svd.Values(nil)
}

// shapes are tall, wide and square, with sizes around the 4 x 2 blocks and the column
// chunk of the Gram product.
var shapes = [][2]int{
	{1, 1}, {1, 7}, {7, 1}, {2, 3}, {5, 5}, {8, 8}, {9, 4}, {4, 9}, {13, 40}, {40, 13},
	{31, 31}, {64, 17}, {17, 64}, {6, chunk + 37}, {chunk + 37, 6}, {70, 90},
}

// Property: SingularValues equals gonum's SVD within the Gram route's error bound (each
// sigma within min(8 k eps sigma_max^2 / sigma, sqrt(8 k eps) sigma_max)) and the nuclear
// norm to 1e-12 relative, on every shape and kind, zero matrices included.
func TestSingularValuesAgainstSVD(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	kinds := []string{"gaussian", "low-rank", "dominant", "graded", "zero"}
	for _, sh := range shapes {
		for _, kind := range kinds {
			m, n := sh[0], sh[1]
			w := matrix(rng, kind, m, n)
			t.Run(fmt.Sprintf("%dx%d/%s", m, n, kind), func(t *testing.T) {
				got, want := SingularValues(m, n, w), svdValues(m, n, w)
				if len(got) != len(want) {
					t.Fatalf("%d values, want %d", len(got), len(want))
				}
				k := float64(len(want))
				top := want[0]
				var sg, sw float64
				for i := range want {
					tol := math.Sqrt(8*k*eps) * top
					if want[i] > 0 {
						tol = min(tol, 8*k*eps*top*top/want[i])
					}
					if d := math.Abs(got[i] - want[i]); !(d <= tol) || (i > 0 && got[i] > got[i-1]) {
						t.Errorf("sigma[%d] = %.17g, SVD %.17g (|difference| %.3g, bound %.3g)", i, got[i], want[i], d, tol)
					}
					sg += got[i]
					sw += want[i]
				}
				if kind == "zero" && sg != 0 {
					t.Errorf("zero matrix: nuclear norm %g", sg)
				}
				if d := math.Abs(sg - sw); !(d <= 1e-12*sw) {
					t.Errorf("nuclear norm %.17g, SVD %.17g", sg, sw)
				}
			})
		}
	}
}

// Property: SymEigenvalues equals gonum's EigenSym on symmetric indefinite matrices within
// 16 n eps ||A||, and Gram equals the naive product to 4 n eps of each entry's magnitude.
func TestEigenvaluesAndGram(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	for _, n := range []int{1, 2, 3, 5, 8, 33, 100} {
		a := mat.NewSymDense(n, nil)
		for i := range n {
			for j := i; j < n; j++ {
				a.SetSym(i, j, rng.NormFloat64())
			}
		}
		var eig mat.EigenSym
		eig.Factorize(a, false)
		want := eig.Values(nil)
		up := make([]float64, n*n)
		for i := range n {
			for j := i; j < n; j++ {
				up[i*n+j] = a.At(i, j)
			}
		}
		got, ok := SymEigenvalues(n, up)
		norm := math.Max(math.Abs(want[0]), math.Abs(want[n-1]))
		for i := range want {
			if !ok || !(math.Abs(got[i]-want[i]) <= 16*float64(n)*eps*norm) {
				t.Errorf("n %d: lambda[%d] = %.17g, EigenSym %.17g (converged %v)", n, i, got[i], want[i], ok)
			}
		}
	}
	for _, sh := range shapes {
		m, n := sh[0], sh[1]
		w := matrix(rng, "gaussian", m, n)
		k, g := Gram(m, n, w)
		for i := range k {
			for j := range k {
				var s, abs float64
				for l := range max(m, n) {
					var x, y float64
					if m <= n {
						x, y = w[i*n+l], w[j*n+l]
					} else {
						x, y = w[l*n+i], w[l*n+j]
					}
					s += x * y
					abs += math.Abs(x * y)
				}
				if j < i {
					s, abs = 0, 0 // the lower triangle is zero
				}
				if !(math.Abs(g[i*k+j]-s) <= 4*float64(max(m, n))*eps*abs) {
					t.Fatalf("%dx%d: Gram[%d][%d] = %.17g, naive %.17g", m, n, i, j, g[i*k+j], s)
				}
			}
		}
	}
}

// BenchmarkSingularValues times the BERT-base shapes against gonum's SVD.
func BenchmarkSingularValues(b *testing.B) {
	rng := rand.New(rand.NewSource(1))
	for _, sh := range [][2]int{{768, 768}, {3072, 768}} {
		m, n := sh[0], sh[1]
		w := make([]float64, m*n)
		for i := range w {
			w[i] = 0.02 * rng.NormFloat64()
		}
		b.Run(fmt.Sprintf("%dx%d/gram-eigen", m, n), func(b *testing.B) {
			for range b.N {
				SingularValues(m, n, w)
			}
		})
		b.Run(fmt.Sprintf("%dx%d/gram", m, n), func(b *testing.B) {
			for range b.N {
				Gram(m, n, w)
			}
		})
		_, g := Gram(m, n, w)
		b.Run(fmt.Sprintf("%dx%d/eigen", m, n), func(b *testing.B) {
			for range b.N {
				SymEigenvalues(min(m, n), append([]float64(nil), g...))
			}
		})
		b.Run(fmt.Sprintf("%dx%d/gonum-svd", m, n), func(b *testing.B) {
			for range b.N {
				svdValues(m, n, w)
			}
		})
	}
}

// tridiagonalizeUnfused is tridiagonalize without the fusion: each step's product and then
// its correction, in two passes over the trailing matrix, as Dsytd2 does.
func tridiagonalizeUnfused(n int, a, d, e []float64) {
	var impl lapack.Implementation
	p := make([]float64, n)
	for i := 0; i < n-1; i++ {
		row := a[i*n : (i+1)*n]
		beta, tau := impl.Dlarfg(n-i-1, row[i+1], row[min(i+2, n):], 1)
		e[i], d[i] = beta, row[i]
		if tau == 0 {
			continue
		}
		m := n - i - 1
		v, b, y := row[i+1:], a[(i+1)*n+i+1:], p[:m]
		v[0] = 1
		symvUpper(m, b, n, tau, v, y)
		alpha := -0.5 * tau * dot(y, v)
		for j, x := range v {
			y[j] = math.FMA(alpha, x, y[j])
		}
		syr2Upper(m, b, n, v, y)
	}
	d[n-1] = a[n*n-1]
}

// symvUpper sets y = alpha A x for the symmetric m x m matrix A whose upper triangle is
// stored row-major in a with stride lda: each stored row gives one dot product and one
// axpy.
func symvUpper(m int, a []float64, lda int, alpha float64, x, y []float64) {
	clear(y)
	for r := range m {
		row := a[r*lda+r+1 : r*lda+m]
		y[r] += math.FMA(a[r*lda+r], x[r], dotAxpy(row, x[r+1:m], y[r+1:m], x[r]))
	}
	for r := range y {
		y[r] *= alpha
	}
}

// syr2Upper sets A -= x yᵀ + y xᵀ for the symmetric m x m matrix A whose upper triangle is
// stored row-major in a with stride lda.
func syr2Upper(m int, a []float64, lda int, x, y []float64) {
	for r := range m {
		syr2Row(a[r*lda+r:r*lda+m], x[r:m], y[r:m], x[r], y[r])
	}
}

// The fused reduction equals the unfused one (product, then correction) bit for bit, on
// dense matrices and on block-diagonal ones, where a step inside the reduction needs no
// reflection.
func TestFusedTridiagonalization(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	for _, n := range []int{1, 2, 3, 4, 5, 9, 17, 64, 101} {
		for _, sparse := range []bool{false, true} {
			a := make([]float64, n*n)
			for i := range n {
				for j := i; j < n; j++ {
					if !sparse || (i < 5) == (j < 5) {
						a[i*n+j] = rng.NormFloat64()
					}
				}
			}
			b := append([]float64(nil), a...)
			d1, e1, d2, e2 := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
			tridiagonalize(n, a, d1, e1)
			tridiagonalizeUnfused(n, b, d2, e2)
			for i := range n {
				if math.Float64bits(d1[i]) != math.Float64bits(d2[i]) || math.Float64bits(e1[i]) != math.Float64bits(e2[i]) {
					t.Fatalf("n %d (block-diagonal %v): fused d[%d], e[%d] = %v, %v; unfused %v, %v", n, sparse, i, i, d1[i], e1[i], d2[i], e2[i])
				}
			}
		}
	}
}
