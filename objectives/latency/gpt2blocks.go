package latency

import (
	"math/rand"

	"gonum.org/v1/gonum/blas"

	"github.com/zeronas/zeronas/space"
)

// The GPT-2 decoder's blocks, as Hugging Face's GPT2Block runs them (pre-LayerNorm): the
// attention half x + c_proj(causal attention(c_attn(ln_1(x)))) and the MLP half
// x + c_proj(GELU(c_fc(ln_2(x)))); the adaptive input embedding with learned positions; and
// the final LayerNorm with the adaptive softmax's logits over the whole vocabulary. GELU is
// the exact (erf) form; GPT-2's tanh approximation costs the same.

// gpt2Attention is the attention half of a GPT-2 block.
type gpt2Attention struct {
	sh                       shape
	heads, d                 int
	ln                       norm
	cAttn, cProj             linear
	h, qkv, ctx, scores, out mat
}

func newGPT2Attention(rng *rand.Rand, sh shape, hidden, heads int) *gpt2Attention {
	n := sh.rows()
	return &gpt2Attention{sh: sh, heads: heads, d: hidden / heads, ln: newNorm(hidden),
		cAttn: newLinear(rng, hidden, 3*hidden, true), cProj: newLinear(rng, hidden, hidden, true),
		h: newMat(n, hidden), qkv: newMat(n, 3*hidden), ctx: newMat(n, hidden), scores: newMat(sh.seq, sh.seq), out: newMat(n, hidden)}
}

func (a *gpt2Attention) inWidth() int { return a.cProj.out() }

func (a *gpt2Attention) forward(x mat) mat {
	H, n := a.cProj.out(), a.sh.rows()
	copy(a.h.data, x.data)
	a.ln.apply(a.h)
	a.cAttn.apply(a.qkv, a.h)
	attend(a.sh, a.heads, a.d, true, a.qkv.view(0, 0, n, H), a.qkv.view(0, H, n, H), a.qkv.view(0, 2*H, n, H), a.ctx, a.scores)
	a.cProj.apply(a.out, a.ctx)
	addInPlace(a.out, x)
	return a.out
}

// gpt2MLP is the MLP half of a GPT-2 block.
type gpt2MLP struct {
	ln          norm
	fc, proj    linear
	h, mid, out mat
}

func newGPT2MLP(rng *rand.Rand, sh shape, hidden, inner int) *gpt2MLP {
	n := sh.rows()
	return &gpt2MLP{ln: newNorm(hidden), fc: newLinear(rng, hidden, inner, true), proj: newLinear(rng, inner, hidden, true),
		h: newMat(n, hidden), mid: newMat(n, inner), out: newMat(n, hidden)}
}

func (m *gpt2MLP) inWidth() int { return m.fc.in() }

func (m *gpt2MLP) forward(x mat) mat {
	copy(m.h.data, x.data)
	m.ln.apply(m.h)
	m.fc.apply(m.mid, m.h)
	gelu(m.mid)
	m.proj.apply(m.out, m.mid)
	addInPlace(m.out, x)
	return m.out
}

// addInPlace sets x += y.
func addInPlace(x, y mat) {
	for i := 0; i < x.rows; i++ {
		r, s := x.row(i), y.row(i)
		for j := range r {
			r[j] += s[j]
		}
	}
}

// adaptiveCluster is one cluster of an adaptive embedding: its table (tokens x width) and
// its projection to d_model (nil when the width is d_model and div_val is 1).
type adaptiveCluster struct {
	from, to int
	table    mat
	proj     *linear
	outProj  *linear // the softmax's own projection of the cluster
}

// gpt2Embedding looks up the tokens in their clusters, projects them to d_model and adds
// the learned positions.
type gpt2Embedding struct {
	sh       shape
	clusters []adaptiveCluster
	pos      mat
	ids      []int32
	tmp      []mat // per-cluster row buffer of the cluster's width
	row      mat
	x        mat
}

func newAdaptiveClusters(rng *rand.Rand, hidden int, e *space.AdaptiveEmbedding) []adaptiveCluster {
	var cs []adaptiveCluster
	for _, c := range e.Clusters(hidden) {
		ac := adaptiveCluster{from: c.From, to: c.To, table: randMat(rng, c.To-c.From, c.Width, initStd)}
		if e.DivVal > 1 || c.Width != hidden {
			p, o := newLinear(rng, c.Width, hidden, false), newLinear(rng, hidden, c.Width, false)
			ac.proj, ac.outProj = &p, &o
		}
		cs = append(cs, ac)
	}
	return cs
}

func newGPT2Embedding(rng *rand.Rand, sh shape, hidden int, e *space.AdaptiveEmbedding) *gpt2Embedding {
	g := &gpt2Embedding{sh: sh, clusters: newAdaptiveClusters(rng, hidden, e), pos: randMat(rng, sh.seq, hidden, initStd),
		ids: make([]int32, sh.rows()), row: newMat(1, hidden), x: newMat(sh.rows(), hidden)}
	for i := range g.ids {
		g.ids[i] = int32(rng.Intn(e.Vocab))
	}
	for _, c := range g.clusters {
		g.tmp = append(g.tmp, newMat(1, c.table.cols))
	}
	return g
}

func (g *gpt2Embedding) inWidth() int { return 0 }

// forward ignores its input: the token ids are drawn when the block is built.
func (g *gpt2Embedding) forward(mat) mat {
	for i, id := range g.ids {
		k := 0
		for k+1 < len(g.clusters) && int(id) >= g.clusters[k].to {
			k++
		}
		c := g.clusters[k]
		src := c.table.row(int(id) - c.from)
		dst := g.x.row(i)
		if c.proj == nil {
			copy(dst, src)
		} else {
			copy(g.tmp[k].data, src)
			c.proj.apply(g.row, g.tmp[k])
			copy(dst, g.row.data)
		}
		p := g.pos.row(i % g.sh.seq)
		for j := range dst {
			dst[j] += p[j]
		}
	}
	return g.x
}

// gpt2Softmax is the final LayerNorm and the logits of every token: per cluster, the hidden
// state projected to the cluster's width (untied projection) times its tied table, plus
// the bias; with several clusters also the cluster head's logits.
type gpt2Softmax struct {
	ln       norm
	clusters []adaptiveCluster
	bias     []float32
	head     *linear // cluster head: d_embed -> clusters-1, on the first cluster's input
	h        mat
	proj     []mat // per cluster, rows x width
	logits   []mat // per cluster, rows x tokens
	headOut  mat
}

func newGPT2Softmax(rng *rand.Rand, sh shape, hidden int, e *space.AdaptiveEmbedding, clusters []adaptiveCluster) *gpt2Softmax {
	n := sh.rows()
	s := &gpt2Softmax{ln: newNorm(hidden), clusters: clusters, bias: make([]float32, e.Vocab), h: newMat(n, hidden)}
	for _, c := range clusters {
		s.proj = append(s.proj, newMat(n, c.table.cols))
		s.logits = append(s.logits, newMat(n, c.to-c.from))
	}
	if len(clusters) > 1 {
		hd := newLinear(rng, clusters[0].table.cols, len(clusters)-1, true)
		s.head, s.headOut = &hd, newMat(n, len(clusters)-1)
	}
	return s
}

func (s *gpt2Softmax) inWidth() int { return s.h.cols }

func (s *gpt2Softmax) forward(x mat) mat {
	copy(s.h.data, x.data)
	s.ln.apply(s.h)
	for k, c := range s.clusters {
		in := s.h
		if c.outProj != nil {
			c.outProj.apply(s.proj[k], s.h)
			in = s.proj[k]
		}
		gemm(blas.NoTrans, blas.Trans, 1, in, c.table, 0, s.logits[k])
		b := s.bias[c.from:c.to]
		for i := 0; i < s.logits[k].rows; i++ {
			r := s.logits[k].row(i)
			for j := range r {
				r[j] += b[j]
			}
		}
		if k == 0 && s.head != nil {
			s.head.apply(s.headOut, in)
		}
	}
	return s.logits[0]
}
