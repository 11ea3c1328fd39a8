package main

import (
	"fmt"
	"math"

	"github.com/zeronas/zeronas/proxy"
	"github.com/zeronas/zeronas/space"
)

// fitFunc returns every record's score after fitting on the train records (y is NaN for
// every other record; a label-free candidate gets neither) and the fitted parameters.
type fitFunc func(train []int, y []float64) (scores, params []float64, err error)

// candidate is one row of the table: a baseline or one of PLAN.md's candidates.
type candidate struct {
	id, name string
	baseline bool
	// k is the number of labelled records a fitted candidate is fitted on; 0 is label-free.
	k int
	// paramNames name what fit returns as params.
	paramNames string
	fit        fitFunc
	// skip, when set, says why the candidate was not run on this space.
	skip string
}

func labelFree(x []float64) fitFunc {
	return func([]int, []float64) ([]float64, []float64, error) { return x, nil, nil }
}

func combine(p proxy.Parts, alpha float64) []float64 {
	x := make([]float64, len(p.Attn))
	for i := range x {
		x[i] = proxy.Combine(alpha, p.Attn[i], p.FFN[i])
	}
	return x
}

// calibrate is ZeroLM's benchmark-sampling alpha on the train records alone: the records
// CalibrateSampling draws for the same seed, handed to it as the whole sample.
func calibrate(p proxy.Parts, y []float64, train []int) (proxy.Calibration, error) {
	sub := proxy.Parts{Attn: at(p.Attn, train), FFN: at(p.FFN, train)}
	return proxy.CalibrateSampling(sub, at(y, train), len(train), 0, proxy.DefaultGrid())
}

// zerolmFit is ZeroLM as shipped: alpha by benchmark sampling on the train records.
func zerolmFit(p proxy.Parts) fitFunc {
	return func(train []int, y []float64) ([]float64, []float64, error) {
		c, err := calibrate(p, y, train)
		if err != nil {
			return nil, nil, err
		}
		return combine(p, c.Alpha), []float64{c.Alpha}, nil
	}
}

// baselines are the rows every candidate is compared with, in the faithful build.
func baselines(b *bench) ([]candidate, error) {
	cs := []candidate{
		{id: "B0", name: "ZeroLM as shipped (alpha by benchmark sampling)", baseline: true, k: 50, paramNames: "alpha", fit: zerolmFit(b.parts)},
		{id: "B0/20", name: "ZeroLM as shipped, 20 labels", baseline: true, k: 20, paramNames: "alpha", fit: zerolmFit(b.parts)},
	}
	h, err := proxy.CalibrateHeuristic(b.z, b.sp, 2000, 1)
	if err != nil {
		return nil, err
	}
	cs = append(cs, candidate{id: "B1", name: fmt.Sprintf("ZeroLM, label-free heuristic alpha %.2f", h.Alpha), baseline: true, fit: labelFree(combine(b.parts, h.Alpha))})
	type base struct {
		name  string
		build space.Build
	}
	list := []base{{"nonembedding", space.Faithful}, {"params", space.Faithful}, {"flops", space.Faithful}, {"attn", space.Faithful}, {"ffn", space.Faithful}}
	if b.sp.Family == space.FamilyGPT2 {
		list = append(list, base{"nonembedding", space.TransformerXL})
	}
	for i, l := range list {
		set := faithful
		set.Build = l.build
		p, err := proxy.New(l.name, set)
		if err != nil {
			return nil, err
		}
		x := make([]float64, len(b.recs))
		for j, r := range b.recs {
			x[j] = p.Value(r.Arch)
		}
		name := l.name
		if l.build != space.Faithful {
			name += " (" + l.build.String() + " build, as LTS counts it)"
		}
		cs = append(cs, candidate{id: fmt.Sprintf("B%d", i+2), name: name, baseline: true, fit: labelFree(x)})
	}
	return cs, nil
}

var alphas = steps(-1.5, 1.5, 0.1) // proxy.DefaultGrid's points

// candidates are PLAN.md's, numbered as there (6c and 9 added after the first run).
func candidates(b *bench) ([]candidate, error) {
	n := len(b.recs)
	var cs []candidate

	// 1. Three sub-modules: alpha S_attn + (1 - alpha) S_ffn + beta S_third.
	cs = append(cs, candidate{id: "1", name: "three sums: + beta * (embeddings and projections)", k: 50, paramNames: "alpha, beta",
		fit: func(train []int, y []float64) ([]float64, []float64, error) {
			score := func(p []float64) []float64 {
				x := combine(b.parts, p[0])
				for i := range x {
					x[i] += p[1] * b.third[i]
				}
				return x
			}
			p := gridFit(product(alphas, steps(-1.5, 1.5, 0.1)), score, y, train)
			return score(p), p, nil
		}})

	// 2. Attention by operation and feed-forward, ridge-regularised rank regression.
	feats := append(append([][]float64(nil), b.ops...), b.parts.FFN)
	name := "per-operation attention sums + ffn, ridge rank regression (lambda 5)"
	if len(b.ops) == 1 {
		name += "; one operation here, so attn + ffn"
	}
	cs = append(cs, candidate{id: "2", name: name, k: 50, paramNames: "weights of " + fmt.Sprint(b.opNames) + " and ffn (standardized)",
		fit: func(train []int, y []float64) ([]float64, []float64, error) {
			x, w := ridge(feats, y, train, 5)
			return x, w, nil
		}})

	// 3. Depth term: ZeroLM (its own alpha) + beta * depth, both standardized on train.
	cs = append(cs, candidate{id: "3", name: "ZeroLM + beta * depth", k: 50, paramNames: "alpha, beta",
		fit: func(train []int, y []float64) ([]float64, []float64, error) {
			c, err := calibrate(b.parts, y, train)
			if err != nil {
				return nil, nil, err
			}
			zs, ds := standardize(combine(b.parts, c.Alpha), train), standardize(b.depth, train)
			score := func(p []float64) []float64 {
				x := make([]float64, n)
				for i := range x {
					x[i] = zs[i] + p[0]*ds[i]
				}
				return x
			}
			p := gridFit(product(steps(-2, 2, 0.05)), score, y, train)
			return score(p), []float64{c.Alpha, p[0]}, nil
		}})

	// 4. Depth-weighted capacity: layer l of D weighted by 1 + gamma * l / D.
	cs = append(cs, candidate{id: "4", name: "depth-weighted capacity (1 + gamma * l / D)", k: 50, paramNames: "alpha, gamma",
		fit: func(train []int, y []float64) ([]float64, []float64, error) {
			score := func(p []float64) []float64 {
				x := make([]float64, n)
				for i := range x {
					d := float64(len(b.layerA[i]))
					for l := range b.layerA[i] {
						x[i] += (1 + p[1]*float64(l)/d) * proxy.Combine(p[0], b.layerA[i][l], b.layerF[i][l])
					}
				}
				return x
			}
			p := gridFit(product(alphas, steps(-0.9, 2, 0.1)), score, y, train)
			return score(p), p, nil
		}})

	// 5. Multiplicative model: log S_attn + lambda log S_ffn.
	cs = append(cs, candidate{id: "5", name: "log S_attn + lambda * log S_ffn", k: 50, paramNames: "lambda",
		fit: func(train []int, y []float64) ([]float64, []float64, error) {
			score := func(p []float64) []float64 {
				x := make([]float64, n)
				for i := range x {
					x[i] = math.Log(b.parts.Attn[i]) + p[0]*math.Log(b.parts.FFN[i])
				}
				return x
			}
			p := gridFit(product(steps(-3, 3, 0.05)), score, y, train)
			return score(p), p, nil
		}})

	// 6. Rank ensembles of frob, stable-rank and entropy ZeroLM scores.
	six, err := ensembles(b)
	if err != nil {
		return nil, err
	}
	cs = append(cs, six...)

	// 7. Robust calibration: the grid's |tau| curve smoothed over neighbours before argmax.
	for _, k := range []int{50, 20} {
		id := "7a"
		if k == 20 {
			id = "7b"
		}
		cs = append(cs, candidate{id: id, name: fmt.Sprintf("alpha by smoothed-grid argmax, %d labels", k), k: k, paramNames: "alpha",
			fit: func(train []int, y []float64) ([]float64, []float64, error) {
				c, err := calibrate(b.parts, y, train)
				if err != nil {
					return nil, nil, err
				}
				var as, ts []float64
				for _, g := range c.Grid {
					as, ts = append(as, g.Alpha), append(ts, g.Tau)
				}
				a := smoothArgmax(as, ts)
				return combine(b.parts, a), []float64{a}, nil
			}})
	}

	// 8. Label-free alpha: spreads in proportion to parameter shares.
	s, err := proxy.CalibrateShare(b.z, b.sp, 2000, 1)
	if err != nil {
		return nil, err
	}
	cs = append(cs, candidate{id: "8", name: fmt.Sprintf("label-free alpha %.2f: spreads in proportion to parameter shares", s.Alpha), fit: labelFree(combine(b.parts, s.Alpha))})
	return append(cs, ascent(b)), nil
}

var ensembleStats = []proxy.Stat{proxy.Frob, proxy.StableRank, proxy.Entropy}

// ensembles are candidate 6: the mean rank of the three statistics' ZeroLM scores, each
// with its alpha calibrated on the train records (6a) or its label-free heuristic alpha
// (6b); 6c is 6a with the Marchenko-Pastur approximation of the SVD statistics (mp.go).
func ensembles(b *bench) ([]candidate, error) {
	a := candidate{id: "6a", name: "mean rank of frob, stable-rank, entropy ZeroLM (alpha each by benchmark sampling)", k: 50, paramNames: "alpha frob, stable-rank, entropy"}
	l := candidate{id: "6b", name: "mean rank of frob, stable-rank, entropy ZeroLM (heuristic alpha each)"}
	m := candidate{id: "6c", name: "6a with Marchenko-Pastur stable rank and entropy (approximate, no SVD)", k: 50, paramNames: a.paramNames,
		fit: fittedEnsemble(map[proxy.Stat]proxy.Parts{proxy.Frob: b.parts, proxy.StableRank: b.mp[proxy.StableRank], proxy.Entropy: b.mp[proxy.Entropy]})}
	parts := map[proxy.Stat]proxy.Parts{proxy.Frob: b.parts}
	for _, st := range ensembleStats[1:] {
		p, ok := b.stats[st]
		if !ok {
			a.skip = "not run: the " + string(st) + " sums (Monte Carlo SVDs) were not computed, see the note on cost"
			l.skip = a.skip
			return []candidate{a, l, m}, nil
		}
		parts[st] = p
	}
	a.fit = fittedEnsemble(parts)
	var xs [][]float64
	draws := &proxy.DrawCache{} // the SVD statistics share their singular values
	for _, st := range ensembleStats {
		set := faithful
		set.Stat = st
		z, err := proxy.NewZeroLM(set, proxy.WithDrawCache(draws))
		if err != nil {
			return nil, err
		}
		h, err := proxy.CalibrateHeuristic(z, b.sp, 2000, 1)
		if err != nil {
			return nil, err
		}
		xs = append(xs, combine(parts[st], h.Alpha))
	}
	l.fit = labelFree(meanRank(xs...))
	return []candidate{a, l, m}, nil
}

// fittedEnsemble is the mean rank of the statistics' ZeroLM scores, each with its alpha by
// benchmark sampling on the train records.
func fittedEnsemble(parts map[proxy.Stat]proxy.Parts) fitFunc {
	return func(train []int, y []float64) ([]float64, []float64, error) {
		var xs [][]float64
		var ps []float64
		for _, st := range ensembleStats {
			c, err := calibrate(parts[st], y, train)
			if err != nil {
				return nil, nil, err
			}
			xs, ps = append(xs, combine(parts[st], c.Alpha)), append(ps, c.Alpha)
		}
		return meanRank(xs...), ps, nil
	}
}

// ascentFit is candidate 9: weights of features (per-operation attention sums, ffn, third)
// started at start and moved one at a time over its value plus offsets, on a strictly higher
// Kendall tau on the train records, for sweeps sweeps.
func ascentFit(features [][]float64, start []float64, y []float64, train []int, sweeps int) ([]float64, []float64) {
	n := len(features[0])
	w := append([]float64(nil), start...)
	score := func(w []float64) []float64 {
		x := make([]float64, n)
		for j, f := range features {
			for i := range x {
				x[i] += w[j] * f[i]
			}
		}
		return x
	}
	best := tau(score(w), y, train)
	offsets := steps(-1.5, 1.5, 0.1)
	for s := 0; s < sweeps; s++ {
		for j := range w {
			cur := w[j]
			for _, o := range offsets {
				w[j] = math.Round((cur+o)*1e9) / 1e9
				if t := tau(score(w), y, train); t > best {
					best, cur = t, w[j]
				}
			}
			w[j] = cur
		}
	}
	return score(w), w
}

// ascent is candidate 9 on b.
func ascent(b *bench) candidate {
	feats := append(append([][]float64(nil), b.ops...), b.parts.FFN, b.third)
	return candidate{id: "9", name: "per-operation attention weights + ffn + third sum, coordinate ascent on tau from ZeroLM's alpha (post hoc)", k: 50,
		paramNames: "weights of " + fmt.Sprint(b.opNames) + ", ffn, third",
		fit: func(train []int, y []float64) ([]float64, []float64, error) {
			c, err := calibrate(b.parts, y, train)
			if err != nil {
				return nil, nil, err
			}
			start := make([]float64, len(feats))
			for g := range b.ops {
				start[g] = c.Alpha
			}
			start[len(b.ops)] = 1 - c.Alpha
			x, w := ascentFit(feats, start, y, train, 3)
			return x, w, nil
		}}
}
