package proxy

import (
	"strconv"

	"github.com/zeronas/zeronas/internal/readmostly"
	"github.com/zeronas/zeronas/space"
)

// terms caches, in expected mode, the capacities of each distinct layer's scored matrices
// and the embedding sum of each distinct stem. Building a layer's tensors (names, kinds,
// shapes) costs far more than looking its capacities up, and a space has few distinct
// layers. Score adds the cached capacities one by one in the order the tensors come, so
// the cached score equals the tensor-by-tensor one bit for bit.
type terms struct {
	layers readmostly.Map[layerKey, *layerTerms]
	stems  readmostly.Map[stemKey, float64] // S_embed of the stem, summed in tensor order
}

// layerKey packs a layer: hidden size, heads, an operation code and up to three feed-forward
// widths. Layers it cannot pack are scored without the cache.
type layerKey [2]uint64

// csaCode is the operation code of the GPT-2 block (see packLayer), computed once and never
// written after.
var csaCode = uint64(space.Layer{Op: space.OpCSA}.OpIndex() + 1)

// packLayer returns the key of l, or false when l does not fit one. Operations are numbered
// from 1 in space.Operations' order, except DSC, numbered 16 + its kernel size, all its
// tensors depend on.
func packLayer(l space.Layer) (layerKey, bool) {
	var code uint64
	switch {
	case l.Op == space.OpCSA && l.Param == "": // the GPT-2 block, before the search below
		code = csaCode
	case l.Op == space.OpDSC:
		k, err := strconv.Atoi(l.Param)
		if err != nil || k < 0 || k >= 1<<10 {
			return layerKey{}, false
		}
		code = 16 + uint64(k)
	default:
		i := l.OpIndex()
		if i < 0 || i+1 >= 16 {
			return layerKey{}, false
		}
		code = uint64(i + 1)
	}
	if l.Hidden < 0 || l.Hidden >= 1<<20 || l.Heads < 0 || l.Heads >= 1<<12 || len(l.FF) > 3 {
		return layerKey{}, false
	}
	w0 := uint64(l.Hidden) | uint64(l.Heads)<<20 | code<<32 | uint64(len(l.FF))<<48
	var w1 uint64
	for i, f := range l.FF {
		if f < 0 || f >= 1<<21 {
			return layerKey{}, false
		}
		w1 |= uint64(f) << (21 * i)
	}
	return layerKey{w0, w1}, true
}

// maxTerms bounds the scored matrices of a cached layer: FlexiBERT's DSC attention has 7 and
// a feed-forward stack of three widths 4.
const maxTerms = 12

// layerTerms are the expected capacities of one layer's scored matrices in tensor order:
// attention, then feed-forward, then embedding ones, in one array: with a slice per
// sub-module, following the pointers cost a third of the score (and with the array inside
// the map's values, copying it out cost more).
type layerTerms struct {
	c                 [maxTerms]float64
	nAttn, nFFN, nEmb uint8
}

// addTo adds the capacities to s one by one, as the tensor-by-tensor sum does.
func (t *layerTerms) addTo(s *Score) {
	a, f := int(t.nAttn), int(t.nAttn)+int(t.nFFN)
	for _, c := range t.c[:a] {
		s.Attn += c
	}
	for _, c := range t.c[a:f] {
		s.FFN += c
	}
	for _, c := range t.c[f : f+int(t.nEmb)] {
		s.Emb += c
	}
}

// stemKey is the embedding of a model of width h: FlexiBERT's (no adaptive embedding) or a
// GPT-2 adaptive embedding of up to len(cut) cutoffs.
type stemKey struct {
	h, vocab, dEmbed, divVal, n int
	cut                         [4]int
}

// layer returns the cached capacities of l, computing them on a miss, or nil when l cannot
// be cached.
func (z *ZeroLM) layer(l space.Layer) *layerTerms {
	k, ok := packLayer(l)
	if !ok {
		return nil
	}
	if t, ok := z.cache.layers.Load(k); ok {
		return t
	}
	t := z.computeLayer(l)
	if t == nil {
		return nil
	}
	return z.cache.layers.LoadOrStore(k, t)
}

// layerTensors returns the built tensors of l.
func (z *ZeroLM) layerTensors(buf []space.Tensor, l space.Layer) []space.Tensor {
	return space.LayerTensors(buf, 0, space.BuiltLayer(l, z.set.Build), z.set.Build)
}

// computeLayer returns the capacities of l's scored matrices, or nil when they are more
// than maxTerms.
func (z *ZeroLM) computeLayer(l space.Layer) *layerTerms {
	var attn, ffn, emb []float64
	var buf [16]space.Tensor
	for _, x := range z.layerTensors(buf[:0], l) {
		if !z.scored(x) {
			continue
		}
		c := z.Expected(x.In, x.Out)
		switch x.Role { // as add sorts them
		case space.Attention:
			attn = append(attn, c)
		case space.Embedding:
			emb = append(emb, c)
		default:
			ffn = append(ffn, c)
		}
	}
	if len(attn)+len(ffn)+len(emb) > maxTerms {
		return nil
	}
	t := &layerTerms{}
	n := copy(t.c[:], attn)
	n += copy(t.c[n:], ffn)
	copy(t.c[n:], emb)
	t.nAttn, t.nFFN, t.nEmb = uint8(len(attn)), uint8(len(ffn)), uint8(len(emb))
	return t
}

// addLayer adds the capacities of l to s, from the cache or, for a layer it cannot hold,
// tensor by tensor.
func (z *ZeroLM) addLayer(s *Score, l space.Layer) {
	if t := z.layer(l); t != nil {
		t.addTo(s)
		return
	}
	var buf [16]space.Tensor
	for _, x := range z.layerTensors(buf[:0], l) {
		if z.scored(x) {
			z.add(s, x.Role, z.Expected(x.In, x.Out))
		}
	}
}

// stem returns S_embed of the stem of a model whose first built layer has hidden size h,
// summed in tensor order and cached.
func (z *ZeroLM) stem(h int, e *space.AdaptiveEmbedding) float64 {
	k := stemKey{h: h}
	cacheable := true
	if e != nil {
		cacheable = len(e.Cutoffs) <= len(k.cut)
		k.vocab, k.dEmbed, k.divVal, k.n = e.Vocab, e.DEmbed, e.DivVal, 1+len(e.Cutoffs)
		copy(k.cut[:], e.Cutoffs)
	}
	if cacheable {
		if v, ok := z.cache.stems.Load(k); ok {
			return v
		}
	}
	var emb float64
	for _, t := range space.StemTensors(nil, h, e, z.set.Build) {
		if z.scored(t) {
			emb += z.Expected(t.In, t.Out)
		}
	}
	if cacheable {
		z.cache.stems.LoadOrStore(k, emb)
	}
	return emb
}

// scoreExpected is Score in expected mode from the caches: the same capacities added in the
// same order as the tensor-by-tensor sum (see scoreTensors), so the same score bit for bit.
func (z *ZeroLM) scoreExpected(a space.Arch) Score {
	var s Score
	if len(a.Layers) == 0 {
		return s
	}
	if z.set.Embed != 0 {
		s.Emb = z.stem(space.BuiltLayer(a.Layers[0], z.set.Build).Hidden, a.Embed)
	}
	for _, l := range a.Layers {
		z.addLayer(&s, l)
	}
	s.Score = z.combine(s)
	return s
}
