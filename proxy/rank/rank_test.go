package rank

import (
	"math"
	"math/rand"
	"testing"
)

// kendallNaive is the O(n^2) definition of tau-b.
func kendallNaive(x, y []float64) float64 {
	var c, d, tx, ty float64
	for i := range x {
		for j := i + 1; j < len(x); j++ {
			sx, sy := sign(x[i]-x[j]), sign(y[i]-y[j])
			switch {
			case sx == 0 && sy == 0:
			case sx == 0:
				tx++
			case sy == 0:
				ty++
			case sx == sy:
				c++
			default:
				d++
			}
		}
	}
	return (c - d) / math.Sqrt((c+d+tx)*(c+d+ty))
}

func sign(v float64) int {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

func TestKnownValues(t *testing.T) {
	tests := []struct {
		name           string
		x, y           []float64
		spearman, tauB float64
	}{
		// Hand-computed: Pearson of average ranks; tau-b = (C-D)/sqrt((C+D+Tx)(C+D+Ty)).
		// "scipy doc" is the example of scipy.stats.kendalltau's documentation (tau -0.4714).
		{"perfect", []float64{1, 2, 3, 4}, []float64{10, 20, 30, 40}, 1, 1},
		{"reversed", []float64{1, 2, 3, 4}, []float64{4, 3, 2, 1}, -1, -1},
		{"ties", []float64{1, 2, 2, 3}, []float64{1, 3, 2, 4}, 0.9486832980505138, 0.9128709291752769},
		{"ties both", []float64{1, 1, 2, 2, 3}, []float64{1, 2, 2, 3, 3}, 7.25 / 9, 0.75},
		{"scipy doc", []float64{12, 2, 1, 12, 2}, []float64{1, 4, 7, 1, 0}, -5 / math.Sqrt(85.5), -0.4714045207910316},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rho, _ := Spearman(tc.x, tc.y)
			tau, _ := KendallTauB(tc.x, tc.y)
			if math.Abs(rho-tc.spearman) > 1e-12 || math.Abs(tau-tc.tauB) > 1e-12 {
				t.Errorf("rho %v tau %v, want %v %v", rho, tau, tc.spearman, tc.tauB)
			}
		})
	}
}

func TestKendallMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for trial := 0; trial < 300; trial++ {
		n := 2 + rng.Intn(60)
		levels := 1 + rng.Intn(8) // few levels: many ties
		x, y := make([]float64, n), make([]float64, n)
		for i := range x {
			x[i] = float64(rng.Intn(levels + 1))
			y[i] = float64(rng.Intn(levels + 2))
		}
		got, _ := KendallTauB(x, y)
		want := kendallNaive(x, y)
		if !(math.Abs(got-want) < 1e-12 || math.IsNaN(got) && math.IsNaN(want)) {
			t.Fatalf("x %v y %v: tau-b %v, naive %v", x, y, got, want)
		}
	}
}

func TestErrors(t *testing.T) {
	if _, err := Spearman([]float64{1}, []float64{1}); err != ErrLength {
		t.Errorf("Spearman short: %v", err)
	}
	if _, err := KendallTauB([]float64{1, 2}, []float64{1}); err != ErrLength {
		t.Errorf("Kendall mismatched: %v", err)
	}
}
