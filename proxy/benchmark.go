package proxy

import (
	"context"
	"fmt"
	"math"

	"github.com/zeronas/zeronas/internal/parallel"
	"github.com/zeronas/zeronas/proxy/rank"
	"github.com/zeronas/zeronas/space"
)

// Labels returns every record's trained target (space.Record.Target: NAS-Bench-BERT's GLUE
// score, or LTS's negated validation perplexity; higher is better) and the target's name,
// or a *space.RecordError naming the first record without a finite one, or with another
// target than the first record's.
func Labels(file string, recs []space.Record) ([]float64, string, error) {
	y := make([]float64, len(recs))
	var target string
	for i, r := range recs {
		name, v, ok := r.Target()
		if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, "", &space.RecordError{File: file, Index: r.Index, ID: r.ID,
				Err: fmt.Errorf("missing field %s (NAS-Bench-BERT) or metrics.valid_ppl (LTS)", space.TargetGLUE)}
		}
		if i == 0 {
			target = name
		} else if name != target {
			return nil, "", &space.RecordError{File: file, Index: r.Index, ID: r.ID, Err: fmt.Errorf("target %s, but record 0 has %s", name, target)}
		}
		y[i] = v
	}
	return y, target, nil
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
