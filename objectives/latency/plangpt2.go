package latency

import (
	"math/rand"
	"slices"

	"github.com/zeronas/zeronas/space"
)

// Grid sizes of a GPT-2 table: the MLP is timed at mlpGrid widths per hidden size and the
// adaptive blocks at adaptiveGrid hidden sizes per embedding (first and last included,
// evenly spaced between), the rest interpolated (see gridCost). On the gpt2 space, whose
// calibration must stay within minutes on one core, this keeps the whole-network error
// within the validation's bounds (README).
const (
	mlpGrid      = 4
	adaptiveGrid = 4
)

// gridOf returns n values of xs (sorted ascending) evenly spaced by index, the first and
// last included; all of them when xs has at most n.
func gridOf(xs []int, n int) []int {
	xs = slices.Sorted(slices.Values(xs))
	xs = slices.Compact(xs)
	if len(xs) <= n {
		return xs
	}
	out := make([]int, 0, n)
	for i := range n {
		out = append(out, xs[(i*(len(xs)-1)+(n-1)/2)/(n-1)])
	}
	return slices.Compact(out)
}

// planGPT2 lists the blocks of a GPT-2 space's table: the adaptive input and softmax of
// every embedding on a grid of hidden sizes, the attention half of every (hidden, heads),
// and the MLP half of every hidden size on a grid of widths.
func planGPT2(sp *space.Space) []Entry {
	var out blockPlan
	add := out.add
	for i := range sp.Embeds {
		e := sp.Embeds[i].Clone()
		e.Normalize()
		for _, h := range gridOf(sp.Hidden, adaptiveGrid) {
			add(Entry{Block: BlockAdaptiveInput, Hidden: h, Embed: e})
			add(Entry{Block: BlockAdaptiveSoftmax, Hidden: h, Embed: e})
		}
	}
	for _, h := range sp.Hidden {
		for _, l := range sp.LayerChoices(h) {
			add(Entry{Block: BlockMixing, Op: l.Op, Param: l.Param, Hidden: h, Heads: l.Heads})
		}
		for _, w := range gridOf(sp.FFWidths, mlpGrid) {
			add(Entry{Block: BlockMLP, Hidden: h, Inner: w})
		}
	}
	return out.entries
}

// computeKey identifies what e's block computes: entries of one computeKey are timed once.
// Adaptive blocks of embeddings whose clusters have the same shapes at e's hidden size are
// one computation (in the gpt2 space, div_val 2 and 4: one cluster of width d_model,
// projected).
func computeKey(e Entry) string {
	if e.Block != BlockAdaptiveInput && e.Block != BlockAdaptiveSoftmax {
		return e.key()
	}
	b := appendInts([]byte(e.Block), e.Hidden, e.Embed.Vocab)
	for _, c := range e.Embed.Clusters(e.Hidden) {
		proj := 0
		if e.Embed.DivVal > 1 || c.Width != e.Hidden { // as newAdaptiveClusters
			proj = 1
		}
		b = appendInts(b, c.From, c.To, c.Width, proj)
	}
	return string(b)
}

// newGPT2Block builds the GPT-2 block of e (an MLP or an adaptive block).
func newGPT2Block(rng *rand.Rand, sh shape, e Entry) block {
	switch e.Block {
	case BlockMLP:
		return newGPT2MLP(rng, sh, e.Hidden, e.Inner)
	case BlockAdaptiveInput:
		return newGPT2Embedding(rng, sh, e.Hidden, e.Embed)
	}
	return newGPT2Softmax(rng, sh, e.Hidden, e.Embed, newAdaptiveClusters(rng, e.Hidden, e.Embed))
}

// gpt2Weights estimates the parameters of a GPT-2 block.
func gpt2Weights(e Entry) int {
	if e.Block == BlockMLP {
		return 2 * e.Hidden * e.Inner
	}
	n := 0
	for _, c := range e.Embed.Clusters(e.Hidden) {
		n += (c.To-c.From)*c.Width + 2*c.Width*e.Hidden
	}
	return n
}

// blockPlan collects a table's blocks, each distinct key once, in the order first added.
type blockPlan struct {
	entries []Entry
	seen    map[string]bool
}

func (p *blockPlan) add(e Entry) {
	if p.seen == nil {
		p.seen = map[string]bool{}
	}
	if k := e.key(); !p.seen[k] {
		p.seen[k] = true
		p.entries = append(p.entries, e)
	}
}
