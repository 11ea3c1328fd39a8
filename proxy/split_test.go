package proxy

import (
	"math"
	"math/rand"
	"testing"

	"gonum.org/v1/gonum/stat"

	"github.com/zeronas/zeronas/space"
)

// TestCalibrationSample: the split CalibrateSampling fits alpha on is CalibrationSample's.
func TestCalibrationSample(t *testing.T) {
	n := 40
	p := Parts{Attn: make([]float64, n), FFN: make([]float64, n)}
	y := make([]float64, n)
	for i := range y {
		p.Attn[i], p.FFN[i], y[i] = float64(i%7), float64(i%5), float64(i)
	}
	for _, k := range []int{3, 20, 40} {
		for seed := uint64(1); seed <= 3; seed++ {
			c, err := CalibrateSampling(p, y, k, seed, DefaultGrid())
			if err != nil {
				t.Fatal(err)
			}
			got := CalibrationSample(n, k, seed)
			if len(got) != k || len(c.Sample) != k {
				t.Fatalf("k %d: lengths %d, %d", k, len(got), len(c.Sample))
			}
			for i := range got {
				if got[i] != c.Sample[i] || (i > 0 && got[i] <= got[i-1]) {
					t.Fatalf("k %d seed %d: %v, CalibrateSampling used %v", k, seed, got, c.Sample)
				}
			}
		}
	}
}

// TestCalibrateShare checks the defining equation of the share rule against the same draw
// recomputed here, in both space families.
func TestCalibrateShare(t *testing.T) {
	for _, name := range []string{"nas-bench-bert", "gpt2"} {
		sp, err := space.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		z := mustZeroLM(t, Settings{Build: space.Faithful, Init: Normal, Stat: Frob, Mode: Expected})
		c, err := CalibrateShare(z, sp, 300, 7)
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewSource(7))
		var attn, ffn []float64
		var pa, pf float64
		for i := 0; i < 300; i++ {
			a := sp.SampleByDepth(rng)
			s := z.Score(a)
			attn, ffn = append(attn, s.Attn), append(ffn, s.FFN)
			r := space.ParamsByRole(a, space.Faithful)
			pa, pf = pa+float64(r.Attention), pf+float64(r.FeedForward)
		}
		lhs := c.Alpha * stat.StdDev(attn, nil) / ((1 - c.Alpha) * stat.StdDev(ffn, nil))
		if c.Alpha <= 0 || c.Alpha >= 1 || math.Abs(lhs-pa/pf) > 1e-9*pa/pf {
			t.Errorf("%s: alpha %v: spread ratio %v, parameter ratio %v", name, c.Alpha, lhs, pa/pf)
		}
	}
	if _, err := CalibrateShare(mustZeroLM(t, DefaultSettings()), nil, 1, 1); err == nil {
		t.Error("a sample of 1 was accepted")
	}
}
