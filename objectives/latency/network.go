package latency

import (
	"errors"
	"fmt"
	"math"
	"math/rand"
	"runtime"

	"github.com/zeronas/zeronas/internal/numcheck"
	"github.com/zeronas/zeronas/space"
)

// Options are the settings of a measurement: the input shape, the repetitions and the
// threads. The zero value of a field means its default; settings a user gives go through
// Explicit, where zero means zero.
type Options struct {
	// Batch is the batch size; default 1, at most MaxBatch.
	Batch int `json:"batch"`
	// SeqLen is the sequence length, at most space.MaxPositions; default 128.
	SeqLen int `json:"seq_len"`
	// Warmup is the number of untimed runs before timing, at most MaxWarmup; 0 means the
	// default, 2, and NoWarmup means none.
	Warmup int `json:"warmup"`
	// Reps is the number of timed runs, at most MaxReps; default 20.
	Reps int `json:"reps"`
	// Threads is GOMAXPROCS while timing, at most MaxThreads(); default 1, single-core
	// latency, the most reproducible figure on a shared machine.
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
	DefaultSeqLen  = space.SeqLen
	DefaultWarmup  = 2
	DefaultReps    = 20
	DefaultThreads = 1
)

// Defaults of Options for GPT-2 spaces (see ForSpace): a GPT-2 pass takes seconds (the
// adaptive softmax over 50,264 tokens alone 0.25 to 1.7 s on one core), so fewer runs.
const (
	DefaultGPT2Reps   = 5
	DefaultGPT2Warmup = 1
)

// ForSpace returns o with the defaults of the family of sp: for a GPT-2 space, an unset
// Reps or Warmup becomes DefaultGPT2Reps or DefaultGPT2Warmup. Other fields stay unset
// (WithDefaults fills them).
func (o Options) ForSpace(sp *space.Space) Options {
	if sp != nil && sp.Family == space.FamilyGPT2 {
		if o.Reps == 0 {
			o.Reps = DefaultGPT2Reps
		}
		if o.Warmup == 0 {
			o.Warmup = DefaultGPT2Warmup
		}
	}
	return o
}

// NoWarmup is the Warmup of a measurement without untimed runs.
const NoWarmup = -1

// Limits of Options: beyond them a measurement is a typo (MaxBatch also keeps buffer sizes
// far from overflowing), and each repetition's time is kept in memory.
const (
	MaxBatch  = 1 << 20
	MaxReps   = 100000
	MaxWarmup = 100000
)

// MaxThreads returns the largest Threads: the machine's CPUs, as more threads than CPUs
// measure the scheduler, not the model.
func MaxThreads() int { return max(runtime.NumCPU(), 1) }

// WithDefaults returns o with every zero field set to its default and a Warmup of
// NoWarmup set to 0.
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
	if o.Warmup == NoWarmup {
		o.Warmup = 0
	}
	if o.Statistic == "" {
		o.Statistic = StatP10
	}
	return o
}

// Explicit returns o for a measurement whose settings a user gave literally: nothing is
// defaulted, so a batch, seq_len, reps or threads of 0 is refused like any other value out
// of range, and a warmup of 0 means none (it becomes NoWarmup). An empty Statistic means
// StatP10. The error names the first setting out of range and its limit.
func (o Options) Explicit() (Options, error) {
	if err := o.checkRanges(); err != nil {
		return o, err
	}
	if o.Warmup == 0 {
		o.Warmup = NoWarmup
	}
	return o, o.Validate()
}

// Validate reports the first out-of-range field of o (after defaults), naming it and its
// limit, and a shape whose embedding buffers alone would not fit in MemoryLimit (a whole
// network is checked with the architecture: CheckMemory, NewNetwork).
func (o Options) Validate() error {
	o = o.WithDefaults()
	if err := o.checkRanges(); err != nil {
		return err
	}
	if math.IsNaN(Stats{}.Value(o.Statistic)) {
		return fmt.Errorf("statistic %q: want %s, %s or %s", o.Statistic, StatP10, StatMedian, StatMin)
	}
	n := float64(o.Batch) * float64(o.SeqLen)
	if b, limit := 4*embeddingUnits(space.EmbedDim, n), MemoryLimit(); b > float64(limit) {
		return &MemoryError{What: "the embeddings", Batch: o.Batch, SeqLen: o.SeqLen, Estimate: b, Limit: float64(limit)}
	}
	return nil
}

// checkRanges reports the first numeric field of o out of its range, taking o literally.
func (o Options) checkRanges() error {
	for _, c := range []struct {
		name      string
		v, lo, hi int
		why       string
	}{
		{"batch", o.Batch, 1, MaxBatch, "MaxBatch"},
		{"seq_len", o.SeqLen, 1, space.MaxPositions, "the model's positions"},
		{"warmup", o.Warmup, 0, MaxWarmup, "MaxWarmup"},
		{"reps", o.Reps, 1, MaxReps, "MaxReps"},
		{"threads", o.Threads, 1, MaxThreads(), "the CPUs of this machine"},
	} {
		if err := numcheck.IntRange(c.name, c.v, c.lo, c.hi, c.why); err != nil {
			return err
		}
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
	if err := CheckMemory(a, o, 0); err != nil {
		return nil, err
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
