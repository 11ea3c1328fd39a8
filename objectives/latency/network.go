package latency

import (
	"errors"
	"fmt"
	"math"
	"math/rand"

	"github.com/zeronas/zeronas/space"
)

// Options are the settings of a measurement: the input shape, the repetitions and the
// threads. The zero value of a field means its default.
type Options struct {
	// Batch is the batch size; default 1.
	Batch int `json:"batch"`
	// SeqLen is the sequence length, at most space.MaxPositions; default 128.
	SeqLen int `json:"seq_len"`
	// Warmup is the number of untimed runs before timing; default 2. Negative means none.
	Warmup int `json:"warmup"`
	// Reps is the number of timed runs; default 20.
	Reps int `json:"reps"`
	// Threads is GOMAXPROCS while timing; default 1, single-core latency, the most
	// reproducible figure on a shared machine.
	Threads int `json:"threads"`
	// Statistic is the summary of the repetitions a Table records and a comparison uses:
	// StatP10 (default), StatMedian or StatMin.
	Statistic string `json:"statistic"`
	// Seed draws the random weights and token ids.
	Seed int64 `json:"seed"`
	// Progress, if set, is called as a long measurement advances: done of total items.
	Progress func(done, total int) `json:"-"`
}

// Defaults of Options.
const (
	DefaultBatch   = 1
	DefaultSeqLen  = 128
	DefaultWarmup  = 2
	DefaultReps    = 20
	DefaultThreads = 1
)

// WithDefaults returns o with every zero field set to its default and a negative Warmup
// set to 0.
func (o Options) WithDefaults() Options {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&o.Batch, DefaultBatch)
	def(&o.SeqLen, DefaultSeqLen)
	def(&o.Warmup, DefaultWarmup)
	def(&o.Reps, DefaultReps)
	def(&o.Threads, DefaultThreads)
	o.Warmup = max(o.Warmup, 0)
	if o.Statistic == "" {
		o.Statistic = StatP10
	}
	return o
}

// Validate reports the first out-of-range field of o (after defaults), naming it.
func (o Options) Validate() error {
	o = o.WithDefaults()
	switch {
	case o.Batch < 1:
		return fmt.Errorf("batch %d: must be at least 1", o.Batch)
	case o.SeqLen < 1 || o.SeqLen > space.MaxPositions:
		return fmt.Errorf("seq_len %d: must be in [1, %d]", o.SeqLen, space.MaxPositions)
	case o.Reps < 1:
		return fmt.Errorf("reps %d: must be at least 1", o.Reps)
	case o.Threads < 1:
		return fmt.Errorf("threads %d: must be at least 1", o.Threads)
	case math.IsNaN(Stats{}.Value(o.Statistic)):
		return fmt.Errorf("statistic %q: want %s, %s or %s", o.Statistic, StatP10, StatMedian, StatMin)
	}
	return nil
}

func (o Options) shape() shape { return shape{batch: o.Batch, seq: o.SeqLen} }

// Network is the encoder of one architecture in the faithful build, with random weights
// and every buffer allocated, ready for forward passes. It is not safe for concurrent use.
type Network struct {
	arch   space.Arch
	sh     shape
	blocks []block
	out    mat
}

// NewNetwork builds the encoder of a for the input shape of o (after defaults), with
// weights drawn from o.Seed.
func NewNetwork(a space.Arch, o Options) (*Network, error) {
	o = o.WithDefaults()
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if len(a.Layers) == 0 {
		return nil, errors.New("architecture has no layers")
	}
	for i, l := range a.Layers {
		if err := checkLayer(l); err != nil {
			return nil, fmt.Errorf("layer %d: %w", i, err)
		}
	}
	rng := rand.New(rand.NewSource(o.Seed))
	sh := o.shape()
	n := &Network{arch: a.Clone(), sh: sh}
	if a.Embed != nil {
		// A GPT-2 decoder (faithful build): embedding, blocks, final LayerNorm and softmax.
		if err := space.CheckGPT2(a); err != nil {
			return nil, err
		}
		h := a.Layers[0].Hidden
		emb := newGPT2Embedding(rng, sh, h, a.Embed)
		n.blocks = append(n.blocks, emb)
		for _, l := range a.Layers {
			n.blocks = append(n.blocks, newGPT2Attention(rng, sh, h, l.Heads), newGPT2MLP(rng, sh, h, l.FF[0]))
		}
		n.blocks = append(n.blocks, newGPT2Softmax(rng, sh, h, a.Embed, emb.clusters))
		return n, nil
	}
	n.blocks = append(n.blocks, newEmbedding(rng, sh, a.Layers[0].Hidden))
	for i, l := range a.Layers {
		n.blocks = append(n.blocks, newMixing(rng, sh, l), newFeedForward(rng, sh, l.Hidden, l.FF))
		if i+1 < len(a.Layers) && a.Layers[i+1].Hidden != l.Hidden {
			n.blocks = append(n.blocks, newProjection(rng, sh, l.Hidden, a.Layers[i+1].Hidden))
		}
	}
	return n, nil
}

// Arch returns the network's architecture.
func (n *Network) Arch() space.Arch { return n.arch.Clone() }

// Forward runs one forward pass of the encoder. It allocates no buffers of its own.
func (n *Network) Forward() {
	x := mat{}
	for _, b := range n.blocks {
		x = b.forward(x)
	}
	n.out = x
}

// Output returns the last hidden states of the last Forward: batch * seq rows of the last
// layer's hidden size, row-major. It aliases the network's buffer.
// For a GPT-2 decoder it is the logits of the adaptive softmax's first cluster.
func (n *Network) Output() []float32 { return n.out.data }
