package latency

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/zeronas/zeronas/space"
)

// Blocks of a Table: the units whose costs are measured.
const (
	// BlockEmbedding is the embeddings, keyed by the first layer's hidden size (the
	// projection from space.EmbedDim included).
	BlockEmbedding = "embedding"
	// BlockMixing is a layer's token-mixing block with its residual and LayerNorm, keyed
	// by op, param, hidden and heads.
	BlockMixing = "mixing"
	// BlockFFN is a whole feed-forward stack with its residual and LayerNorm, keyed by
	// hidden and ff (the widths).
	BlockFFN = "ffn"
	// BlockFFLinear is one linear of a feed-forward stack, keyed by in, out and final:
	// followed by GELU, or (final) by the residual and LayerNorm. A stack without a BlockFFN
	// entry costs the sum of its linears.
	BlockFFLinear = "ff_linear"
	// BlockProjection is the Linear(from -> to) between layers, keyed by from and to.
	BlockProjection = "projection"
	// BlockMLP is a GPT-2 block's MLP half (LayerNorm, Linear, GELU, Linear, residual),
	// keyed by hidden and inner. A width between measured ones is interpolated.
	BlockMLP = "mlp"
	// BlockAdaptiveInput is a GPT-2 decoder's adaptive input embedding with its learned
	// positions, keyed by hidden and embed. A hidden size between measured ones is
	// interpolated.
	BlockAdaptiveInput = "adaptive_input"
	// BlockAdaptiveSoftmax is a GPT-2 decoder's final LayerNorm and adaptive softmax (the
	// logits of every token), keyed by hidden and embed, interpolated as BlockAdaptiveInput.
	BlockAdaptiveSoftmax = "adaptive_softmax"
)

// Entry is the measured cost of one block; only the fields of its block's key are set.
type Entry struct {
	// Block is one of the Block constants.
	Block string `json:"block"`
	// Op, Param, Hidden and Heads key a mixing block; Hidden keys an embedding.
	Op     string `json:"op,omitempty"`
	Param  string `json:"param,omitempty"`
	Hidden int    `json:"hidden,omitempty"`
	Heads  int    `json:"heads,omitempty"`
	// FF (with Hidden) keys a whole feed-forward stack.
	FF []int `json:"ff,omitempty"`
	// In, Out and Final key one linear of a feed-forward stack.
	In    int  `json:"in,omitempty"`
	Out   int  `json:"out,omitempty"`
	Final bool `json:"final,omitempty"`
	// From and To key a projection.
	From int `json:"from,omitempty"`
	To   int `json:"to,omitempty"`
	// Inner (with Hidden) keys a GPT-2 MLP.
	Inner int `json:"inner,omitempty"`
	// Embed (with Hidden) keys a GPT-2 adaptive input embedding or softmax.
	Embed *space.AdaptiveEmbedding `json:"embed,omitempty"`
	// MS is the cost in milliseconds (the table's statistic); P10MS and P90MS optionally
	// give the spread of the repetitions.
	MS    float64 `json:"ms"`
	P10MS float64 `json:"p10_ms,omitempty"`
	P90MS float64 `json:"p90_ms,omitempty"`
}

// key returns the lookup key of e.
func (e Entry) key() string {
	var b []byte
	switch e.Block {
	case BlockEmbedding:
		b = embeddingKey(b, e.Hidden)
	case BlockMixing:
		b = mixingKey(b, e.Op, e.Param, e.Hidden, e.Heads)
	case BlockFFN:
		b = ffnKey(b, e.Hidden, e.FF)
	case BlockFFLinear:
		b = ffLinearKey(b, e.In, e.Out, e.Final)
	case BlockProjection:
		b = projectionKey(b, e.From, e.To)
	case BlockMLP, BlockAdaptiveInput, BlockAdaptiveSoftmax:
		b = appendInts(gridKey(b, e.Block, e.Hidden, e.Embed), e.gridX())
	}
	return string(b)
}

// String names e's block and key, as errors quote it.
func (e Entry) String() string {
	switch e.Block {
	case BlockEmbedding:
		return fmt.Sprintf("embedding hidden %d", e.Hidden)
	case BlockMixing:
		return fmt.Sprintf("mixing %s-%s hidden %d heads %d", e.Op, e.Param, e.Hidden, e.Heads)
	case BlockFFN:
		return fmt.Sprintf("ffn hidden %d ff %v", e.Hidden, e.FF)
	case BlockFFLinear:
		return fmt.Sprintf("ff_linear in %d out %d final %t", e.In, e.Out, e.Final)
	case BlockProjection:
		return fmt.Sprintf("projection from %d to %d", e.From, e.To)
	case BlockMLP:
		return fmt.Sprintf("mlp hidden %d inner %d", e.Hidden, e.Inner)
	case BlockAdaptiveInput, BlockAdaptiveSoftmax:
		return fmt.Sprintf("%s hidden %d embed %s", e.Block, e.Hidden, embedString(e.Embed))
	}
	return fmt.Sprintf("block %q", e.Block)
}

// Keys are built into a caller's buffer so that a lookup, m[string(b)], allocates nothing.

func appendInts(b []byte, xs ...int) []byte {
	for _, x := range xs {
		b = append(b, '/')
		b = strconv.AppendInt(b, int64(x), 10)
	}
	return b
}

func embeddingKey(b []byte, hidden int) []byte { return appendInts(append(b, 'E'), hidden) }

func mixingKey(b []byte, op, param string, hidden, heads int) []byte {
	b = append(append(append(append(b, 'M', '/'), op...), '/'), param...)
	return appendInts(b, hidden, heads)
}

func ffnKey(b []byte, hidden int, ff []int) []byte {
	return appendInts(appendInts(append(b, 'F'), hidden), ff...)
}

func ffLinearKey(b []byte, in, out int, final bool) []byte {
	f := 0
	if final {
		f = 1
	}
	return appendInts(append(b, 'L'), in, out, f)
}

func projectionKey(b []byte, from, to int) []byte { return appendInts(append(b, 'P'), from, to) }

// MissingError reports a block a Table has no cost for.
type MissingError struct {
	// File is the table's file, if it was read from one.
	File string
	// Block is the missing block.
	Block Entry
	// Via, for a feed-forward stack, lists the missing linears it could be summed from.
	Via []Entry
}

// Error names the missing block.
func (e *MissingError) Error() string {
	s := "latency table"
	if e.File != "" {
		s += " " + e.File
	}
	s += ": no entry for " + e.Block.String()
	if len(e.Via) > 0 {
		parts := make([]string, len(e.Via))
		for i, v := range e.Via {
			parts[i] = v.String()
		}
		s += " nor for " + strings.Join(parts, ", ")
	}
	return s + " (calibrate the table for this space, or add the entry)"
}

func (t *Table) lookup(key []byte) (float64, bool) {
	v, ok := t.index[string(key)]
	return v, ok
}

// EmbeddingErr returns the cost of the embeddings for a first layer of hidden size h, or a
// *MissingError. For a GPT-2 decoder (e not nil) it is the adaptive input embedding plus
// the final LayerNorm and adaptive softmax, each interpolated in the hidden size (see
// gridCost).
func (t *Table) EmbeddingErr(hidden int, e *space.AdaptiveEmbedding) (float64, error) {
	if e != nil {
		in, err := t.gridCost(BlockAdaptiveInput, hidden, e, 0)
		if err != nil {
			return math.NaN(), err
		}
		out, err := t.gridCost(BlockAdaptiveSoftmax, hidden, e, 0)
		if err != nil {
			return math.NaN(), err
		}
		return in + out, nil
	}
	var buf [64]byte
	if v, ok := t.lookup(embeddingKey(buf[:0], hidden)); ok {
		return v, nil
	}
	return math.NaN(), &MissingError{File: t.path, Block: Entry{Block: BlockEmbedding, Hidden: hidden}}
}

// LayerErr returns the cost of layer l: its token-mixing block plus its feed-forward stack
// (the stack's entry, or else the sum of its linears; for a GPT-2 layer, its MLP
// interpolated in the width), or a *MissingError.
func (t *Table) LayerErr(l space.Layer) (float64, error) {
	var buf [96]byte
	mix, ok := t.lookup(mixingKey(buf[:0], l.Op, l.Param, l.Hidden, l.Heads))
	if !ok {
		return math.NaN(), &MissingError{File: t.path, Block: Entry{Block: BlockMixing, Op: l.Op, Param: l.Param, Hidden: l.Hidden, Heads: l.Heads}}
	}
	if l.Op == space.OpCSA && len(l.FF) == 1 {
		v, err := t.gridCost(BlockMLP, l.Hidden, nil, l.FF[0])
		if err != nil {
			return math.NaN(), err
		}
		return mix + v, nil
	}
	if v, ok := t.lookup(ffnKey(buf[:0], l.Hidden, l.FF)); ok {
		return mix + v, nil
	}
	sum, in := mix, l.Hidden
	var missing []Entry
	for i := 0; i <= len(l.FF); i++ {
		out, final := l.Hidden, i == len(l.FF)
		if !final {
			out = l.FF[i]
		}
		v, ok := t.lookup(ffLinearKey(buf[:0], in, out, final))
		if !ok {
			missing = append(missing, Entry{Block: BlockFFLinear, In: in, Out: out, Final: final})
		}
		sum += v
		in = out
	}
	if missing != nil {
		return math.NaN(), &MissingError{File: t.path, Block: Entry{Block: BlockFFN, Hidden: l.Hidden, FF: l.FF}, Via: missing}
	}
	return sum, nil
}

// ProjectionErr returns the cost of the projection between hidden sizes (0 when they are
// equal), or a *MissingError.
func (t *Table) ProjectionErr(from, to int) (float64, error) {
	if from == to {
		return 0, nil
	}
	var buf [64]byte
	if v, ok := t.lookup(projectionKey(buf[:0], from, to)); ok {
		return v, nil
	}
	return math.NaN(), &MissingError{File: t.path, Block: Entry{Block: BlockProjection, From: from, To: to}}
}

// Embedding implements Model; it is NaN when the table has no entry (see EmbeddingErr).
func (t *Table) Embedding(hidden int, e *space.AdaptiveEmbedding) float64 {
	v, _ := t.EmbeddingErr(hidden, e)
	return v
}

// Layer implements Model; it is NaN when the table lacks a block of l (see LayerErr).
func (t *Table) Layer(l space.Layer) float64 {
	v, _ := t.LayerErr(l)
	return v
}

// Projection implements Model; it is NaN when the table has no entry (see ProjectionErr).
func (t *Table) Projection(from, to int) float64 {
	v, _ := t.ProjectionErr(from, to)
	return v
}

// Predict implements Model; it is NaN when the table lacks a block of a: use PredictErr,
// or Check the table against the space once.
func (t *Table) Predict(a space.Arch) float64 { return Sum(t, a) }

// PredictErr returns Predict(a), or the first block of a the table has no entry for.
func (t *Table) PredictErr(a space.Arch) (float64, error) {
	c := checked{t: t}
	v := Sum(&c, a)
	if c.err != nil {
		return math.NaN(), c.err
	}
	return v, nil
}

// checked is the terms of a Table that keep the first missing-entry error.
type checked struct {
	t   *Table
	err error
}

func (c *checked) keep(v float64, err error) float64 {
	if err != nil && c.err == nil {
		c.err = err
	}
	return v
}

func (c *checked) Embedding(h int, e *space.AdaptiveEmbedding) float64 {
	return c.keep(c.t.EmbeddingErr(h, e))
}
func (c *checked) Layer(l space.Layer) float64     { return c.keep(c.t.LayerErr(l)) }
func (c *checked) Projection(from, to int) float64 { return c.keep(c.t.ProjectionErr(from, to)) }

// Check reports whether t has a cost for every embedding, layer and projection of sp:
// nil, or an error listing how many blocks are missing and the first few.
func (t *Table) Check(sp *space.Space) error {
	var missing []error
	seen := map[string]bool{}
	note := func(err error) {
		var m *MissingError
		if !errors.As(err, &m) {
			return
		}
		k := m.Block.key()
		if gridded(m.Block.Block) { // one missing grid, however many points it would serve
			k = string(gridKey(nil, m.Block.Block, m.Block.Hidden, m.Block.Embed))
		}
		if !seen[k] {
			seen[k] = true
			missing = append(missing, err)
		}
	}
	for _, h := range sp.Hidden {
		if len(sp.Embeds) == 0 {
			_, err := t.EmbeddingErr(h, nil)
			note(err)
		}
		for i := range sp.Embeds {
			_, err := t.EmbeddingErr(h, &sp.Embeds[i])
			note(err)
		}
		for _, l := range sp.LayerChoices(h) {
			_, err := t.LayerErr(l)
			note(err)
		}
		for _, h2 := range sp.Hidden {
			if !sp.SharedHidden {
				_, err := t.ProjectionErr(h, h2)
				note(err)
			}
		}
	}
	if len(missing) == 0 {
		return nil
	}
	const show = 3
	err := errors.Join(missing[:min(show, len(missing))]...)
	return fmt.Errorf("latency table does not cover space %s: %d blocks missing, first:\n%w", sp.Name, len(missing), err)
}

// Describe implements Model.
func (t *Table) Describe() string {
	return fmt.Sprintf("measured table (%d blocks, %s of %d reps after %d warm-up, batch %d, seq_len %d) on %s",
		len(t.Entries), t.Statistic, t.Reps, t.Warmup, t.Batch, t.SeqLen, t.Device)
}
