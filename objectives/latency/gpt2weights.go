package latency

import (
	"fmt"

	"github.com/zeronas/zeronas/space"
)

// setGPT2Weights is SetWeights for a GPT-2 decoder, in the names of the PyTorch module's
// faithful build (space.Tensors): embed.word[.i], embed.proj[.i], embed.position,
// layerN.attn.{norm,c_attn,c_proj}, layerN.ff.{norm,c_fc,c_proj}, final.norm,
// softmax.proj.i, softmax.bias and softmax.cluster.
func (n *Network) setGPT2Weights(get WeightFunc) error {
	w := weightSetter{get: get}
	e := n.arch.Embed
	layer := 0
	for _, b := range n.blocks {
		prefix := fmt.Sprintf("layer%d.", layer)
		switch b := b.(type) {
		case *gpt2Embedding:
			w.gpt2Clusters(b.clusters, e)
			// The module has GPT2Positions learned positions; the pass uses the first seq.
			if v := w.values("embed.position.weight", space.GPT2Positions*b.pos.cols); v != nil {
				copy(b.pos.data, v)
			}
		case *gpt2Attention:
			w.norm(prefix+"attn.norm", b.ln)
			w.linear(prefix+"attn.c_attn", b.cAttn)
			w.linear(prefix+"attn.c_proj", b.cProj)
		case *gpt2MLP:
			w.norm(prefix+"ff.norm", b.ln)
			w.linear(prefix+"ff.c_fc", b.fc)
			w.linear(prefix+"ff.c_proj", b.proj)
			layer++
		case *gpt2Softmax:
			w.norm("final.norm", b.ln)
			if v := w.values("softmax.bias", len(b.bias)); v != nil {
				copy(b.bias, v)
			}
			if b.head != nil {
				w.linear("softmax.cluster", *b.head)
			}
		}
	}
	return w.err
}

// gpt2Clusters sets the word tables and projections of the adaptive embedding's clusters,
// which the softmax shares. With div_val 1 the module has one table (each cluster takes
// its rows) and one input projection.
func (w *weightSetter) gpt2Clusters(cs []adaptiveCluster, e *space.AdaptiveEmbedding) {
	var whole []float32
	if e.DivVal == 1 {
		whole = w.values("embed.word.weight", e.Vocab*cs[0].table.cols)
	}
	for i, c := range cs {
		s := fmt.Sprint(i)
		if e.DivVal == 1 {
			if whole != nil {
				copy(c.table.data, whole[c.from*c.table.cols:c.to*c.table.cols])
			}
		} else {
			w.table("embed.word."+s, c.table)
		}
		if c.proj == nil {
			continue
		}
		if e.DivVal == 1 {
			w.linear("embed.proj", *c.proj)
		} else {
			w.linear("embed.proj."+s, *c.proj)
		}
		// The softmax applies its projection as hidden @ P with P d_model x width (archai's
		// layout), which is already ours (in x out): no transpose.
		if v := w.values("softmax.proj."+s+".weight", len(c.outProj.w.data)); v != nil {
			copy(c.outProj.w.data, v)
		}
	}
}

// setGPT2Input is SetInput for a GPT-2 decoder: token ids only.
func (n *Network) setGPT2Input(ids, types []int32) error {
	g := n.blocks[0].(*gpt2Embedding)
	if len(ids) != len(g.ids) || types != nil {
		return fmt.Errorf("input: %d ids and %d types, want %d ids (batch x seq_len) and no types for a GPT-2 decoder", len(ids), len(types), len(g.ids))
	}
	for i, id := range ids {
		if id < 0 || int(id) >= n.arch.Embed.Vocab {
			return fmt.Errorf("input: id %d at %d: out of the vocabulary", id, i)
		}
	}
	copy(g.ids, ids)
	return nil
}

// Hidden returns the last hidden states of the last Forward, batch * seq rows of the last
// layer's hidden size, row-major: Output for an encoder, and for a GPT-2 decoder the
// states after the final LayerNorm (the softmax's input). It aliases the network's buffer.
func (n *Network) Hidden() []float32 {
	if s, ok := n.blocks[len(n.blocks)-1].(*gpt2Softmax); ok {
		return s.h.data
	}
	return n.out.data
}
