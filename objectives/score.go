package objectives

import (
	"context"

	"github.com/zeronas/zeronas/internal/parallel"
	"github.com/zeronas/zeronas/proxy"
	"github.com/zeronas/zeronas/space"
)

// Scores are what 'zeronas score' reports of an architecture: its size and cost under the
// proxy's build, its ZeroLM sums and score, and its predicted latency.
type Scores struct {
	ArchID    string  `json:"arch_id"`
	Params    int64   `json:"params"`
	FLOPs     float64 `json:"flops"`
	Attn      float64 `json:"s_attn"`
	FFN       float64 `json:"s_ffn"`
	Score     float64 `json:"score"`
	LatencyMS float64 `json:"latency_ms"`
}

// ScoreArchs scores every architecture with z and predicts its latency with lat, on
// workers goroutines; the result does not depend on workers.
func ScoreArchs(ctx context.Context, archs []space.Arch, z *proxy.ZeroLM, lat Terms, workers int) ([]Scores, error) {
	b := z.Settings().Build
	out := make([]Scores, len(archs))
	err := parallel.For(ctx, len(archs), workers, func(_, i int) error {
		a := archs[i]
		s := z.Score(a)
		out[i] = Scores{ArchID: a.ID(), Params: space.Params(a, b), FLOPs: space.FLOPs(a, b, space.SeqLen),
			Attn: s.Attn, FFN: s.FFN, Score: s.Score, LatencyMS: Sum(lat, a)}
		return nil
	})
	return out, err
}
