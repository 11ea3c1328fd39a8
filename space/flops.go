package space

import "math"

// The analytic FLOP model counts two operations per multiply-add of every matrix product,
// the attention score and mixing products, the transforms and convolutions, and five per
// element of a LayerNorm. It ignores softmax, GELU and memory traffic: it is an estimate
// of work, not of time.

// LayerFLOPs returns the analytic FLOPs of a built layer over seq tokens (batch 1).
func LayerFLOPs(l Layer, b Build, seq int) float64 {
	L := float64(seq)
	H := float64(l.Hidden)
	var f float64
	for _, t := range LayerTensors(nil, 0, l, b) {
		f += tensorFLOPs(t, L)
	}
	switch l.Op {
	case OpCSA:
		f += 4 * L * L * H // computed in full and masked, as GPT-2 implementations do
		if b == TransformerXL {
			f += 2 * L * L * H // the relative-position scores
		}
	case OpSA:
		f += 4 * L * L * H // scores Q K^T and the weighted sum of V
	case OpLT:
		n := L * H
		f += 2.5 * n * math.Log2(n) // a real 2-D FFT-style transform over (sequence, hidden)
	case OpDSC:
		// ConvBERT's mixed block: self-attention over A = n'd features beside the dynamic
		// convolution, whose generated kernels are applied per position.
		nh := max(1, l.Heads/2)
		A := float64(nh * (l.Hidden / l.Heads))
		f += 4*L*L*A + 2*A*float64(l.Kernel())*L
	}
	return f
}

func tensorFLOPs(t Tensor, L float64) float64 {
	switch t.Kind {
	case Matrix:
		return 2 * float64(t.Out) * float64(t.In) * L
	case Kernel:
		return 2 * float64(t.Out) * float64(t.K) * L
	case Norm:
		return 5 * float64(t.Out) * L
	}
	return 0 // table look-ups
}

// EmbeddingFLOPs returns the analytic FLOPs of the embeddings for a first layer of hidden
// size h over seq tokens.
func EmbeddingFLOPs(h, seq int) float64 {
	var f float64
	for _, t := range EmbeddingTensors(nil, h) {
		f += tensorFLOPs(t, float64(seq))
	}
	return f
}

// ProjectionFLOPs returns the analytic FLOPs of the projection between hidden sizes.
func ProjectionFLOPs(from, to, seq int) float64 {
	var f float64
	for _, t := range ProjectionTensors(nil, 0, from, to) {
		f += tensorFLOPs(t, float64(seq))
	}
	return f
}

// FLOPs returns the analytic FLOPs of a forward pass of a in build b over seq tokens (batch 1).
func FLOPs(a Arch, b Build, seq int) float64 {
	if len(a.Layers) == 0 {
		return 0
	}
	first := BuiltLayer(a.Layers[0], b)
	f := StemFLOPs(first.Hidden, a.Embed, b, seq)
	for i, l := range a.Layers {
		bl := BuiltLayer(l, b)
		f += LayerFLOPs(bl, b, seq)
		if i+1 < len(a.Layers) {
			f += ProjectionFLOPs(bl.Hidden, BuiltLayer(a.Layers[i+1], b).Hidden, seq)
		}
	}
	return f
}

// StemFLOPs returns the analytic FLOPs outside the layers over seq tokens: EmbeddingFLOPs
// when e is nil; for a GPT-2 model of width h, the embedding and softmax projections and the
// logits of every token of the vocabulary (the full distribution, cluster by cluster), the
// softmax's cost that dominates a small language model.
func StemFLOPs(h int, e *AdaptiveEmbedding, b Build, seq int) float64 {
	if e == nil {
		return EmbeddingFLOPs(h, seq)
	}
	L := float64(seq)
	var f float64
	for _, t := range StemTensors(nil, h, e, b) {
		f += tensorFLOPs(t, L)
	}
	for _, c := range e.Clusters(h) {
		f += 2 * L * float64(c.To-c.From) * float64(c.Width)
	}
	return f
}
