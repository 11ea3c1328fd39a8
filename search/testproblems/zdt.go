package testproblems

import (
	"context"
	"fmt"
	"math"
	"math/rand"

	"github.com/zeronas/zeronas/search"
)

// ZDT is problem ZDT1, ZDT2 or ZDT3 of Zitzler, Deb and Thiele ("Comparison of
// multiobjective evolutionary algorithms: empirical results", Evolutionary Computation
// 8(2), 2000): two objectives over [0, 1]^Vars, f1 = x1 and f2 = g h(f1, g) with
// g = 1 + 9 (x2 + ... + xn) / (n - 1). Its Pareto front has g = 1.
type ZDT struct {
	// Number is 1 (convex front), 2 (concave front) or 3 (five disconnected pieces).
	Number int
	// Vars is the number of variables. If 0, 30 is used.
	Vars int
}

// ZDT1 returns ZDT1 with 30 variables.
func ZDT1() ZDT { return ZDT{Number: 1} }

// ZDT2 returns ZDT2 with 30 variables.
func ZDT2() ZDT { return ZDT{Number: 2} }

// ZDT3 returns ZDT3 with 30 variables.
func ZDT3() ZDT { return ZDT{Number: 3} }

func (z ZDT) box() box {
	if z.Vars == 0 {
		return 30
	}
	return box(z.Vars)
}

// Name returns "zdt1", "zdt2" or "zdt3".
func (z ZDT) Name() string { return fmt.Sprintf("zdt%d", z.Number) }

// NumObjectives implements search.Problem: 2.
func (z ZDT) NumObjectives() int { return 2 }

// Sample implements search.Problem: a uniform point of [0, 1]^Vars.
func (z ZDT) Sample(rng *rand.Rand) []float64 { return z.box().Sample(rng) }

// Key implements search.Problem.
func (z ZDT) Key(x []float64) string { return z.box().Key(x) }

// Evaluate implements search.Problem.
func (z ZDT) Evaluate(ctx context.Context, x []float64) (search.Eval, error) {
	if err := z.box().check(ctx, x); err != nil {
		return search.Eval{}, err
	}
	sum := 0.0
	for _, v := range x[1:] {
		sum += v
	}
	g := 1 + 9*sum/float64(len(x)-1)
	return eval(x[0], g*z.h(x[0], g)), nil
}

// h is the shape function of the front.
func (z ZDT) h(f1, g float64) float64 {
	switch z.Number {
	case 2:
		return 1 - (f1/g)*(f1/g)
	case 3:
		return 1 - math.Sqrt(f1/g) - f1/g*math.Sin(10*math.Pi*f1)
	}
	return 1 - math.Sqrt(f1/g)
}

// zdt3Pieces are the f1 intervals of ZDT3's Pareto front (as in pymoo).
var zdt3Pieces = [][2]float64{
	{0, 0.0830015349},
	{0.1822287280, 0.2577623634},
	{0.4093136748, 0.4538821041},
	{0.6183967944, 0.6525117038},
	{0.8233317983, 0.8518328654},
}

// zdt3MinF2 is the smallest f2 on ZDT3's front, at the right end of its last piece.
const zdt3MinF2 = -0.7733690123266405

// Bounds implements search.Bounded: the ideal and nadir points of the front.
func (z ZDT) Bounds() (ideal, nadir []float64) {
	if z.Number == 3 {
		return []float64{0, zdt3MinF2}, []float64{zdt3Pieces[4][1], 1}
	}
	return []float64{0, 0}, []float64{1, 1}
}

// ParetoFront returns n points of the exact Pareto front, evenly spaced in f1 (for ZDT3,
// over the total length of its pieces).
func (z ZDT) ParetoFront(n int) [][]float64 {
	f1s := make([]float64, n)
	if z.Number != 3 {
		for i := range f1s {
			f1s[i] = float64(i) / float64(max(1, n-1))
		}
	} else {
		total := 0.0
		for _, p := range zdt3Pieces {
			total += p[1] - p[0]
		}
		for i := range f1s {
			t := total * float64(i) / float64(max(1, n-1))
			for _, p := range zdt3Pieces {
				if w := p[1] - p[0]; t <= w {
					f1s[i] = p[0] + t
					break
				} else {
					t -= w
				}
			}
		}
	}
	front := make([][]float64, n)
	for i, f1 := range f1s {
		front[i] = []float64{f1, z.h(f1, 1)}
	}
	return front
}

// Variation returns Deb's bounded SBX and polynomial mutation over [0, 1]^Vars.
func (z ZDT) Variation() RealVariation {
	lo, hi := z.box().bounds()
	return RealVariation{Lower: lo, Upper: hi}
}
