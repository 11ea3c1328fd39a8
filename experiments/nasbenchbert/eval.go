package main

import (
	"context"
	"errors"
	"math"
	"path/filepath"
	"runtime"

	"gonum.org/v1/gonum/stat"

	"github.com/zeronas/zeronas/proxy"
	"github.com/zeronas/zeronas/proxy/rank"
	"github.com/zeronas/zeronas/space"
)

// row is one line of the table: a proxy under one build, init and statistic.
type row struct {
	Proxy string `json:"proxy"`
	Build string `json:"build"`
	Init  string `json:"init"`
	Stat  string `json:"stat"`
	// In-sample: alpha calibrated on every record and scored on the same records.
	InRho, InTau, InAlpha float64
	// Held out: alpha calibrated on Sample records, scored on the rest, over Repeats seeds.
	OutRho, OutRhoSD, OutTau, OutTauSD, OutAlpha float64
	// Heuristic: label-free alpha, scored on every record.
	HeurRho, HeurTau, HeurAlpha float64
	N                           int
}

type setup struct {
	recs    []space.Record
	labels  []float64
	target  string
	file    string
	sp      *space.Space
	sample  int
	repeats int
	// noStatHeuristic skips the heuristic alpha of the SVD statistics: on LTS its 2,000
	// sampled decoders bring thousands of new matrix shapes.
	noStatHeuristic bool
	// noShare gives each SVD statistic's scorer its own singular values, as before
	// proxy.DrawCache: for timing the sharing.
	noShare bool
}

// heuristicSample and heuristicSeed are the draw of the label-free alpha.
const heuristicSample, heuristicSeed = 2000, 1

func newSetup(spaceName, path string, sample, repeats int) (*setup, error) {
	sp, err := space.Load(spaceName)
	if err != nil {
		return nil, err
	}
	recs, err := space.ReadRecords(path, sp)
	if err != nil {
		return nil, err
	}
	y, target, err := proxy.Labels(path, recs)
	if err != nil {
		return nil, err
	}
	if sample >= len(recs)-2 {
		return nil, errors.New("the calibration sample leaves fewer than 3 records to score")
	}
	return &setup{recs: recs, labels: y, target: target, file: filepath.Base(path), sp: sp, sample: sample, repeats: repeats}, nil
}

func corr(x, y []float64) (rho, tau float64) {
	rho, _ = rank.Spearman(x, y)
	tau, _ = rank.KendallTauB(x, y)
	return rho, tau
}

// fixed evaluates a proxy without alpha (params, FLOPs, one sub-module sum).
func (s *setup) fixed(p proxy.Proxy, r row) row {
	x := make([]float64, len(s.recs))
	for i, rec := range s.recs {
		x[i] = p.Value(rec.Arch)
	}
	r.N = len(x)
	r.InRho, r.InTau = corr(x, s.labels)
	r.OutRho, r.OutTau, r.HeurRho, r.HeurTau = math.NaN(), math.NaN(), math.NaN(), math.NaN()
	return r
}

// zerolm evaluates ZeroLM in-sample, held out over repeated calibration samples, and with the
// label-free heuristic alpha.
// opts configure the scorer (a shared proxy.DrawCache).
func (s *setup) zerolm(set proxy.Settings, r row, opts ...proxy.Option) (row, error) {
	z, err := proxy.NewZeroLM(set, opts...)
	if err != nil {
		return r, err
	}
	archs := make([]space.Arch, len(s.recs))
	for i, rec := range s.recs {
		archs[i] = rec.Arch
	}
	scores, err := proxy.ScoreAll(context.Background(), z, archs, runtime.GOMAXPROCS(0))
	if err != nil {
		return r, err
	}
	parts := proxy.PartsOf(scores)
	score := func(alpha float64, idx []int) ([]float64, []float64) {
		var x, y []float64
		for _, i := range idx {
			x = append(x, proxy.Combine(alpha, parts.Attn[i], parts.FFN[i]))
			y = append(y, s.labels[i])
		}
		return x, y
	}
	all := make([]int, len(s.recs))
	for i := range all {
		all[i] = i
	}
	r.N = len(all)
	in, err := proxy.CalibrateSampling(parts, s.labels, len(all), 0, proxy.DefaultGrid())
	if err != nil {
		return r, err
	}
	r.InAlpha = in.Alpha
	r.InRho, r.InTau = corr(score(in.Alpha, all))
	var rhos, taus, alphas []float64
	for seed := 1; seed <= s.repeats; seed++ {
		c, err := proxy.CalibrateSampling(parts, s.labels, s.sample, uint64(seed), proxy.DefaultGrid())
		if err != nil {
			return r, err
		}
		h := proxy.ScoreHeldOut(parts, s.labels, c)
		rhos, taus, alphas = append(rhos, h.Spearman), append(taus, h.Kendall), append(alphas, c.Alpha)
	}
	r.OutRho, r.OutRhoSD = meanSD(rhos)
	r.OutTau, r.OutTauSD = meanSD(taus)
	r.OutAlpha, _ = meanSD(alphas)
	if z.Settings().Stat != proxy.Frob && s.noStatHeuristic {
		r.HeurAlpha, r.HeurRho, r.HeurTau = math.NaN(), math.NaN(), math.NaN()
		return r, nil
	}
	// The calibration scores its sample one at a time: scoring it first on every core fills
	// z's caches, so that the new matrix shapes' Monte Carlo statistics are computed in
	// parallel. The alpha is the same (proxy tests hold it).
	sample, err := proxy.HeuristicSample(s.sp, heuristicSample, heuristicSeed)
	if err != nil {
		return r, err
	}
	if _, err := proxy.ScoreAll(context.Background(), z, sample, runtime.GOMAXPROCS(0)); err != nil {
		return r, err
	}
	h, err := proxy.CalibrateHeuristic(z, s.sp, heuristicSample, heuristicSeed)
	if err != nil {
		return r, err
	}
	r.HeurAlpha = h.Alpha
	r.HeurRho, r.HeurTau = corr(score(h.Alpha, all))
	return r, nil
}

// meanSD returns the mean and the sample standard deviation (0 for one value).
func meanSD(x []float64) (float64, float64) {
	if len(x) < 2 {
		return stat.Mean(x, nil), 0
	}
	return stat.MeanStdDev(x, nil)
}
