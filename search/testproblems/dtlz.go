package testproblems

import (
	"context"
	"fmt"
	"math"
	"math/rand"

	"github.com/zeronas/zeronas/search"
)

// DTLZ2 is problem DTLZ2 of Deb, Thiele, Laumanns and Zitzler ("Scalable multi-objective
// optimization test problems", CEC 2002) over [0, 1]^(M+K-1): its Pareto front is the
// part of the unit sphere in the positive orthant, reached when the last K variables are
// 0.5.
type DTLZ2 struct {
	// Objectives is M. If 0, 3 is used.
	Objectives int
	// K is the number of distance variables. If 0, 10 is used.
	K int
}

func (d DTLZ2) dims() (m, k int) {
	m, k = d.Objectives, d.K
	if m == 0 {
		m = 3
	}
	if k == 0 {
		k = 10
	}
	return m, k
}

func (d DTLZ2) box() box {
	m, k := d.dims()
	return box(m + k - 1)
}

// Name returns "dtlz2".
func (d DTLZ2) Name() string { return "dtlz2" }

// NumObjectives implements search.Problem.
func (d DTLZ2) NumObjectives() int {
	m, _ := d.dims()
	return m
}

// Sample implements search.Problem: a uniform point of the domain.
func (d DTLZ2) Sample(rng *rand.Rand) []float64 { return d.box().Sample(rng) }

// Key implements search.Problem.
func (d DTLZ2) Key(x []float64) string { return d.box().Key(x) }

// Evaluate implements search.Problem.
func (d DTLZ2) Evaluate(ctx context.Context, x []float64) (search.Eval, error) {
	if err := d.box().check(ctx, x); err != nil {
		return search.Eval{}, err
	}
	m, _ := d.dims()
	g := 0.0
	for _, v := range x[m-1:] {
		g += (v - 0.5) * (v - 0.5)
	}
	f := make([]float64, m)
	for i := range f {
		f[i] = 1 + g
		for _, v := range x[:m-1-i] {
			f[i] *= math.Cos(v * math.Pi / 2)
		}
		if i > 0 {
			f[i] *= math.Sin(x[m-1-i] * math.Pi / 2)
		}
	}
	return search.Eval{Objectives: f}, nil
}

// Bounds implements search.Bounded: ideal 0 and nadir 1 in every objective.
func (d DTLZ2) Bounds() (ideal, nadir []float64) {
	m, _ := d.dims()
	ideal, nadir = make([]float64, m), make([]float64, m)
	for i := range nadir {
		nadir[i] = 1
	}
	return ideal, nadir
}

// ParetoFront returns points of the exact Pareto front: the Das and Dennis simplex
// lattice with the most points not above n, projected onto the unit sphere (for M = 2,
// exactly n points).
func (d DTLZ2) ParetoFront(n int) [][]float64 {
	m, _ := d.dims()
	h := 1
	for binomial(h+1+m-1, m-1) <= n {
		h++
	}
	var front [][]float64
	lattice(make([]int, 0, m), m, h, func(c []int) {
		p := make([]float64, m)
		norm := 0.0
		for i, ci := range c {
			p[i] = float64(ci)
			norm += p[i] * p[i]
		}
		for i := range p {
			p[i] /= math.Sqrt(norm)
		}
		front = append(front, p)
	})
	return front
}

// lattice calls f with every vector of m non-negative integers summing to h.
func lattice(prefix []int, m, h int, f func([]int)) {
	if len(prefix) == m-1 {
		f(append(prefix, h))
		return
	}
	for i := 0; i <= h; i++ {
		lattice(append(prefix, i), m, h-i, f)
	}
}

func binomial(n, k int) int {
	r := 1
	for i := 1; i <= k; i++ {
		r = r * (n - k + i) / i
	}
	return r
}

// Variation returns Deb's bounded SBX and polynomial mutation over the domain.
func (d DTLZ2) Variation() RealVariation {
	lo, hi := d.box().bounds()
	return RealVariation{Lower: lo, Upper: hi}
}

// String names the problem and its size.
func (d DTLZ2) String() string {
	m, k := d.dims()
	return fmt.Sprintf("DTLZ2(M=%d, K=%d)", m, k)
}
