package proxy

import "github.com/zeronas/zeronas/space"

// otherSalt separates the stream of the tensors ZeroLM does not score from the streams of
// the scored matrices.
const otherSalt = 0x6a09e667f3bcc908

// Weights calls fn for every tensor of a in the scorer's build, in space.Tensors order, with
// its weights and, when it has one, its bias, in PyTorch's layout: Out x In row-major for a
// matrix or a table, Out x 1 x K for a kernel, gain then nothing for a LayerNorm (its bias is
// bias). The matrices ZeroLM scores hold exactly the weights sampled mode draws for the
// scorer's seed and init, whatever the mode and statistic, so that their statistics are the
// sampled s_attn and s_ffn. The rest are initialised as a model would be: biases zero,
// LayerNorms one and zero, embedding tables N(0, 0.02), and the other matrices and kernels
// drawn from the init scheme from a stream of their own. w and bias are reused between calls.
func (z *ZeroLM) Weights(a space.Arch, fn func(t space.Tensor, w, bias []float64) error) error {
	seed := archSeed(z.set.Seed, a.ID())
	var w, b []float64
	for i, t := range space.Tensors(a, z.set.Build) {
		n := int(t.Params())
		if t.Bias || t.Kind == space.Norm {
			n -= t.Out
		}
		w, b = grow(w, n), grow(b, t.Out)
		clear(b)
		sub := seed[1] ^ uint64(i)*0x9e3779b97f4a7c15
		switch {
		case t.Scored():
			draw(newStream(seed[0], sub), z.set.Init, t.In, t.Out, w)
		case t.Kind == space.Norm:
			for j := range w {
				w[j] = 1
			}
		case t.Kind == space.Table:
			newStream(seed[0]^otherSalt, sub).normals(n, 0.02, w)
		default:
			// A kernel's fan-in is its taps; a matrix's its inputs.
			in := t.In
			if t.Kind == space.Kernel {
				in = t.In * t.K
			}
			draw(newStream(seed[0]^otherSalt, sub), z.set.Init, in, n/in, w)
		}
		var bias []float64
		if t.Bias || t.Kind == space.Norm {
			bias = b
		}
		if err := fn(t, w, bias); err != nil {
			return err
		}
	}
	return nil
}

func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}
