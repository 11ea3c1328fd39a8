package main

import (
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"

	"github.com/zeronas/zeronas/proxy/rank"
)

// The fitting helpers see labels only through train, the indices of the calibration
// records; every other label they are given is NaN (see eval.go).

// at returns x[i] for i in idx.
func at(x []float64, idx []int) []float64 {
	out := make([]float64, len(idx))
	for j, i := range idx {
		out[j] = x[i]
	}
	return out
}

// tau is Kendall's tau-b of x and y on idx, 0 when undefined (a constant sample).
func tau(x, y []float64, idx []int) float64 {
	t, err := rank.KendallTauB(at(x, idx), at(y, idx))
	if err != nil || math.IsNaN(t) {
		return 0
	}
	return t
}

// steps lists from, from+step, ..., to, rounded to the step's precision.
func steps(from, to, step float64) []float64 {
	var v []float64
	for i := 0; from+float64(i)*step <= to+1e-9; i++ {
		v = append(v, math.Round((from+float64(i)*step)*1e9)/1e9)
	}
	return v
}

// gridFit returns the point of grid (a list of parameter vectors) whose score ranks the
// train records best by Kendall tau-b; the first such point on ties.
func gridFit(grid [][]float64, score func(p []float64) []float64, y []float64, train []int) []float64 {
	best, bestTau := grid[0], math.Inf(-1)
	for _, p := range grid {
		if t := tau(score(p), y, train); t > bestTau {
			best, bestTau = p, t
		}
	}
	return best
}

// product returns every combination of one value from each axis.
func product(axes ...[]float64) [][]float64 {
	out := [][]float64{nil}
	for _, ax := range axes {
		var next [][]float64
		for _, p := range out {
			for _, v := range ax {
				next = append(next, append(append([]float64(nil), p...), v))
			}
		}
		out = next
	}
	return out
}

// standardize returns (x - mean) / sd with the mean and sd of x on train (label-free, but
// taken from the calibration records alone so nothing about the others enters the fit).
func standardize(x []float64, train []int) []float64 {
	m, s := stat.MeanStdDev(at(x, train), nil)
	if s == 0 || math.IsNaN(s) {
		s = 1
	}
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = (v - m) / s
	}
	return out
}

// ridge fits w minimising |r - Xw|^2 + lambda |w|^2 on the train records, X the features
// standardized on train and r the standardized ranks of the train labels (rank regression),
// and returns X w for every record.
func ridge(features [][]float64, y []float64, train []int, lambda float64) ([]float64, []float64) {
	k, n := len(features), len(train)
	z := make([][]float64, k)
	X := mat.NewDense(n, k, nil)
	for j, f := range features {
		z[j] = standardize(f, train)
		for r, i := range train {
			X.Set(r, j, z[j][i])
		}
	}
	ranks := rank.Ranks(at(y, train))
	m, s := stat.MeanStdDev(ranks, nil)
	r := mat.NewVecDense(n, nil)
	for i, v := range ranks {
		r.SetVec(i, (v-m)/s)
	}
	var A mat.Dense
	A.Mul(X.T(), X)
	for j := 0; j < k; j++ {
		A.Set(j, j, A.At(j, j)+lambda)
	}
	var b, w mat.VecDense
	b.MulVec(X.T(), r)
	if err := w.SolveVec(&A, &b); err != nil {
		// lambda > 0 keeps A positive definite; fall back to equal weights if it is not.
		w = *mat.NewVecDense(k, nil)
		for j := 0; j < k; j++ {
			w.SetVec(j, 1)
		}
	}
	out := make([]float64, len(y))
	for j := range z {
		for i := range out {
			out[i] += w.AtVec(j) * z[j][i]
		}
	}
	return out, w.RawVector().Data
}

// meanRank returns, per record, the mean over xs of its rank (from 1, ties averaged).
func meanRank(xs ...[]float64) []float64 {
	out := make([]float64, len(xs[0]))
	for _, x := range xs {
		for i, r := range rank.Ranks(x) {
			out[i] += r / float64(len(xs))
		}
	}
	return out
}

// smoothArgmax returns the grid alpha whose |tau|, averaged with its two neighbours (one at
// the ends), is largest: a smoothness prior on the calibration curve (candidate 7).
func smoothArgmax(alphas, taus []float64) float64 {
	best, bestV := alphas[0], math.Inf(-1)
	for i := range alphas {
		var s, c float64
		for j := max(0, i-1); j <= min(len(alphas)-1, i+1); j++ {
			s += math.Abs(taus[j])
			c++
		}
		if s/c > bestV {
			best, bestV = alphas[i], s/c
		}
	}
	return best
}

// meanSD returns the mean and the sample standard deviation (0 for one value).
func meanSD(x []float64) (float64, float64) {
	if len(x) < 2 {
		return stat.Mean(x, nil), 0
	}
	return stat.MeanStdDev(x, nil)
}
