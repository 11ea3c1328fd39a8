package proxy

import (
	"errors"

	"gonum.org/v1/gonum/stat"

	"github.com/zeronas/zeronas/space"
)

// CalibrateShare chooses alpha without labels so that each sub-module moves the score in
// proportion to its share of the parameters: over n architectures drawn from sp with seed
// (the draw of CalibrateHeuristic), alpha * sd(S_attn) / ((1 - alpha) * sd(S_ffn)) equals
// the ratio of the mean attention and feed-forward parameter counts in the scorer's build.
// CalibrateHeuristic balances the spreads equally instead (issue 14, candidate 8).
func CalibrateShare(z *ZeroLM, sp *space.Space, n int, seed uint64) (Calibration, error) {
	if err := checkHeuristicSample(n); err != nil {
		return Calibration{}, err
	}
	attn, ffn := make([]float64, n), make([]float64, n)
	var pa, pf float64
	for i, a := range heuristicDraws(sp, n, seed) {
		s := z.Score(a)
		attn[i], ffn[i] = s.Attn, s.FFN
		r := space.ParamsByRole(a, z.set.Build)
		pa += float64(r.Attention)
		pf += float64(r.FeedForward)
	}
	sa, sf := stat.StdDev(attn, nil), stat.StdDev(ffn, nil)
	den := sa*pf + sf*pa
	if den == 0 {
		return Calibration{}, errors.New("proxy: calibrate: both sub-module sums are constant over the space, or it has no attention or feed-forward parameters")
	}
	return Calibration{Alpha: sf * pa / den, Strategy: "share"}, nil
}
