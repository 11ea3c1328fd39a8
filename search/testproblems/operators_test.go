package testproblems

import (
	"math"
	"math/rand"
	"slices"
	"testing"
)

// unit returns the operators over [0, 1]^n with per-variable probabilities pc and pm.
func unit(n int, pc, pm float64) RealVariation {
	lo, hi := box(n).bounds()
	return RealVariation{Lower: lo, Upper: hi, GeneCrossoverProb: pc, GeneMutationProb: pm}
}

func TestSBXSpread(t *testing.T) {
	// Away from the bounds, SBX contracts the parents' distance (beta < 1) half the time.
	v, rng := unit(1, 1, 0), rand.New(rand.NewSource(1))
	contracted, n := 0, 20000
	for range n {
		c, d := v.Crossover([]float64{0.45}, []float64{0.55}, rng)
		if math.Abs(c[0]-d[0]) < 0.1 {
			contracted++
		}
	}
	if f := float64(contracted) / float64(n); math.Abs(f-0.5) > 0.02 {
		t.Errorf("contracted %.3f of the time, want 0.5", f)
	}
}

func TestSBXStaysInBoundsWithoutPilingUp(t *testing.T) {
	// Parents next to the lower bound: the bounded spread keeps children off the bound,
	// where clipping an unbounded spread would pile them up.
	v, rng := unit(1, 1, 0), rand.New(rand.NewSource(2))
	atBound := 0
	for range 10000 {
		c, d := v.Crossover([]float64{0.001}, []float64{0.2}, rng)
		for _, x := range []float64{c[0], d[0]} {
			if x < 0 || x > 1 {
				t.Fatalf("child %v out of bounds", x)
			}
			if x == 0 {
				atBound++
			}
		}
	}
	if atBound > 0 {
		t.Errorf("%d children on the bound", atBound)
	}
}

func TestSBXKeepsItsArguments(t *testing.T) {
	v := unit(4, 0, 0)
	a, b := []float64{0.1, 0.2, 0.3, 0.4}, []float64{0.9, 0.8, 0.7, 0.6}
	a0, b0 := slices.Clone(a), slices.Clone(b)
	rng := rand.New(rand.NewSource(3))
	for range 100 {
		v.Crossover(a, b, rng)
		v.Mutate(a, rng)
	}
	if !slices.Equal(a, a0) || !slices.Equal(b, b0) {
		t.Error("variation modified its arguments")
	}
	c, d := v.Crossover(a, a, rng)
	if !slices.Equal(c, a) || !slices.Equal(d, a) {
		t.Errorf("crossing %v with itself gave %v and %v", a, c, d)
	}
}

func TestPolynomialMutation(t *testing.T) {
	v, rng := unit(1, 0, 1), rand.New(rand.NewSource(4))
	below, n := 0, 20000
	for range n {
		y := v.Mutate([]float64{0.01}, rng)[0]
		if y <= 0 || y > 1 {
			t.Fatalf("mutant %v on or beyond a bound", y)
		}
		if y < 0.01 {
			below++
		}
	}
	if f := float64(below) / float64(n); math.Abs(f-0.5) > 0.02 {
		t.Errorf("moved down %.3f of the time, want 0.5", f)
	}
	v.GeneMutationProb = 1e-9
	if x := []float64{0.3}; &v.Mutate(x, rng)[0] != &x[0] {
		t.Error("a mutation that changes nothing copied its argument")
	}
}
