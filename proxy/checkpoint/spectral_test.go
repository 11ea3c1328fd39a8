package checkpoint

import (
	"math"
	"math/rand"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/zeronas/zeronas/proxy"
)

// reference computes the statistic from gonum's SVD, the slow simple way.
func reference(stat proxy.Stat, m, n int, w []float64) float64 {
	var svd mat.SVD
	svd.Factorize(mat.NewDense(m, n, append([]float64(nil), w...)), mat.SVDNone)
	sigma := svd.Values(nil)
	var ss, s float64
	for _, v := range sigma {
		ss += v * v
		s += v
	}
	switch stat {
	case proxy.Frob:
		return ss / float64(min(m, n))
	case proxy.Nuclear:
		return s / float64(min(m, n))
	case proxy.StableRank:
		return ss / (sigma[0] * sigma[0])
	}
	var h float64
	for _, v := range sigma {
		if p := v / s; p > 0 {
			h -= p * math.Log(p)
		}
	}
	return math.Exp(h)
}

// Property: the Gram and Lanczos statistics equal gonum's SVD to 1e-8 relative on random
// matrices of many shapes, scales and spectra (Gaussian, low rank, one dominant direction).
func TestCapacityAgainstSVD(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	worst := map[proxy.Stat]float64{}
	for trial := 0; trial < 60; trial++ {
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
		case 2: // low rank
			r := 1 + rng.Intn(3)
			for i := range w {
				w[i] = scale * float64((i/n)%r+1) * float64((i%n)%r+1)
			}
		}
		all := []proxy.Stat{proxy.Frob, proxy.Nuclear, proxy.StableRank, proxy.Entropy}
		shared := Capacities(all, m, n, w)
		for si, stat := range all {
			got, want := Capacity(stat, m, n, w), reference(stat, m, n, w)
			if rel := math.Abs(shared[si]-want) / math.Abs(want); !(rel <= 1e-8) {
				t.Errorf("trial %d, %dx%d, %s: shared %.12g, SVD %.12g", trial, m, n, stat, shared[si], want)
			}
			rel := math.Abs(got-want) / math.Abs(want)
			worst[stat] = max(worst[stat], rel)
			if !(rel <= 1e-8) {
				t.Errorf("trial %d, %dx%d, %s: got %.12g, SVD %.12g (relative %.2g)", trial, m, n, stat, got, want, rel)
			}
		}
	}
	t.Logf("worst relative difference from gonum's SVD: %v", worst)
}

// BenchmarkCapacity compares the fast statistics with gonum's SVD on a BERT-base FFN matrix.
func BenchmarkCapacity(b *testing.B) {
	rng := rand.New(rand.NewSource(1))
	const m, n = 768, 3072
	w := make([]float64, m*n)
	for i := range w {
		w[i] = 0.02 * rng.NormFloat64()
	}
	for _, stat := range []proxy.Stat{proxy.StableRank, proxy.Nuclear} {
		b.Run(string(stat), func(b *testing.B) {
			for range b.N {
				Capacity(stat, m, n, w)
			}
		})
	}
	b.Run("gonum-svd", func(b *testing.B) {
		for range b.N {
			reference(proxy.Nuclear, m, n, w)
		}
	})
}
