package latency

import (
	"fmt"

	"github.com/zeronas/zeronas/objectives"
	"github.com/zeronas/zeronas/space"
)

// Model predicts the latency of a forward pass in milliseconds as a sum of explicit terms:
// the embeddings (by the first layer's hidden size), every layer, and every projection
// between consecutive layers of different hidden sizes. Predict(a) equals, bit for bit,
// Embedding(first hidden) + Σ Layer + Σ Projection accumulated in that order (see Sum),
// so a layer-wise dynamic programme over the terms optimises exactly what Predict reports.
// A Model also satisfies objectives.LatencyModel.
type Model interface {
	// Embedding returns the cost of the embeddings for a first layer of hidden size h and,
	// for a GPT-2 decoder, adaptive embedding e (nil for FlexiBERT).
	Embedding(hidden int, e *space.AdaptiveEmbedding) float64
	// Layer returns the cost of one encoder layer (token mixing and feed-forward stack).
	Layer(l space.Layer) float64
	// Projection returns the cost of the projection between hidden sizes; 0 when equal.
	Projection(from, to int) float64
	// Predict returns the predicted latency of a in milliseconds.
	Predict(a space.Arch) float64
	// Describe says what the model is and where its costs come from.
	Describe() string
}

// Sum returns the terms of a added in the order every Model's Predict uses (that of
// objectives.Sum): the embeddings, then each layer followed by the projection to the next.
func Sum(t objectives.Terms, a space.Arch) float64 { return objectives.Sum(t, a) }

// DefaultGFLOPS is the throughput of the analytic model: about what gonum's float32 GEMM
// sustains on one core of the 2-core AMD EPYC development machine (6 GFLOP/s for the
// matrix products alone, less for a whole forward pass).
const DefaultGFLOPS = 4.5

// Analytic predicts latency from the analytic FLOP count of the faithful build
// (space.LayerFLOPs, EmbeddingFLOPs and ProjectionFLOPs) at a constant throughput:
// ms = batch × FLOPs / (GFLOPS × 1e6). It is deterministic: for tests and for a first
// search before any measurement. It ignores memory traffic, softmax and GELU, and counts
// no attention scores for DSC, so it ranks architectures less well than a Table.
type Analytic struct {
	// Batch and SeqLen are the input shape.
	Batch, SeqLen int
	// GFLOPS is the assumed throughput in GFLOP/s.
	GFLOPS float64
}

// NewAnalytic returns the analytic model for the input shape of o at DefaultGFLOPS.
func NewAnalytic(o Options) Analytic {
	o = o.WithDefaults()
	return Analytic{Batch: o.Batch, SeqLen: o.SeqLen, GFLOPS: DefaultGFLOPS}
}

func (m Analytic) ms(flops float64) float64 { return float64(m.Batch) * flops / (m.GFLOPS * 1e6) }

// Embedding implements Model.
func (m Analytic) Embedding(hidden int, e *space.AdaptiveEmbedding) float64 {
	return m.ms(space.StemFLOPs(hidden, e, space.Faithful, m.SeqLen))
}

// Layer implements Model.
func (m Analytic) Layer(l space.Layer) float64 {
	return m.ms(space.LayerFLOPs(l, space.Faithful, m.SeqLen))
}

// Projection implements Model.
func (m Analytic) Projection(from, to int) float64 {
	return m.ms(space.ProjectionFLOPs(from, to, m.SeqLen))
}

// Predict implements Model.
func (m Analytic) Predict(a space.Arch) float64 { return Sum(m, a) }

// Describe implements Model.
func (m Analytic) Describe() string {
	return fmt.Sprintf("analytic: faithful FLOPs at %g GFLOP/s, batch %d, seq_len %d", m.GFLOPS, m.Batch, m.SeqLen)
}
