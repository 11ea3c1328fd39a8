package latency

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/zeronas/zeronas/space"
)

// The GPT-2 blocks of a Table are measured on a grid and interpolated: a GPT-2 layer's
// d_inner takes any of 57 widths in the gpt2 space, and any integer in the LTS records, and
// the adaptive softmax (the logits of 50,264 tokens, up to 1.7 s a pass on one core) is too
// slow to time at every d_model. The entries of one block that differ only in their grid
// coordinate (an MLP's inner width at one hidden size; an adaptive block's hidden size for
// one embedding) form a grid. A value between two measured points is interpolated in
// proportion to the block's analytic work (flopsOf), which is exact when the cost is affine
// in the work between them; outside the grid it is extrapolated from the two nearest points
// (never below 0), or scaled by the work from the only one.

// gridPoint is one measured point of a grid: its coordinate and cost.
type gridPoint struct {
	x  int
	ms float64
}

// gridKey appends the key of the grid of block: the hidden size of an MLP, the embedding
// of an adaptive block.
func gridKey(b []byte, block string, hidden int, e *space.AdaptiveEmbedding) []byte {
	switch block {
	case BlockMLP:
		return appendInts(append(b, 'G'), hidden)
	case BlockAdaptiveInput:
		b = append(b, 'I')
	default:
		b = append(b, 'S')
	}
	if e == nil {
		return b
	}
	b = appendInts(b, e.Vocab, e.DEmbed, e.DivVal, len(e.Cutoffs))
	return appendInts(b, e.Cutoffs...)
}

// gridX returns e's coordinate in its grid.
func (e Entry) gridX() int {
	if e.Block == BlockMLP {
		return e.Inner
	}
	return e.Hidden
}

// gridded reports whether block's entries form grids.
func gridded(block string) bool {
	return block == BlockMLP || block == BlockAdaptiveInput || block == BlockAdaptiveSoftmax
}

func embedString(e *space.AdaptiveEmbedding) string {
	if e == nil {
		return "<none>"
	}
	s := fmt.Sprintf("{vocab %d, d_embed %d, div_val %d", e.Vocab, e.DEmbed, e.DivVal)
	if len(e.Cutoffs) > 0 {
		cs := make([]string, len(e.Cutoffs))
		for i, c := range e.Cutoffs {
			cs[i] = strconv.Itoa(c)
		}
		s += ", cutoffs " + strings.Join(cs, " ")
	}
	return s + "}"
}

// flopsOf returns the analytic work per token of a block at grid coordinate x (the
// interpolation's scale): multiply-adds of its matrix products plus its element-wise work.
func flopsOf(block string, hidden int, e *space.AdaptiveEmbedding, x int) float64 {
	switch block {
	case BlockMLP:
		return 4*float64(hidden)*float64(x) + float64(x) + 10*float64(hidden)
	case BlockAdaptiveInput, BlockAdaptiveSoftmax:
		// The clusters of e.Clusters(x), without allocating: a prediction allocates nothing.
		h := float64(x)
		f := 2 * h // positions (input) or LayerNorm and residual (softmax)
		w, from := e.Width(x), 0
		for i := 0; i <= len(e.Cutoffs); i++ {
			to := e.Vocab
			if i < len(e.Cutoffs) {
				to = e.Cutoffs[i]
			}
			proj := 0.0
			if e.DivVal > 1 || w != x { // as newAdaptiveClusters
				proj = 2 * float64(w) * h
			}
			n := float64(to - from)
			if block == BlockAdaptiveInput {
				// Each token is looked up and projected in its own cluster; the tokens are
				// uniform over the vocabulary.
				f += n / float64(e.Vocab) * (float64(w) + proj)
			} else {
				f += proj + (2*float64(w)+1)*n
			}
			if i == 0 && block == BlockAdaptiveSoftmax && len(e.Cutoffs) > 0 {
				f += 2 * float64(w) * float64(len(e.Cutoffs)) // the cluster head
			}
			w /= max(1, e.DivVal)
			from = to
		}
		return f
	}
	return math.NaN()
}

// indexGrids collects the grids of t's gridded entries, sorted by coordinate, their costs
// multiplied by scale.
func (t *Table) indexGrids(scale float64) {
	t.grids = map[string][]gridPoint{}
	for _, e := range t.Entries {
		if gridded(e.Block) {
			k := string(gridKey(nil, e.Block, e.Hidden, e.Embed))
			t.grids[k] = append(t.grids[k], gridPoint{e.gridX(), e.MS * scale})
		}
	}
	for _, g := range t.grids {
		slices.SortFunc(g, func(a, b gridPoint) int { return a.x - b.x })
	}
}

// gridCost returns the cost of a gridded block (an adaptive block of embedding e at
// hidden, or an MLP of width inner at hidden), measured or interpolated, or a
// *MissingError when its grid is empty.
func (t *Table) gridCost(block string, hidden int, e *space.AdaptiveEmbedding, inner int) (float64, error) {
	var buf [128]byte
	g := t.grids[string(gridKey(buf[:0], block, hidden, e))]
	x := hidden
	if block == BlockMLP {
		x = inner
	}
	if len(g) == 0 {
		m := Entry{Block: block, Hidden: hidden, Embed: e, Inner: inner}
		return math.NaN(), &MissingError{File: t.path, Block: m}
	}
	i, found := slices.BinarySearchFunc(g, x, func(p gridPoint, x int) int { return p.x - x })
	if found {
		return g[i].ms, nil
	}
	f := func(x int) float64 { return flopsOf(block, hidden, e, x) }
	if len(g) == 1 {
		return g[0].ms * f(x) / f(g[0].x), nil
	}
	// The neighbours below and above x, or the two nearest on x's side of the grid.
	i = min(max(i, 1), len(g)-1)
	p, q := g[i-1], g[i]
	fp, fq := f(p.x), f(q.x)
	if fq == fp {
		return (p.ms + q.ms) / 2, nil
	}
	return max(0, p.ms+(q.ms-p.ms)*(f(x)-fp)/(fq-fp)), nil
}
