package latency

import "fmt"

// WeightFunc returns the float32 values of the parameter called name (a PyTorch state-dict
// name of the exported module: space.Tensor.FullName plus ".weight" or ".bias") in
// PyTorch's layout, or an error.
type WeightFunc func(name string, n int) ([]float32, error)

// SetWeights replaces every weight of the network by those get returns, so that the forward
// pass the latency objective times can be compared with another implementation of the
// model on the same weights.
func (n *Network) SetWeights(get WeightFunc) error {
	if n.arch.Embed != nil {
		return n.setGPT2Weights(get) // gpt2weights.go
	}
	w := weightSetter{get: get}
	layer := 0
	for _, b := range n.blocks {
		prefix := fmt.Sprintf("layer%d.", layer)
		switch b := b.(type) {
		case *embedding:
			w.table("embed.word", b.word)
			w.table("embed.position", b.pos)
			w.table("embed.type", b.typ)
			w.norm("embed.norm", b.ln)
			if b.proj != nil {
				w.linear("embed.project", b.proj.lin)
			}
		case *selfAttention:
			w.linear(prefix+"attn.q", b.q)
			w.linear(prefix+"attn.k", b.k)
			w.linear(prefix+"attn.v", b.v)
			w.linear(prefix+"attn.out", b.o)
			if b.wma != nil {
				w.linear(prefix+"attn.wma", *b.wma)
			}
			w.norm(prefix+"attn.norm", b.ln)
		case *linearTransform:
			w.linear(prefix+"attn.in", b.in)
			w.linear(prefix+"attn.out", b.o)
			w.norm(prefix+"attn.norm", b.ln)
		case *dynConv:
			w.linear(prefix+"attn.q", b.q)
			w.linear(prefix+"attn.k", b.kk)
			w.linear(prefix+"attn.v", b.v)
			w.linear(prefix+"attn.pointwise", b.pw)
			w.linear(prefix+"attn.kernel_gen", b.gen)
			w.linear(prefix+"attn.conv_out", b.co)
			w.linear(prefix+"attn.out", b.o)
			w.norm(prefix+"attn.norm", b.ln)
			// PyTorch's depthwise kernel is H x 1 x k; ours is k x H.
			if v := w.values(prefix+"attn.depthwise.weight", len(b.dw.data)); v != nil {
				for c := 0; c < b.dw.cols; c++ {
					for j := 0; j < b.dw.rows; j++ {
						b.dw.data[j*b.dw.stride+c] = v[c*b.dw.rows+j]
					}
				}
			}
		case *feedForward:
			for j, p := range b.pieces {
				w.linear(fmt.Sprintf("%sff.%d", prefix, j), p.lin)
			}
			w.norm(prefix+"ff.norm", b.pieces[len(b.pieces)-1].ln)
			if layer+1 == len(n.arch.Layers) || n.arch.Layers[layer+1].Hidden == n.arch.Layers[layer].Hidden {
				layer++ // no projection follows
			}
		case *projection:
			w.linear(prefix+"project", b.lin)
			layer++
		}
	}
	return w.err
}

// SetInput sets the token ids and token type ids of the forward pass, batch * seq_len of
// each, row-major; types may be nil for all zeros, and must be nil for a GPT-2 decoder.
func (n *Network) SetInput(ids, types []int32) error {
	if n.arch.Embed != nil {
		return n.setGPT2Input(ids, types) // gpt2weights.go
	}
	e := n.blocks[0].(*embedding)
	if len(ids) != len(e.ids) || types != nil && len(types) != len(e.ids) {
		return fmt.Errorf("input: %d ids and %d types, want %d (batch x seq_len)", len(ids), len(types), len(e.ids))
	}
	for i, id := range ids {
		if id < 0 || int(id) >= e.word.rows {
			return fmt.Errorf("input: id %d at %d: out of the vocabulary", id, i)
		}
		var t int32
		if types != nil {
			t = types[i]
		}
		if t < 0 || int(t) >= e.typ.rows {
			return fmt.Errorf("input: type %d at %d: out of range", t, i)
		}
		e.ids[i], e.types[i] = id, t
	}
	return nil
}

// weightSetter copies weights into the network, keeping the first error.
type weightSetter struct {
	get WeightFunc
	err error
}

func (w *weightSetter) values(name string, n int) []float32 {
	if w.err != nil {
		return nil
	}
	v, err := w.get(name, n)
	if err == nil && len(v) != n {
		err = fmt.Errorf("%d values, want %d", len(v), n)
	}
	if err != nil {
		w.err = fmt.Errorf("weight %s: %w", name, err)
		return nil
	}
	return v
}

func (w *weightSetter) table(name string, m mat) {
	if v := w.values(name+".weight", len(m.data)); v != nil {
		copy(m.data, v)
	}
}

// linear sets a Linear from PyTorch's out x in weight; ours is in x out.
func (w *weightSetter) linear(name string, l linear) {
	if v := w.values(name+".weight", len(l.w.data)); v != nil {
		in, out := l.w.rows, l.w.cols
		for o := 0; o < out; o++ {
			for i := 0; i < in; i++ {
				l.w.data[i*l.w.stride+o] = v[o*in+i]
			}
		}
	}
	if l.b != nil {
		if v := w.values(name+".bias", len(l.b)); v != nil {
			copy(l.b, v)
		}
	}
}

func (w *weightSetter) norm(name string, ln norm) {
	if v := w.values(name+".weight", len(ln.g)); v != nil {
		copy(ln.g, v)
	}
	if v := w.values(name+".bias", len(ln.b)); v != nil {
		copy(ln.b, v)
	}
}
