package main

import (
	"fmt"
	"math"

	"github.com/zeronas/zeronas/proxy"
	"github.com/zeronas/zeronas/proxy/rank"
)

// result is one candidate on one space.
type result struct {
	space string
	c     candidate
	n     int
	// Held out: fitted on the seed's calibration records, scored on the rest; a label-free
	// candidate is scored on the same held-out records, so the spreads compare.
	outRho, outRhoSD, outTau, outTauSD float64
	// All: a label-free candidate on every record. In: a fitted one fitted and scored on
	// every record (beside, never instead).
	allRho, allTau, inRho, inTau float64
	params                       []float64 // mean fitted parameters over seeds
	// beats reports a held-out mean above ZeroLM's by more than the larger seed sd, in both
	// Spearman and Kendall.
	beats bool
}

// masked returns the labels with every record outside train set to NaN: all a fit sees.
func masked(y []float64, train []int) []float64 {
	m := make([]float64, len(y))
	for i := range m {
		m[i] = math.NaN()
	}
	for _, i := range train {
		m[i] = y[i]
	}
	return m
}

// heldOut returns the indices of 0..n-1 outside train (sorted).
func heldOut(n int, train []int) []int {
	in := make([]bool, n)
	for _, i := range train {
		in[i] = true
	}
	var out []int
	for i := 0; i < n; i++ {
		if !in[i] {
			out = append(out, i)
		}
	}
	return out
}

func corr(x, y []float64, idx []int) (float64, float64) {
	rho, _ := rank.Spearman(at(x, idx), at(y, idx))
	tau, _ := rank.KendallTauB(at(x, idx), at(y, idx))
	return rho, tau
}

// evaluate scores c on b over seeds 1..seeds.
func evaluate(b *bench, c candidate, seeds int) (result, error) {
	n := len(b.recs)
	r := result{space: b.name, c: c, n: n}
	nan := math.NaN()
	r.outRho, r.outRhoSD, r.outTau, r.outTauSD, r.allRho, r.allTau, r.inRho, r.inTau = nan, nan, nan, nan, nan, nan, nan, nan
	if c.skip != "" {
		return r, nil
	}
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	k := c.k
	if k == 0 {
		x, _, err := c.fit(nil, nil)
		if err != nil {
			return r, err
		}
		r.allRho, r.allTau = corr(x, b.labels, all)
		k = 50 // the held-out records of the 50-label split, for comparable spreads
	} else {
		x, _, err := c.fit(all, b.labels)
		if err != nil {
			return r, err
		}
		r.inRho, r.inTau = corr(x, b.labels, all)
	}
	var rhos, taus []float64
	var params [][]float64
	for seed := 1; seed <= seeds; seed++ {
		train := proxy.CalibrationSample(n, k, uint64(seed))
		var x, p []float64
		var err error
		if c.k == 0 {
			x, p, err = c.fit(nil, nil)
		} else {
			x, p, err = c.fit(train, masked(b.labels, train))
		}
		if err != nil {
			return r, fmt.Errorf("%s, candidate %s, seed %d: %w", b.name, c.id, seed, err)
		}
		rho, tau := corr(x, b.labels, heldOut(n, train))
		rhos, taus, params = append(rhos, rho), append(taus, tau), append(params, p)
	}
	r.outRho, r.outRhoSD = meanSD(rhos)
	r.outTau, r.outTauSD = meanSD(taus)
	for j := range params[0] {
		var s float64
		for _, p := range params {
			s += p[j]
		}
		r.params = append(r.params, s/float64(len(params)))
	}
	return r, nil
}

// decide marks the results that beat ZeroLM as shipped (the first result) on its space.
func decide(rs []result) {
	z := rs[0]
	for i := range rs[1:] {
		r := &rs[i+1]
		if math.IsNaN(r.outRho) {
			continue
		}
		r.beats = r.outRho-z.outRho > math.Max(r.outRhoSD, z.outRhoSD) && r.outTau-z.outTau > math.Max(r.outTauSD, z.outTauSD)
	}
}
