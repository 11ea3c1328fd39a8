package proxy

import (
	"context"
	"fmt"
	"math"

	"github.com/zeronas/zeronas/internal/parallel"
	"github.com/zeronas/zeronas/proxy/rank"
	"github.com/zeronas/zeronas/space"
)

// Target names the trained score benchmark records are ranked by: NAS-Bench-BERT's GLUE
// score, higher is better.
const Target = "glue"

// Labels returns every record's Target score, or a *space.RecordError naming the first
// record without a finite one.
func Labels(file string, recs []space.Record) ([]float64, error) {
	y := make([]float64, len(recs))
	for i, r := range recs {
		v, ok := r.Scores[Target]
		if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, &space.RecordError{File: file, Index: r.Index, ID: r.ID, Err: fmt.Errorf("missing field scores.%s", Target)}
		}
		y[i] = v
	}
	return y, nil
}

// ScoreAll scores every architecture with z on workers goroutines; the result does not
// depend on workers.
func ScoreAll(ctx context.Context, z *ZeroLM, archs []space.Arch, workers int) ([]Score, error) {
	out := make([]Score, len(archs))
	err := parallel.For(ctx, len(archs), workers, func(_, i int) error {
		out[i] = z.Score(archs[i])
		return nil
	})
	return out, err
}

// PartsOf returns the sub-module sums of scores, the input of calibration.
func PartsOf(scores []Score) Parts {
	p := Parts{Attn: make([]float64, len(scores)), FFN: make([]float64, len(scores))}
	for i, s := range scores {
		p.Attn[i], p.FFN[i] = s.Attn, s.FFN
	}
	return p
}

// HeldOut is how a calibrated alpha ranks the records it was not calibrated on.
type HeldOut struct {
	N        int     `json:"heldout_n"`
	Spearman float64 `json:"heldout_spearman"`
	Kendall  float64 `json:"heldout_kendall"`
}

// ScoreHeldOut ranks the records outside cal.Sample by ZeroLM with cal.Alpha against their
// labels; N is 0 when fewer than two are left.
func ScoreHeldOut(p Parts, labels []float64, cal Calibration) HeldOut {
	used := make(map[int]bool, len(cal.Sample))
	for _, i := range cal.Sample {
		used[i] = true
	}
	var x, y []float64
	for i := range labels {
		if !used[i] {
			x = append(x, Combine(cal.Alpha, p.Attn[i], p.FFN[i]))
			y = append(y, labels[i])
		}
	}
	if len(x) < 2 {
		return HeldOut{}
	}
	h := HeldOut{N: len(x)}
	h.Spearman, _ = rank.Spearman(x, y)
	h.Kendall, _ = rank.KendallTauB(x, y)
	return h
}
