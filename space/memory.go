package space

// The analytic memory model: peak inference memory of a forward pass in float32, the
// weights (every parameter of the build, 4 bytes each) plus the largest set of activations
// alive at once. Blocks run one after another, so the activation peak is the largest of the
// blocks' peaks, not their sum:
//
//   - a token-mixing block holds its input (kept for the residual), its projections and,
//     for attention, the score matrix of every head: self-attention (and GPT-2's causal
//     attention) x + Q, K, V + heads x L x L scores + the mixed values; Transformer-XL adds
//     the relative positions and their scores; DSC holds x, Q, K, V and the convolution
//     (4 H wide) and the scores of its n/2 heads; a linear transform x and its result
//     (complex: 2 H);
//   - a feed-forward layer holds the block's input, its own input and its output;
//   - FlexiBERT's embeddings hold the looked-up rows and the projected result; a GPT-2
//     model's softmax holds the last hidden state and the logits of the whole vocabulary.
//
// It ignores allocator slack, workspace of the matrix kernels and the framework's own
// memory: an estimate to rank and bound architectures, not a measurement.

// BytesPerValue is the size of a float32.
const BytesPerValue = 4

// PeakMemoryMB returns the analytic peak inference memory of a in build b, in megabytes
// (10^6 bytes), for batch sequences of seq tokens.
func PeakMemoryMB(a Arch, b Build, batch, seq int) float64 {
	if len(a.Layers) == 0 {
		return 0
	}
	return MemoryMB(float64(Params(a, b)), PeakActivations(a, b, seq), batch)
}

// MemoryMB returns the memory in megabytes of weights parameters and batch times peak
// activation values: PeakMemoryMB from its parts, for callers that count parameters faster.
func MemoryMB(weights, peak float64, batch int) float64 {
	return (weights + float64(batch)*peak) * BytesPerValue / 1e6
}

// PeakActivations returns the activation values alive at the peak of a forward pass of a
// in build b over one sequence of seq tokens (0 for no layers).
func PeakActivations(a Arch, b Build, seq int) float64 {
	if len(a.Layers) == 0 {
		return 0
	}
	L := float64(seq)
	first := BuiltLayer(a.Layers[0], b)
	var peak float64 // activations, in values per sequence
	if a.Embed == nil {
		peak = L * float64(EmbedDim+first.Hidden)
	} else {
		peak = L * float64(first.Hidden+a.Embed.Vocab)
	}
	for _, l := range a.Layers {
		peak = max(peak, layerActivations(BuiltLayer(l, b), b, L))
	}
	return peak
}

// layerActivations returns the values alive at the peak of a built layer over L tokens.
func layerActivations(l Layer, b Build, L float64) float64 {
	H, n := float64(l.Hidden), float64(l.Heads)
	var mix float64
	switch l.Op {
	case OpSA:
		mix = L*5*H + n*L*L
	case OpCSA:
		mix = L*5*H + n*L*L
		if b == TransformerXL {
			mix += L*H + n*L*L
		}
	case OpLT:
		mix = L * 3 * H
	case OpDSC:
		mix = L*8*H + float64(max(1, l.Heads/2))*L*L
	}
	// Each feed-forward layer, the last back to H; no append to l.FF, whose array may be
	// shared by other architectures and other goroutines.
	in := H
	ff := 0.0
	for _, w := range l.FF {
		ff = max(ff, L*(H+in+float64(w)))
		in = float64(w)
	}
	ff = max(ff, L*(H+in+H))
	return max(mix, ff)
}
