package objectives

import (
	"math"

	"github.com/zeronas/zeronas/internal/readmostly"
	"github.com/zeronas/zeronas/space"
)

// memo caches the terms of a pure Terms by layer: a space has few distinct layers and an
// exhaustive search asks for each of them millions of times, from every core. Reads of a
// settled key take no lock (readmostly.Map; copying the whole cache on every miss made the
// first generations of a gpt2 search, which meet thousands of distinct layers, spend most
// of their evaluation time copying). The memo also rounds every term to a multiple of a
// power of two, quantum, small enough to change no value that matters and coarse enough
// that every sum of terms is exact in float64: the value of an architecture then does not
// depend on the order its terms are added in, so architectures that tie do tie, in an
// exhaustive search and in the exact dynamic programme alike.
type memo struct {
	t       Terms
	quantum float64
	layers  readmostly.Map[[2]uint64, float64]
	embeds  readmostly.Map[embedKey, float64]
	projs   readmostly.Map[[2]int, float64]
}

// Quanta of the built-in objectives: sums stay exact below 2^53 quanta (parameters and
// FLOPs up to 9e15, ZeroLM scores up to 8192, latencies up to 2e6 ms).
const (
	QuantumCount   = 1.0
	QuantumScore   = 0x1p-40
	QuantumLatency = 0x1p-32
)

// Memoize returns t with its terms cached and rounded to multiples of quantum, a power of
// two. t must be a pure function of its arguments.
func Memoize(t Terms, quantum float64) Terms {
	if m, ok := t.(*memo); ok && m.quantum == quantum {
		return t
	}
	return &memo{t: t, quantum: quantum}
}

func (m *memo) round(v float64) float64 { return math.Round(v/m.quantum) * m.quantum }

// opCode numbers the operations for layerKey from space.Operations, from 1; 0 for one the
// space does not know, which is then not cached. The GPT-2 block, whose layers are many, is
// recognised before the search of space.Operations.
func opCode(l space.Layer) uint64 {
	if l.Op == space.OpCSA && l.Param == "" {
		return csaCode
	}
	return uint64(l.OpIndex() + 1)
}

// csaCode is opCode of the GPT-2 block, computed once and never written after.
var csaCode = uint64(space.Layer{Op: space.OpCSA}.OpIndex() + 1)

// layerKey packs a layer into two words, or reports false for a layer too large to pack.
func layerKey(l space.Layer) ([2]uint64, bool) {
	code, k := opCode(l), uint64(l.Kernel())
	if code == 0 || code >= 1<<4 || l.Hidden >= 1<<20 || l.Heads >= 1<<12 || k >= 1<<12 || len(l.FF) > 3 {
		return [2]uint64{}, false
	}
	w0 := uint64(l.Hidden) | uint64(l.Heads)<<20 | code<<32 | k<<36 | uint64(len(l.FF))<<48
	var w1 uint64
	for i, f := range l.FF {
		if f >= 1<<21 || f < 0 {
			return [2]uint64{}, false
		}
		w1 |= uint64(f) << (21 * i)
	}
	return [2]uint64{w0, w1}, true
}

// cached returns the value of k in the cache, computing, rounding and adding it on a miss.
func cached[K comparable](m *memo, cache *readmostly.Map[K, float64], k K, compute func() float64) float64 {
	if v, ok := cache.Load(k); ok {
		return v
	}
	return cache.LoadOrStore(k, m.round(compute()))
}

func (m *memo) Layer(l space.Layer) float64 {
	k, ok := layerKey(l)
	if !ok {
		return m.round(m.t.Layer(l))
	}
	return cached(m, &m.layers, k, func() float64 { return m.t.Layer(l) })
}

// embedKey packs the embedding of a first layer of hidden size h: FlexiBERT's (e nil) or a
// GPT-2 adaptive embedding of up to len(cut) cutoffs.
type embedKey struct {
	h, vocab, dEmbed, divVal, n int
	cut                         [4]int
}

func (m *memo) Embedding(h int, e *space.AdaptiveEmbedding) float64 {
	k := embedKey{h: h}
	if e != nil {
		if len(e.Cutoffs) > len(k.cut) {
			return m.round(m.t.Embedding(h, e))
		}
		k.vocab, k.dEmbed, k.divVal, k.n = e.Vocab, e.DEmbed, e.DivVal, 1+len(e.Cutoffs)
		copy(k.cut[:], e.Cutoffs)
	}
	return cached(m, &m.embeds, k, func() float64 { return m.t.Embedding(h, e) })
}

func (m *memo) Projection(from, to int) float64 {
	return cached(m, &m.projs, [2]int{from, to}, func() float64 { return m.t.Projection(from, to) })
}
