package space

import (
	"fmt"
	"strconv"
)

// The shapes of GPT-2 decoders, per build.
//
// Faithful is the GPT-2 block as Hugging Face implements it (GPT2Block): ln_1, c_attn
// d x 3d and c_proj d x d with biases, ln_2, c_fc d x d_inner and c_proj d_inner x d with
// biases; learned positions (GPT2Positions x d) and a final LayerNorm. LayerNorms are role
// Other, as in FlexiBERT.
//
// TransformerXL is archai's Transformer-XL decoder, with which LiteTransformerSearch trained
// its records: per layer, relative attention with qkv d x 3d, output d x d and a
// relative-position projection d x d, all without biases, plus the attention's LayerNorm
// (role Attention: 5 d^2 + 2d, LTS's Attn column); the per-layer biases r_w and r_r
// (n_head x d_head each, role Other); a feed-forward block d -> d_inner -> d with biases
// (2 d d_inner + d_inner + d, LTS's FFN column) and its LayerNorm (role Other). No learned
// positions and no final LayerNorm. LTS's nonembedding column is every layer tensor.
//
// Both builds share the adaptive embedding and softmax of the architecture (role
// Embedding), as archai builds them: with div_val 1 one table of n_token x d_embed and, when
// d_embed differs from d_model, a projection; with div_val above 1 one table and one
// projection d_embed/div_val^i -> d_model per cluster. The softmax ties its word tables to
// the embedding's and adds its own bias (n_token), its own (untied) projections, and, with
// more than one cluster, the cluster head (n_clusters-1 rows of d_embed with biases).

// StemTensors appends the tensors outside the layers: FlexiBERT's fixed embeddings for a
// first layer of hidden size h when e is nil, otherwise the GPT-2 embedding, softmax and
// (Faithful) positions and final LayerNorm of a model of width h.
func StemTensors(dst []Tensor, h int, e *AdaptiveEmbedding, b Build) []Tensor {
	if e == nil {
		return EmbeddingTensors(dst, h)
	}
	clusters := e.Clusters(h)
	if e.DivVal == 1 {
		// archai's div_val 1: one table for the whole vocabulary; the softmax keeps one
		// projection per cluster when d_embed differs from d_model.
		w := e.Width(h)
		dst = append(dst, Tensor{Name: "embed.word", Layer: -1, Role: Embedding, Kind: Table, Out: e.Vocab, In: w, K: 1, Init: "embedding"})
		if w != h {
			dst = append(dst, linear("embed.proj", -1, Embedding, w, h, false))
			for i := range clusters {
				dst = append(dst, linear("softmax.proj."+strconv.Itoa(i), -1, Embedding, w, h, false))
			}
		}
	}
	for i, c := range clusters {
		if e.DivVal == 1 {
			break
		}
		s := strconv.Itoa(i)
		dst = append(dst,
			Tensor{Name: "embed.word." + s, Layer: -1, Role: Embedding, Kind: Table, Out: c.To - c.From, In: c.Width, K: 1, Init: "embedding"},
			linear("embed.proj."+s, -1, Embedding, c.Width, h, false),
			linear("softmax.proj."+s, -1, Embedding, c.Width, h, false))
	}
	dst = append(dst, Tensor{Name: "softmax.bias", Layer: -1, Role: Embedding, Kind: Vector, Out: e.Vocab, In: 1, K: 1, Init: "zeros"})
	if n := len(e.Cutoffs); n > 0 {
		dst = append(dst, linear("softmax.cluster", -1, Embedding, e.Width(h), n, true))
	}
	if b != TransformerXL {
		dst = append(dst,
			Tensor{Name: "embed.position", Layer: -1, Role: Embedding, Kind: Table, Out: GPT2Positions, In: h, K: 1, Init: "embedding"},
			norm("final.norm", -1, h))
	}
	return dst
}

// decoderTensors appends the tensors of GPT-2 decoder layer i in build b.
func decoderTensors(dst []Tensor, i int, l Layer, b Build) []Tensor {
	d, di := l.Hidden, l.FF[0]
	if b == TransformerXL {
		an := norm("attn.norm", i, d)
		an.Role = Attention // LTS counts it in Attn
		return append(dst,
			linear("attn.qkv", i, Attention, d, 3*d, false),
			linear("attn.out", i, Attention, d, d, false),
			linear("attn.r", i, Attention, d, d, false),
			an,
			Tensor{Name: "attn.r_w_bias", Layer: i, Role: Other, Kind: Vector, Out: d, In: 1, K: 1, Init: "zeros"},
			Tensor{Name: "attn.r_r_bias", Layer: i, Role: Other, Kind: Vector, Out: d, In: 1, K: 1, Init: "zeros"},
			linear("ff.0", i, FeedForward, d, di, true),
			linear("ff.1", i, FeedForward, di, d, true),
			norm("ff.norm", i, d))
	}
	return append(dst,
		norm("attn.norm", i, d),
		linear("attn.c_attn", i, Attention, d, 3*d, true),
		linear("attn.c_proj", i, Attention, d, d, true),
		norm("ff.norm", i, d),
		linear("ff.c_fc", i, FeedForward, d, di, true),
		linear("ff.c_proj", i, FeedForward, di, d, true))
}

// Builds lists the builds that apply to s: faithful, legacy and as-trained for FlexiBERT;
// faithful and transformer-xl for GPT-2.
func (s *Space) Builds() []Build {
	if s.Family == FamilyGPT2 {
		return []Build{Faithful, TransformerXL}
	}
	return []Build{Faithful, Legacy, AsTrained}
}

// CheckBuild reports an error when b does not apply to s.
func (s *Space) CheckBuild(b Build) error {
	for _, x := range s.Builds() {
		if x == b {
			return nil
		}
	}
	return fmt.Errorf("build %s does not apply to space %s (want %v)", b, s.Name, s.Builds())
}

// RoleParams is a parameter count split by role.
type RoleParams struct {
	Attention, FeedForward, Embedding, Other int64
}

// Total returns the sum over roles.
func (r RoleParams) Total() int64 { return r.Attention + r.FeedForward + r.Embedding + r.Other }

// ParamsByRole returns the exact parameter count of a in build b, by role.
func ParamsByRole(a Arch, b Build) RoleParams {
	var r RoleParams
	for _, t := range Tensors(a, b) {
		switch t.Role {
		case Attention:
			r.Attention += t.Params()
		case FeedForward:
			r.FeedForward += t.Params()
		case Embedding:
			r.Embedding += t.Params()
		default:
			r.Other += t.Params()
		}
	}
	return r
}
