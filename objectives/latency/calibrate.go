package latency

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
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
// NAS-Bench-BERT needs 34 blocks; the full FlexiBERT space about 110.
func Plan(sp *space.Space) []Entry {
	var out []Entry
	seen := map[string]bool{}
	add := func(e Entry) {
		if k := e.key(); !seen[k] {
			seen[k] = true
			out = append(out, e)
		}
	}
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
	return out
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
		if err := checkMixing(l); err != nil {
			return nil, err
		}
		return newMixing(rng, sh, l), nil
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
// random weights and timed with o (after defaults). Blocks are timed round-robin, one
// repetition each in turn, in groups bounded by memory, so that slow drifts of a shared
// machine's load spread over all blocks and every block runs with the caches as other
// blocks left them, as in a whole forward pass. Entries record o.Statistic as ms.
func Calibrate(ctx context.Context, sp *space.Space, o Options, log *zap.Logger) (*Table, error) {
	o = o.WithDefaults()
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
	log.Info("calibrating latency table", zap.String("space", sp.Name), zap.Int("blocks", len(plan)),
		zap.Int("batch", o.Batch), zap.Int("seq_len", o.SeqLen), zap.Int("reps", o.Reps), zap.Int("threads", o.Threads))
	rng := rand.New(rand.NewSource(o.Seed))
	sh := o.shape()
	err := withThreads(o.Threads, func() error {
		for _, g := range groups(len(plan), func(i int) int { return weights(plan[i]) }, memoryBudget) {
			if err := timeBlocks(ctx, rng, sh, plan[g[0]:g[1]], o); err != nil {
				return err
			}
			if o.Progress != nil {
				o.Progress(g[1], len(plan))
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("calibrating space %s: %w", sp.Name, err)
	}
	t := &Table{Format: TableFormat, Device: ThisDevice(o.Threads), Space: sp.Name, Batch: o.Batch, SeqLen: o.SeqLen,
		Reps: o.Reps, Warmup: o.Warmup, Statistic: o.Statistic, Seed: o.Seed, Fingerprint: Fingerprint(sp, o),
		CalibrationSeconds: time.Since(start).Seconds(), Created: time.Now().UTC().Format(time.RFC3339), Entries: plan}
	if err := t.build(); err != nil {
		return nil, fmt.Errorf("calibrating space %s: %w", sp.Name, err)
	}
	log.Info("calibrated latency table", zap.Int("blocks", len(plan)), zap.Float64("seconds", t.CalibrationSeconds))
	if s := medianOf(plan, func(e Entry) float64 { return e.P90MS / e.P10MS }); s > busySpread {
		log.Warn("the machine was busy during calibration: the costs may be too high; recalibrate when it is quiet",
			zap.Float64("median_p90_over_p10", s))
	}
	return t, nil
}

// timeBlocks builds the blocks of entries, times them round-robin and sets their costs.
func timeBlocks(ctx context.Context, rng *rand.Rand, sh shape, entries []Entry, o Options) error {
	fs := make([]func(), len(entries))
	for i, e := range entries {
		b, err := newBlock(rng, sh, e)
		if err != nil {
			return fmt.Errorf("%s: %w", e, err)
		}
		var x mat
		if w := b.inWidth(); w > 0 {
			x = randMat(rng, sh.rows(), w, 1)
		}
		fs[i] = func() { b.forward(x) }
	}
	stats, err := roundRobin(ctx, fs, o.Warmup, o.Reps)
	if err != nil {
		return err
	}
	for i, s := range stats {
		entries[i].MS, entries[i].P10MS, entries[i].P90MS = s.Value(o.Statistic), s.P10MS, s.P90MS
	}
	return nil
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
	o = o.WithDefaults()
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
		if err = t.fits(sp, o); err == nil {
			log.Info("latency table from cache", zap.String("path", path))
			return t, nil
		}
		log.Warn("cached latency table does not fit; recalibrating", zap.String("path", path), zap.Error(err))
	case !errors.Is(err, fs.ErrNotExist):
		log.Warn("cached latency table unreadable; recalibrating", zap.String("path", path), zap.Error(err))
	}
	t, err = Calibrate(ctx, sp, o, log)
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
