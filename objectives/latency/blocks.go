package latency

import (
	"fmt"
	"math/rand"

	"github.com/zeronas/zeronas/space"
)

// shape is the batch size and sequence length a block runs on.
type shape struct{ batch, seq int }

func (s shape) rows() int { return s.batch * s.seq }

// block is one unit of the forward pass: the embeddings, a layer's token-mixing block, its
// feed-forward stack (or one linear of it), or a projection. Its weights and buffers are
// allocated when it is built; forward reads x (rows x inWidth) and returns the block's own
// output buffer, valid until the next call.
type block interface {
	forward(x mat) mat
	inWidth() int
}

// embedding is the ELECTRA-small style embeddings: word, position and token type tables of
// width space.EmbedDim, LayerNorm, and a projection to the first hidden size when it differs.
type embedding struct {
	sh             shape
	word, pos, typ mat
	ids, types     []int32
	ln             norm
	x              mat
	proj           *projection
}

func newEmbedding(rng *rand.Rand, sh shape, hidden int) *embedding {
	e := &embedding{sh: sh,
		word: randMat(rng, space.VocabSize, space.EmbedDim, initStd),
		pos:  randMat(rng, space.MaxPositions, space.EmbedDim, initStd),
		typ:  randMat(rng, space.TypeVocab, space.EmbedDim, initStd),
		ids:  make([]int32, sh.rows()), types: make([]int32, sh.rows()),
		ln: newNorm(space.EmbedDim), x: newMat(sh.rows(), space.EmbedDim)}
	for i := range e.ids {
		e.ids[i] = int32(rng.Intn(space.VocabSize))
		e.types[i] = int32(rng.Intn(space.TypeVocab))
	}
	if hidden != space.EmbedDim {
		e.proj = newProjection(rng, sh, space.EmbedDim, hidden)
	}
	return e
}

func (e *embedding) inWidth() int { return 0 }

// forward ignores its input: the token ids are drawn when the block is built.
func (e *embedding) forward(mat) mat {
	for i := range e.ids {
		r := e.x.row(i)
		w, p, t := e.word.row(int(e.ids[i])), e.pos.row(i%e.sh.seq), e.typ.row(int(e.types[i]))
		for j := range r {
			r[j] = w[j] + p[j] + t[j]
		}
	}
	e.ln.apply(e.x)
	if e.proj == nil {
		return e.x
	}
	return e.proj.forward(e.x)
}

// projection is the Linear(from -> to) between layers of different hidden sizes.
type projection struct {
	lin linear
	out mat
}

func newProjection(rng *rand.Rand, sh shape, from, to int) *projection {
	return &projection{lin: newLinear(rng, from, to, true), out: newMat(sh.rows(), to)}
}

func (p *projection) inWidth() int { return p.lin.in() }

func (p *projection) forward(x mat) mat {
	p.lin.apply(p.out, x)
	return p.out
}

// ffPiece is one linear of a feed-forward stack: followed by GELU, or, for the last
// (final) one, by the residual and LayerNorm.
type ffPiece struct {
	lin   linear
	out   mat
	final bool
	res   mat // the stack's input, for the residual of the final piece
	ln    norm
}

func newFFPiece(rng *rand.Rand, sh shape, in, out int, final bool) *ffPiece {
	p := &ffPiece{lin: newLinear(rng, in, out, true), out: newMat(sh.rows(), out), final: final}
	if final {
		p.ln = newNorm(out)
		p.res = newMat(sh.rows(), out) // replaced by the stack's input inside a stack
	}
	return p
}

func (p *ffPiece) inWidth() int { return p.lin.in() }

func (p *ffPiece) forward(x mat) mat {
	p.lin.apply(p.out, x)
	if p.final {
		addNorm(p.out, p.res, p.ln)
	} else {
		gelu(p.out)
	}
	return p.out
}

// feedForward is a layer's feed-forward stack: Linear(H -> FF[0]), GELU, ..., Linear(FF[k-1]
// -> H), residual, LayerNorm.
type feedForward struct{ pieces []*ffPiece }

func newFeedForward(rng *rand.Rand, sh shape, hidden int, ff []int) *feedForward {
	f := &feedForward{}
	in := hidden
	for _, w := range ff {
		f.pieces = append(f.pieces, newFFPiece(rng, sh, in, w, false))
		in = w
	}
	f.pieces = append(f.pieces, newFFPiece(rng, sh, in, hidden, true))
	return f
}

func (f *feedForward) inWidth() int { return f.pieces[0].inWidth() }

func (f *feedForward) forward(x mat) mat {
	f.pieces[len(f.pieces)-1].res = x
	h := x
	for _, p := range f.pieces {
		h = p.forward(h)
	}
	return h
}

// checkLayer reports why l cannot be built, or nil.
func checkLayer(l space.Layer) error {
	switch {
	case l.Hidden <= 0:
		return fmt.Errorf("hidden size %d: must be positive", l.Hidden)
	case l.Heads <= 0 || l.Hidden%l.Heads != 0:
		return fmt.Errorf("heads %d: must divide hidden size %d", l.Heads, l.Hidden)
	case len(l.FF) == 0:
		return fmt.Errorf("feed-forward stack: empty")
	}
	for _, w := range l.FF {
		if w <= 0 {
			return fmt.Errorf("feed-forward width %d: must be positive", w)
		}
	}
	return checkMixing(l)
}

func checkMixing(l space.Layer) error {
	switch l.Op {
	case space.OpSA:
		if l.Param != "SDP" && l.Param != "WMA" {
			return fmt.Errorf("operation SA: parameter %q: want SDP or WMA", l.Param)
		}
	case space.OpLT:
		if l.Param != "DFT" && l.Param != "DCT" {
			return fmt.Errorf("operation LT: parameter %q: want DFT or DCT", l.Param)
		}
	case space.OpCSA:
		if len(l.FF) != 1 {
			return fmt.Errorf("operation CSA: a GPT-2 layer has one feed-forward width, not %v", l.FF)
		}
	case space.OpDSC:
		if l.Kernel() <= 0 {
			return fmt.Errorf("operation DSC: kernel size %q: want a positive integer", l.Param)
		}
		if l.Heads%2 != 0 {
			// The attention and convolution halves (n/2 heads each) are concatenated
			// into the H-wide input of the output Linear(H -> H).
			return fmt.Errorf("operation DSC: heads %d: must be even", l.Heads)
		}
	default:
		return fmt.Errorf("operation %q: want SA, LT, DSC or CSA", l.Op)
	}
	return nil
}

// newMixing builds the token-mixing block of l, which checkMixing accepts.
func newMixing(rng *rand.Rand, sh shape, l space.Layer) block {
	switch l.Op {
	case space.OpSA:
		return newSelfAttention(rng, sh, l.Hidden, l.Heads, l.Param == "WMA")
	case space.OpLT:
		return newLinearTransform(rng, sh, l.Hidden, l.Heads, l.Param == "DCT")
	case space.OpCSA:
		return newGPT2Attention(rng, sh, l.Hidden, l.Heads)
	}
	return newDynConv(rng, sh, l.Hidden, l.Heads, l.Kernel())
}
