package latency

import (
	"math"
	"math/rand"

	"gonum.org/v1/gonum/blas"
)

// attend writes softmax(q kᵀ / sqrt(d)) v to ctx for every batch element and head; q, k,
// v and ctx are rows x (heads*d) and scores is seq x seq scratch space. With causal,
// position t attends to positions 0..t only (a decoder's mask).
func attend(sh shape, heads, d int, causal bool, q, k, v, ctx, scores mat) {
	scale := float32(1 / math.Sqrt(float64(d)))
	for b := 0; b < sh.batch; b++ {
		r := b * sh.seq
		for h := 0; h < heads; h++ {
			c := h * d
			gemm(blas.NoTrans, blas.Trans, scale, q.view(r, c, sh.seq, d), k.view(r, c, sh.seq, d), 0, scores)
			if causal {
				for t := 0; t < sh.seq; t++ {
					row := scores.row(t)
					softmax(row[:t+1])
					clear(row[t+1:])
				}
			} else {
				softmaxRows(scores)
			}
			gemm(blas.NoTrans, blas.NoTrans, 1, scores, v.view(r, c, sh.seq, d), 0, ctx.view(r, c, sh.seq, d))
		}
	}
}

// selfAttention is SA-SDP, or SA-WMA with its extra H x H matrix applied to Q: Q, K, V and
// output Linear(H -> H), residual and LayerNorm.
type selfAttention struct {
	sh               shape
	heads, d         int
	q, k, v, o       linear
	wma              *linear
	qb, kb, vb, wq   mat
	ctx, scores, out mat
	ln               norm
}

func newSelfAttention(rng *rand.Rand, sh shape, hidden, heads int, wma bool) *selfAttention {
	n := sh.rows()
	a := &selfAttention{sh: sh, heads: heads, d: hidden / heads,
		q: newLinear(rng, hidden, hidden, true), k: newLinear(rng, hidden, hidden, true),
		v: newLinear(rng, hidden, hidden, true), o: newLinear(rng, hidden, hidden, true),
		qb: newMat(n, hidden), kb: newMat(n, hidden), vb: newMat(n, hidden),
		ctx: newMat(n, hidden), scores: newMat(sh.seq, sh.seq), out: newMat(n, hidden), ln: newNorm(hidden)}
	if wma {
		w := newLinear(rng, hidden, hidden, false)
		a.wma, a.wq = &w, newMat(n, hidden)
	}
	return a
}

func (a *selfAttention) inWidth() int { return a.q.in() }

func (a *selfAttention) forward(x mat) mat {
	a.q.apply(a.qb, x)
	a.k.apply(a.kb, x)
	a.v.apply(a.vb, x)
	q := a.qb
	if a.wma != nil {
		a.wma.apply(a.wq, a.qb)
		q = a.wq
	}
	attend(a.sh, a.heads, a.d, false, q, a.kb, a.vb, a.ctx, a.scores)
	a.o.apply(a.out, a.ctx)
	addNorm(a.out, x, a.ln)
	return a.out
}

// linearTransform is LT-DFT or LT-DCT: input Linear(H -> H), the 2-D transform of every
// head's seq x d block, output Linear(H -> H), residual and LayerNorm.
type linearTransform struct {
	sh             shape
	heads, d       int
	in, o          linear
	t              transform2D
	tin, tout, out mat
	ln             norm
}

func newLinearTransform(rng *rand.Rand, sh shape, hidden, heads int, dct bool) *linearTransform {
	n, d := sh.rows(), hidden/heads
	lt := &linearTransform{sh: sh, heads: heads, d: d,
		in: newLinear(rng, hidden, hidden, true), o: newLinear(rng, hidden, hidden, true),
		tin: newMat(n, hidden), tout: newMat(n, hidden), out: newMat(n, hidden), ln: newNorm(hidden)}
	if dct {
		lt.t = newDCT2(sh.seq, d)
	} else {
		lt.t = newDFT2(sh.seq, d)
	}
	return lt
}

func (lt *linearTransform) inWidth() int { return lt.in.in() }

func (lt *linearTransform) forward(x mat) mat {
	lt.in.apply(lt.tin, x)
	for b := 0; b < lt.sh.batch; b++ {
		for h := 0; h < lt.heads; h++ {
			r, c := b*lt.sh.seq, h*lt.d
			lt.t.apply(lt.tout.view(r, c, lt.sh.seq, lt.d), lt.tin.view(r, c, lt.sh.seq, lt.d))
		}
	}
	lt.o.apply(lt.out, lt.tout)
	addNorm(lt.out, x, lt.ln)
	return lt.out
}

// dynConv is DSC-k, ConvBERT's mixed attention with n' = n/2 heads of size d = H/n and
// A = n' d: scaled dot-product attention over Q, K, V Linear(H -> A), and the span-based
// dynamic convolution: a separable convolution of the input (depthwise H x k, pointwise
// H -> A) multiplied by Q drives the kernel generator Linear(A -> n' k), whose per-position,
// per-head kernels (softmax over the k taps) convolve the conv-output Linear(H -> A). The
// two A-wide halves are concatenated into the output Linear(H -> H), residual and LayerNorm.
type dynConv struct {
	sh                        shape
	heads, d, a, k            int
	q, kk, v, pw, gen, co, o  linear
	dw                        mat // k x H: tap-major depthwise kernel
	qb, kb, vb, dwb, kc, kern mat
	cob, ctx, scores, out     mat
	ln                        norm
}

func newDynConv(rng *rand.Rand, sh shape, hidden, heads, k int) *dynConv {
	n, nh, d := sh.rows(), max(1, heads/2), hidden/heads
	a := nh * d
	return &dynConv{sh: sh, heads: nh, d: d, a: a, k: k,
		q: newLinear(rng, hidden, a, true), kk: newLinear(rng, hidden, a, true), v: newLinear(rng, hidden, a, true),
		pw: newLinear(rng, hidden, a, true), gen: newLinear(rng, a, nh*k, true),
		co: newLinear(rng, hidden, a, true), o: newLinear(rng, 2*a, hidden, true),
		dw: randMat(rng, k, hidden, initStd),
		qb: newMat(n, a), kb: newMat(n, a), vb: newMat(n, a), dwb: newMat(n, hidden), kc: newMat(n, a),
		kern: newMat(n, nh*k), cob: newMat(n, a), ctx: newMat(n, 2*a), scores: newMat(sh.seq, sh.seq),
		out: newMat(n, hidden), ln: newNorm(hidden)}
}

func (c *dynConv) inWidth() int { return c.q.in() }

func (c *dynConv) forward(x mat) mat {
	c.q.apply(c.qb, x)
	c.kk.apply(c.kb, x)
	c.v.apply(c.vb, x)
	depthwise(c.sh, c.dwb, x, c.dw)
	c.pw.apply(c.kc, c.dwb)
	for i := range c.kc.data {
		c.kc.data[i] *= c.qb.data[i]
	}
	c.gen.apply(c.kern, c.kc)
	for i := 0; i < c.kern.rows; i++ {
		r := c.kern.row(i)
		for h := 0; h < c.heads; h++ {
			softmax(r[h*c.k : (h+1)*c.k])
		}
	}
	c.co.apply(c.cob, x)
	dynamicConv(c.sh, c.ctx.view(0, c.a, c.ctx.rows, c.a), c.cob, c.kern, c.heads, c.d, c.k)
	attend(c.sh, c.heads, c.d, false, c.qb, c.kb, c.vb, c.ctx.view(0, 0, c.ctx.rows, c.a), c.scores)
	c.o.apply(c.out, c.ctx)
	addNorm(c.out, x, c.ln)
	return c.out
}

// depthwise writes to dst the per-channel convolution of x over the sequence with the
// k x H kernel w: zero padding of (k-1)/2 before each batch element's sequence, the output as
// long as the input.
func depthwise(sh shape, dst, x, w mat) {
	pad := (w.rows - 1) / 2
	for b := 0; b < sh.batch; b++ {
		for t := 0; t < sh.seq; t++ {
			out := dst.row(b*sh.seq + t)
			clear(out)
			for j := 0; j < w.rows; j++ {
				s := t + j - pad
				if s < 0 || s >= sh.seq {
					continue
				}
				in, wj := x.row(b*sh.seq+s), w.row(j)
				for c := range out {
					out[c] += in[c] * wj[c]
				}
			}
		}
	}
}

// dynamicConv writes to dst (rows x heads*d) the convolution of src with per-position
// kernels: dst[t][h d + i] = Σ_j kern[t][h k + j] src[t + j - (k-1)/2][h d + i], zero padded
// within each batch element's sequence.
func dynamicConv(sh shape, dst, src, kern mat, heads, d, k int) {
	pad := (k - 1) / 2
	for b := 0; b < sh.batch; b++ {
		for t := 0; t < sh.seq; t++ {
			out, kr := dst.row(b*sh.seq+t), kern.row(b*sh.seq+t)
			clear(out)
			for j := 0; j < k; j++ {
				s := t + j - pad
				if s < 0 || s >= sh.seq {
					continue
				}
				in := src.row(b*sh.seq + s)
				for h := 0; h < heads; h++ {
					w := kr[h*k+j]
					o, v := out[h*d:(h+1)*d], in[h*d:(h+1)*d]
					for i := range o {
						o[i] += w * v[i]
					}
				}
			}
		}
	}
}
