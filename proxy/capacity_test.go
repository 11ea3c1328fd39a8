package proxy

import (
	"math"
	"math/rand"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// referenceCapacity computes the statistic from gonum's SVD, the slow simple way.
func referenceCapacity(stat Stat, m, n int, w []float64) float64 {
	var svd mat.SVD
	svd.Factorize(mat.NewDense(m, n, append([]float64(nil), w...)), mat.SVDNone)
	sigma := svd.Values(nil)
	var ss float64
	for _, v := range sigma {
		ss += v * v
	}
	return capacity(stat, m, n, ss, sigma)
}

// Property: MatrixCapacities (all statistics sharing one set of singular values) and each
// statistic alone equal gonum's SVD to 1e-8 relative on random
// tall, wide and square matrices of many scales and spectra (Gaussian, one dominant
// direction, low rank); a zero matrix gives frob and nuclear 0 and stable rank NaN.
func TestMatrixCapacitiesAgainstSVD(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	all := []Stat{Frob, Nuclear, StableRank, Entropy}
	worst := map[Stat]float64{}
	for trial := 0; trial < 45; trial++ {
		m, n := 1+rng.Intn(90), 1+rng.Intn(90)
		w := make([]float64, m*n)
		scale := math.Pow(10, float64(rng.Intn(7)-4))
		for i := range w {
			w[i] = scale * rng.NormFloat64()
		}
		switch trial % 3 {
		case 1: // rank 1 plus noise: a dominant singular value
			u, v := rng.Float64(), rng.Float64()
			for i := range w {
				w[i] += 5 * scale * u * v * float64(i%7)
			}
		case 2: // rank at most 3
			r := 1 + rng.Intn(3)
			for i := range w {
				w[i] = scale * float64((i/n)%r+1) * float64((i%n)%r+1)
			}
		}
		shared := MatrixCapacities(all, m, n, w)
		for si, stat := range all {
			want := referenceCapacity(stat, m, n, w)
			alone := MatrixCapacities([]Stat{stat}, m, n, w)[0]
			for _, got := range []float64{shared[si], alone} {
				rel := math.Abs(got-want) / math.Abs(want)
				worst[stat] = max(worst[stat], rel)
				if !(rel <= 1e-8) {
					t.Errorf("trial %d, %dx%d, %s: %.12g, SVD %.12g (relative %.2g)", trial, m, n, stat, got, want, rel)
				}
			}
		}
	}
	t.Logf("worst relative difference from gonum's SVD: %v", worst)
	z := MatrixCapacities(all, 3, 5, make([]float64, 15))
	if z[0] != 0 || z[1] != 0 || !math.IsNaN(z[2]) {
		t.Errorf("zero matrix: frob, nuclear, stable rank, entropy = %v, want 0, 0, NaN, any", z)
	}
}
