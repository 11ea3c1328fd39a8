package latency

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/zeronas/zeronas/space"
)

// MaxStacks is the number of distinct feed-forward stacks per hidden size up to which
// Plan times whole stacks (BlockFFN); beyond it, stacks are decomposed into their linears
// (BlockFFLinear), whose count grows with the square of the widths, not their power.
const MaxStacks = 16

// busySpread is the median p90/p10 of the blocks above which Calibrate warns that the
// machine was busy: about 1.3 on this project's shared 2-core machine when it is quiet.
const busySpread = 1.5

// memoryBudget bounds the parameters (float32) of the blocks Calibrate keeps built at once.
const memoryBudget = 32 << 20

// Plan lists the distinct blocks a Table for sp needs, MS unset: the embeddings of every
// hidden size, the mixing blocks of every (op, param, hidden, heads), the feed-forward
// stacks (whole, or by their linears when a hidden size has more than MaxStacks of them)
// and, when layers may differ in hidden size, the projections between every two sizes.
// NAS-Bench-BERT needs 34 blocks; the full FlexiBERT space about 110. A GPT-2 space's plan
// is planGPT2's: 121 blocks for the gpt2 space.
func Plan(sp *space.Space) []Entry {
	if sp.Family == space.FamilyGPT2 {
		return planGPT2(sp)
	}
	var out blockPlan
	add := out.add
	for _, h := range sp.Hidden {
		add(Entry{Block: BlockEmbedding, Hidden: h})
	}
	for _, h := range sp.Hidden {
		stacks := map[string][]int{}
		var order []string
		for _, l := range sp.LayerChoices(h) {
			add(Entry{Block: BlockMixing, Op: l.Op, Param: l.Param, Hidden: h, Heads: l.Heads})
			if k := string(ffnKey(nil, h, l.FF)); stacks[k] == nil {
				stacks[k] = l.FF
				order = append(order, k)
			}
		}
		for _, k := range order {
			ff := stacks[k]
			if len(order) <= MaxStacks {
				add(Entry{Block: BlockFFN, Hidden: h, FF: ff})
				continue
			}
			in := h
			for _, w := range ff {
				add(Entry{Block: BlockFFLinear, In: in, Out: w})
				in = w
			}
			add(Entry{Block: BlockFFLinear, In: in, Out: h, Final: true})
		}
	}
	if !sp.SharedHidden {
		for _, from := range sp.Hidden {
			for _, to := range sp.Hidden {
				if from != to {
					add(Entry{Block: BlockProjection, From: from, To: to})
				}
			}
		}
	}
	return out.entries
}

// weights estimates the parameters of e's block.
func weights(e Entry) int {
	switch e.Block {
	case BlockEmbedding:
		return (space.VocabSize+space.MaxPositions+space.TypeVocab)*space.EmbedDim + space.EmbedDim*e.Hidden
	case BlockMixing:
		return 5 * e.Hidden * e.Hidden
	case BlockFFN:
		n, in := 0, e.Hidden
		for _, w := range append(e.FF, e.Hidden) {
			n, in = n+in*w, w
		}
		return n
	case BlockFFLinear:
		return e.In * e.Out
	case BlockMLP, BlockAdaptiveInput, BlockAdaptiveSoftmax:
		return gpt2Weights(e)
	}
	return e.From * e.To
}

// newBlock builds the block of e, which checkEntry accepts.
func newBlock(rng *rand.Rand, sh shape, e Entry) (block, error) {
	switch e.Block {
	case BlockEmbedding:
		return newEmbedding(rng, sh, e.Hidden), nil
	case BlockMixing:
		l := space.Layer{Hidden: e.Hidden, Op: e.Op, Param: e.Param, Heads: e.Heads}
		if l.Op == space.OpCSA {
			l.FF = []int{1} // the MLP is a block of its own
		}
		if err := checkMixing(l); err != nil {
			return nil, err
		}
		return newMixing(rng, sh, l), nil
	case BlockMLP, BlockAdaptiveInput, BlockAdaptiveSoftmax:
		return newGPT2Block(rng, sh, e), nil
	case BlockFFN:
		return newFeedForward(rng, sh, e.Hidden, e.FF), nil
	case BlockFFLinear:
		return newFFPiece(rng, sh, e.In, e.Out, e.Final), nil
	case BlockProjection:
		return newProjection(rng, sh, e.From, e.To), nil
	}
	return nil, fmt.Errorf("unknown block %q", e.Block)
}

// Calibrate builds a Table for sp on this machine: every block of Plan(sp) is built with
// random weights and timed with o (after defaults for sp's family, see Options.ForSpace).
// Blocks are timed round-robin, one repetition each in turn, in groups of a few bounded by
// memory, so that every block runs with the caches as other blocks left them, as in a
// whole forward pass; a fixed reference kernel is timed between groups, and groups timed
// while it drifted are timed again (see RetryDrift). Entries record o.Statistic as ms;
// blocks that compute the same thing (computeKey) are timed once. Last, NetworkChecks whole
// networks are timed and every cost is scaled so that the table predicts whole passes
// (NetworkCheck).
func Calibrate(ctx context.Context, sp *space.Space, o Options, log *zap.Logger) (*Table, error) {
	return calibrate(ctx, sp, o, log, newMachine())
}

func calibrate(ctx context.Context, sp *space.Space, o Options, log *zap.Logger, tm timer) (*Table, error) {
	o = o.ForSpace(sp).WithDefaults()
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if err := checkBlocksMemory(sp, o); err != nil {
		return nil, err
	}
	if log == nil {
		log = zap.NewNop()
	}
	start := time.Now()
	plan := Plan(sp)
	first := map[string]int{}
	var unique []int // indices of the plan's distinct computations
	for i, e := range plan {
		if _, ok := first[computeKey(e)]; !ok {
			first[computeKey(e)] = i
			unique = append(unique, i)
		}
	}
	log.Info("calibrating latency table", zap.String("space", sp.Name), zap.Int("blocks", len(plan)), zap.Int("timed", len(unique)),
		zap.Int("batch", o.Batch), zap.Int("seq_len", o.SeqLen), zap.Int("reps", o.Reps), zap.Int("warmup", o.Warmup), zap.Int("threads", o.Threads))
	gs := groups(len(unique), func(i int) int { return weights(plan[unique[i]]) }, memoryBudget, maxGroupBlocks)
	// timeGroup builds group g's blocks (weights drawn from the seed and g, so that a retry
	// times the same blocks) and times them.
	timeGroup := func(g int) ([]Stats, error) {
		rng := rand.New(rand.NewSource(o.Seed + int64(g)*1_000_003))
		entries := make([]Entry, 0, gs[g][1]-gs[g][0])
		for _, i := range unique[gs[g][0]:gs[g][1]] {
			entries = append(entries, plan[i])
		}
		return timeBlocks(ctx, rng, o.shape(), entries, o, tm)
	}
	stats := make([][]Stats, len(gs))
	worst := make([]float64, len(gs)) // the slowest reference around each group
	ref := &Reference{Kernel: ReferenceKernel, Threshold: RetryDrift}
	err := withThreads(o.Threads, func() error {
		reference := func() (float64, error) {
			ref.Checks++
			v, err := tm.reference(ctx)
			if err == nil {
				ref.MS = min(ref.MS, v)
			}
			return v, err
		}
		ref.MS = math.Inf(1)
		prev, err := reference()
		if err != nil {
			return err
		}
		for g := range gs {
			if stats[g], err = timeGroup(g); err != nil {
				return err
			}
			next, err := reference()
			if err != nil {
				return err
			}
			worst[g], prev = max(prev, next), next
			if o.Progress != nil {
				o.Progress(gs[g][1], len(unique))
			}
		}
		budget := retryBudget(len(gs))
		for range MaxRetries {
			// The worst-drifted groups first, while the budget lasts.
			var drifted []int
			for g := range gs {
				if worst[g] > ref.MS*(1+RetryDrift) {
					drifted = append(drifted, g)
				}
			}
			sort.SliceStable(drifted, func(i, j int) bool { return worst[drifted[i]] > worst[drifted[j]] })
			if len(drifted) > budget {
				drifted = drifted[:budget]
			}
			budget -= len(drifted)
			for _, g := range drifted {
				ref.Retried++
				log.Info("timing blocks again: the reference kernel drifted while they were timed",
					zap.Int("group", g), zap.Float64("drift", worst[g]/ref.MS-1), zap.Float64("threshold", RetryDrift))
				before, err := reference()
				if err != nil {
					return err
				}
				s, err := timeGroup(g)
				if err != nil {
					return err
				}
				after, err := reference()
				if err != nil {
					return err
				}
				if w := max(before, after); w < worst[g] {
					worst[g], stats[g] = w, s
				}
			}
			if len(drifted) == 0 {
				break
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("calibrating space %s: %w", sp.Name, err)
	}
	for g := range gs {
		ref.Drift = max(ref.Drift, worst[g]/ref.MS-1)
		for j, i := range unique[gs[g][0]:gs[g][1]] {
			s := stats[g][j]
			plan[i].MS, plan[i].P10MS, plan[i].P90MS = s.Value(o.Statistic), s.P10MS, s.P90MS
		}
	}
	for i := range plan {
		f := plan[first[computeKey(plan[i])]]
		plan[i].MS, plan[i].P10MS, plan[i].P90MS = f.MS, f.P10MS, f.P90MS
	}
	t := &Table{Format: TableFormat, Device: ThisDevice(o.Threads), Space: sp.Name, Batch: o.Batch, SeqLen: o.SeqLen,
		Reps: o.Reps, Warmup: o.Warmup, Statistic: o.Statistic, Seed: o.Seed, Fingerprint: Fingerprint(sp, o),
		CalibrationSeconds: time.Since(start).Seconds(), Created: time.Now().UTC().Format(time.RFC3339), Entries: plan, Reference: ref}
	if err := t.build(); err != nil {
		return nil, fmt.Errorf("calibrating space %s: %w", sp.Name, err)
	}
	err = withThreads(o.Threads, func() (err error) {
		t.Network, err = checkNetworks(ctx, sp, t, o, tm, log)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("calibrating space %s: %w", sp.Name, err)
	}
	if err := t.build(); err != nil { // now scaled
		return nil, fmt.Errorf("calibrating space %s: %w", sp.Name, err)
	}
	t.CalibrationSeconds = time.Since(start).Seconds()
	log.Info("calibrated latency table", zap.Int("blocks", len(plan)), zap.Float64("seconds", t.CalibrationSeconds),
		zap.Float64("reference_ms", ref.MS), zap.Float64("drift", ref.Drift), zap.Int("retried", ref.Retried),
		zap.Float64("network_scale", t.Network.Scale))
	if ref.Drift > RetryDrift {
		log.Warn("the machine's speed drifted during calibration beyond what retries cured: some costs may be too high; recalibrate when it is quiet",
			zap.Float64("drift", ref.Drift))
	}
	if s := medianOf(plan, func(e Entry) float64 { return e.P90MS / e.P10MS }); s > busySpread {
		log.Warn("the machine was busy during calibration: the costs may be too high; recalibrate when it is quiet",
			zap.Float64("median_p90_over_p10", s))
	}
	return t, nil
}

// timeBlocks builds the blocks of entries and times them round-robin with tm.
func timeBlocks(ctx context.Context, rng *rand.Rand, sh shape, entries []Entry, o Options, tm timer) ([]Stats, error) {
	fs := make([]func(), len(entries))
	for i, e := range entries {
		b, err := newBlock(rng, sh, e)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", e, err)
		}
		fs[i] = alone(rng, sh, b)
	}
	return tm.blocks(ctx, fs, o.Warmup, o.Reps)
}

// alone returns a run of b by itself, on a random input drawn from rng (none for an
// embedding), as a table times it.
func alone(rng *rand.Rand, sh shape, b block) func() {
	var x mat
	if w := b.inWidth(); w > 0 {
		x = randMat(rng, sh.rows(), w, 1)
	}
	return func() { b.forward(x) }
}

// Fingerprint identifies the setting a table is valid for: the device (CPU model, logical
// CPUs, threads, GOARCH), the batch size and sequence length, and the space (name and
// definition). It is the cache key of DefaultTablePath.
func Fingerprint(sp *space.Space, o Options) string {
	o = o.WithDefaults()
	def, _ := json.Marshal(sp) // a Space is plain data
	d := ThisDevice(o.Threads)
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%d\x00%d\x00%s\x00%d\x00%d\x00%s\x00%s", d.CPU, d.NumCPU, d.Threads, d.GOARCH, o.Batch, o.SeqLen, sp.Name, def)
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// DefaultTablePath returns where LoadOrCalibrate caches the table of sp for o:
// os.UserCacheDir()/zeronas/latency/<space>-<fingerprint>.json.
func DefaultTablePath(sp *space.Space, o Options) (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("latency table cache: %w", err)
	}
	name := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, strings.TrimSuffix(filepath.Base(sp.Name), filepath.Ext(sp.Name)))
	return filepath.Join(dir, "zeronas", "latency", name+"-"+Fingerprint(sp, o)+".json"), nil
}

// LoadOrCalibrate returns the cached table of sp for o (see DefaultTablePath), or, when
// there is none or it does not fit (other settings, a space it does not cover, a damaged
// file), calibrates one and caches it, written atomically. A cache that cannot be written
// is logged, not fatal.
func LoadOrCalibrate(ctx context.Context, sp *space.Space, o Options, log *zap.Logger) (*Table, error) {
	return loadOrCalibrate(ctx, sp, o, log, newMachine())
}

func loadOrCalibrate(ctx context.Context, sp *space.Space, o Options, log *zap.Logger, tm timer) (*Table, error) {
	o = o.ForSpace(sp).WithDefaults()
	if log == nil {
		log = zap.NewNop()
	}
	path, err := DefaultTablePath(sp, o)
	if err != nil {
		return nil, err
	}
	t, err := ReadTableContext(ctx, path)
	switch {
	case err == nil:
		err = t.fits(sp, o)
		if err != nil {
			log.Warn("cached latency table does not fit; recalibrating", zap.String("path", path), zap.Error(err))
			break
		}
		if t.Reference == nil || t.Network == nil {
			log.Warn("cached latency table has no reference timing or network check (made before them); recalibrating", zap.String("path", path))
			break
		}
		now, err := referenceNow(ctx, tm, o.Threads)
		if err != nil {
			return nil, err
		}
		moved := t.Reference.Moved(now)
		if math.Abs(moved) <= RecalibrateDrift {
			log.Info("latency table from cache", zap.String("path", path), zap.Float64("reference_moved", moved))
			return t, nil
		}
		log.Warn("the reference kernel's timing moved since the cached latency table was made; recalibrating",
			zap.String("path", path), zap.Float64("table_reference_ms", t.Reference.MS), zap.Float64("reference_ms_now", now),
			zap.Float64("moved", moved), zap.Float64("threshold", RecalibrateDrift))
	case !errors.Is(err, fs.ErrNotExist):
		log.Warn("cached latency table unreadable; recalibrating", zap.String("path", path), zap.Error(err))
	}
	t, err = calibrate(ctx, sp, o, log, tm)
	if err != nil {
		return nil, err
	}
	if err := t.Write(path); err != nil {
		log.Warn("latency table not cached", zap.Error(err))
	} else {
		log.Info("latency table cached", zap.String("path", path))
	}
	return t, nil
}

// fits reports why t does not serve sp with the settings of o, or nil.
func (t *Table) fits(sp *space.Space, o Options) error {
	switch {
	case t.Fingerprint != Fingerprint(sp, o):
		return fmt.Errorf("fingerprint %s: want %s", t.Fingerprint, Fingerprint(sp, o))
	case t.Batch != o.Batch || t.SeqLen != o.SeqLen:
		return fmt.Errorf("batch %d, seq_len %d: want %d, %d", t.Batch, t.SeqLen, o.Batch, o.SeqLen)
	case t.Statistic != o.Statistic:
		return fmt.Errorf("statistic %s: want %s", t.Statistic, o.Statistic)
	}
	return t.Check(sp)
}
