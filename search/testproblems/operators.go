package testproblems

import (
	"math"
	"math/rand"
	"slices"
)

// RealVariation is Deb's bounded simulated binary crossover (SBX; Deb and Agrawal 1995)
// and bounded polynomial mutation (Deb and Goyal 1996) over real vectors within
// [Lower, Upper], as in Deb's NSGA-II code and DEAP's cxSimulatedBinaryBounded and
// mutPolynomialBounded. Their spread shrinks near a bound instead of piling children onto
// it, which is what the textbook unbounded operators followed by clipping get wrong.
// Zero fields mean the usual settings.
type RealVariation struct {
	Lower, Upper []float64
	// EtaC is the distribution index of the crossover. If 0, 15 is used.
	EtaC float64
	// EtaM is the distribution index of the mutation. If 0, 20 is used.
	EtaM float64
	// GeneCrossoverProb is the probability that a variable is crossed. If 0, 0.5 is used.
	GeneCrossoverProb float64
	// GeneMutationProb is the probability that a variable is mutated. If 0, 1/n is used.
	GeneMutationProb float64
}

func (v RealVariation) params() (etaC, etaM, pc, pm float64) {
	etaC, etaM, pc, pm = v.EtaC, v.EtaM, v.GeneCrossoverProb, v.GeneMutationProb
	if etaC == 0 {
		etaC = 15
	}
	if etaM == 0 {
		etaM = 20
	}
	if pc == 0 {
		pc = 0.5
	}
	if pm == 0 {
		pm = 1 / float64(len(v.Lower))
	}
	return etaC, etaM, pc, pm
}

// Crossover implements search.Variation: bounded SBX of a and b, each variable crossed
// with probability GeneCrossoverProb and the two children's values swapped half the time.
func (v RealVariation) Crossover(a, b []float64, rng *rand.Rand) ([]float64, []float64) {
	eta, _, pc, _ := v.params()
	c1, c2 := slices.Clone(a), slices.Clone(b)
	for i := range c1 {
		if rng.Float64() > pc || math.Abs(a[i]-b[i]) <= 1e-14 {
			continue
		}
		x1, x2 := min(a[i], b[i]), max(a[i], b[i])
		lo, hi := v.Lower[i], v.Upper[i]
		u := rng.Float64()
		y1 := 0.5 * (x1 + x2 - sbxBeta(1+2*(x1-lo)/(x2-x1), eta, u)*(x2-x1))
		y2 := 0.5 * (x1 + x2 + sbxBeta(1+2*(hi-x2)/(x2-x1), eta, u)*(x2-x1))
		y1, y2 = clamp(y1, lo, hi), clamp(y2, lo, hi)
		if rng.Float64() <= 0.5 {
			y1, y2 = y2, y1
		}
		c1[i], c2[i] = y1, y2
	}
	return c1, c2
}

// sbxBeta returns the spread factor for a draw u when the distance to the bound, relative
// to the parents' distance, gives beta.
func sbxBeta(beta, eta, u float64) float64 {
	alpha := 2 - 1/pow(beta, eta+1)
	if u <= 1/alpha {
		return root(u*alpha, eta+1)
	}
	return root(1/(2-u*alpha), eta+1)
}

// root returns the n-th root of x >= 0 as exp(log(x)/n): within a few ulps of
// math.Pow(x, 1/n) and about twice as fast, which matters as SBX takes two per variable.
func root(x, n float64) float64 { return math.Exp(math.Log(x) / n) }

// pow is math.Pow, by repeated squaring when the exponent is a small whole number (as
// eta + 1 usually is), which is several times faster.
func pow(x, y float64) float64 {
	n := int(y)
	if float64(n) != y || n < 0 || n > 64 {
		return math.Pow(x, y)
	}
	r := 1.0
	for ; n > 0; n >>= 1 {
		if n&1 == 1 {
			r *= x
		}
		x *= x
	}
	return r
}

// Mutate implements search.Variation: bounded polynomial mutation of each variable with
// probability GeneMutationProb. It returns x itself when no variable is mutated.
func (v RealVariation) Mutate(x []float64, rng *rand.Rand) []float64 {
	_, eta, _, pm := v.params()
	y, copied := x, false // y is copied on the first change
	for i, xi := range x {
		if rng.Float64() > pm {
			continue
		}
		if !copied {
			y, copied = slices.Clone(x), true
		}
		lo, hi := v.Lower[i], v.Upper[i]
		u := rng.Float64()
		var dq float64
		if u < 0.5 {
			xy := 1 - (xi-lo)/(hi-lo)
			dq = root(2*u+(1-2*u)*pow(xy, eta+1), eta+1) - 1
		} else {
			xy := 1 - (hi-xi)/(hi-lo)
			dq = 1 - root(2*(1-u)+2*(u-0.5)*pow(xy, eta+1), eta+1)
		}
		y[i] = clamp(xi+dq*(hi-lo), lo, hi)
	}
	return y
}

func clamp(x, lo, hi float64) float64 { return min(max(x, lo), hi) }
