package main

import (
	"math"

	"github.com/zeronas/zeronas/proxy"
	"github.com/zeronas/zeronas/space"
)

// Candidate 6 at a cost LTS allows: the expected stable rank and entropy of a random m x n
// matrix from the Marchenko-Pastur law of its squared singular values, in closed form or by
// quadrature, instead of the proxy's Monte Carlo mean of three SVDs per shape (about 4 s per
// 512 x 1500 shape here, and LTS has some 3,000 feed-forward shapes). An approximation:
// exact as the matrix grows, a few per cent off for small ones (a test bounds it).

// mpEdges returns the support [a, b] of the Marchenko-Pastur law of ratio c = min/max.
func mpEdges(c float64) (a, b float64) {
	s := math.Sqrt(c)
	return (1 - s) * (1 - s), (1 + s) * (1 + s)
}

// mpMean returns E[g(x)] under the Marchenko-Pastur law of ratio c in (0, 1] (mean 1), by
// the midpoint rule in theta, where x = a + (b - a)(1 - cos theta)/2 removes the square-root
// edges of the density.
func mpMean(c float64, g func(x float64) float64) float64 {
	a, b := mpEdges(c)
	const steps = 4000
	h := math.Pi / steps
	r := (b - a) / 2
	var s float64
	for i := 0; i < steps; i++ {
		th := (float64(i) + 0.5) * h
		x := a + r*(1-math.Cos(th))
		sin := math.Sin(th)
		s += g(x) * r * r * sin * sin / (2 * math.Pi * c * x) * h
	}
	return s
}

// mpCapacity returns the Marchenko-Pastur approximation of the expected statistic st of an
// out x in matrix of i.i.d. weights (stable rank and entropy do not depend on the variance).
func mpCapacity(st proxy.Stat, in, out int) float64 {
	k, n := float64(min(in, out)), float64(max(in, out))
	c := k / n
	switch st {
	case proxy.StableRank:
		// sum sigma^2 / max sigma^2 = k E[x] / b.
		_, b := mpEdges(c)
		return k / b
	case proxy.Entropy:
		// p_i = sigma_i / sum sigma, sigma proportional to sqrt(x):
		// exp(H) = k E[sqrt x] exp(-E[sqrt x log x] / (2 E[sqrt x])).
		m := mpMean(c, math.Sqrt)
		l := mpMean(c, func(x float64) float64 { return math.Sqrt(x) * math.Log(x) })
		return k * m * math.Exp(-l/(2*m))
	}
	panic("mpCapacity: statistic " + string(st) + " has no approximation here")
}

// addStatMP sets the sub-module sums under st from mpCapacity, as ZeroLM sums them.
func (b *bench) addStatMP(st proxy.Stat) {
	p := proxy.Parts{Attn: make([]float64, len(b.recs)), FFN: make([]float64, len(b.recs))}
	cache := map[[2]int]float64{}
	for i, r := range b.recs {
		for _, t := range space.Tensors(r.Arch, faithful.Build) {
			if !t.Scored() {
				continue
			}
			key := [2]int{t.In, t.Out}
			v, ok := cache[key]
			if !ok {
				v = mpCapacity(st, t.In, t.Out)
				cache[key] = v
			}
			if t.Role == space.Attention {
				p.Attn[i] += v
			} else {
				p.FFN[i] += v
			}
		}
	}
	b.mp[st] = p
}
