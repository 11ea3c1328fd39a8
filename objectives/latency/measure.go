package latency

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sort"
	"time"

	"github.com/zeronas/zeronas/space"
)

// Statistics a Table or a comparison may use for the cost of a block or an architecture.
const (
	// StatP10 is the 10th percentile of the repetitions (the default). Interference from
	// other work only ever adds time, so on a shared machine a low quantile estimates the
	// intrinsic latency far more reproducibly than the median.
	StatP10 = "p10"
	// StatMedian is the median of the repetitions: the usual figure on a dedicated machine.
	StatMedian = "median"
	// StatMin is the fastest repetition.
	StatMin = "min"
)

// Stats summarises timed repetitions, in milliseconds.
type Stats struct {
	// MedianMS, P10MS, P90MS and MinMS are order statistics of the timed repetitions.
	MedianMS float64 `json:"median_ms"`
	P10MS    float64 `json:"p10_ms"`
	P90MS    float64 `json:"p90_ms"`
	MinMS    float64 `json:"min_ms"`
	// Reps and Warmup are the numbers of timed and untimed runs.
	Reps   int `json:"reps"`
	Warmup int `json:"warmup"`
}

// Value returns the statistic named stat (StatP10, StatMedian or StatMin), NaN for others.
func (s Stats) Value(stat string) float64 {
	switch stat {
	case StatP10:
		return s.P10MS
	case StatMedian:
		return s.MedianMS
	case StatMin:
		return s.MinMS
	}
	return math.NaN()
}

// statsOf summarises durations in milliseconds; ms is sorted in place.
func statsOf(ms []float64, warmup int) Stats {
	sort.Float64s(ms)
	return Stats{MedianMS: quantile(ms, 0.5), P10MS: quantile(ms, 0.1), P90MS: quantile(ms, 0.9),
		MinMS: quantile(ms, 0), Reps: len(ms), Warmup: warmup}
}

// quantile returns the q-quantile of sorted xs, interpolating linearly between order
// statistics (R's type 7).
func quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	h := q * float64(len(xs)-1)
	i := int(h)
	if i+1 >= len(xs) {
		return xs[len(xs)-1]
	}
	return xs[i] + (h-float64(i))*(xs[i+1]-xs[i])
}

// withThreads runs f with GOMAXPROCS set to threads, then restores it. GOMAXPROCS is
// process-wide: measurements must not run concurrently with each other or other work.
func withThreads(threads int, f func() error) error {
	old := runtime.GOMAXPROCS(threads)
	defer runtime.GOMAXPROCS(old)
	return f()
}

// roundRobin times fs in turn, one call each per round: warmup untimed rounds, then reps
// timed ones. It returns the summary of each f. Taking turns spreads slow drifts of the
// machine's load evenly over all of them.
func roundRobin(ctx context.Context, fs []func(), warmup, reps int) ([]Stats, error) {
	ms := make([][]float64, len(fs))
	for r := 0; r < warmup+reps; r++ {
		for i, f := range fs {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			start := time.Now()
			f()
			if r >= warmup {
				ms[i] = append(ms[i], float64(time.Since(start).Nanoseconds())/1e6)
			}
		}
	}
	out := make([]Stats, len(fs))
	for i := range ms {
		out[i] = statsOf(ms[i], warmup)
	}
	return out, nil
}

// groups splits [0, n) into consecutive ranges whose summed size stays within budget and
// that hold at most most items, if most > 0 (a range holds at least one item).
func groups(n int, size func(i int) int, budget, most int) [][2]int {
	var out [][2]int
	for lo := 0; lo < n; {
		hi, total := lo, 0
		for hi < n && (hi == lo || total+size(hi) <= budget && (most <= 0 || hi-lo < most)) {
			total += size(hi)
			hi++
		}
		out = append(out, [2]int{lo, hi})
		lo = hi
	}
	return out
}

// Measure times f: o.Warmup untimed calls, then o.Reps timed calls, with GOMAXPROCS fixed
// at o.Threads (after defaults). It stops early with ctx's error.
func Measure(ctx context.Context, f func(), o Options) (Stats, error) {
	o = o.WithDefaults()
	if err := o.Validate(); err != nil {
		return Stats{}, err
	}
	var s []Stats
	err := withThreads(o.Threads, func() (err error) {
		s, err = roundRobin(ctx, []func(){f}, o.Warmup, o.Reps)
		return err
	})
	if err != nil {
		return Stats{}, err
	}
	return s[0], nil
}

// Result is the measured latency of one architecture's forward pass.
type Result struct {
	// ArchID is the architecture's space.Arch ID.
	ArchID string `json:"arch_id"`
	Stats
	// MS is the statistic named by Statistic.
	MS        float64 `json:"ms"`
	Statistic string  `json:"statistic"`
	// Batch and SeqLen are the input shape.
	Batch  int `json:"batch"`
	SeqLen int `json:"seq_len"`
	// Device is the machine measured on.
	Device Device `json:"device"`
}

// MeasureArch builds the faithful encoder of a (weights drawn from o.Seed, not timed) and
// times its forward pass with o.
func MeasureArch(ctx context.Context, a space.Arch, o Options) (Result, error) {
	rs, err := MeasureArchs(ctx, []space.Arch{a}, o)
	if err != nil {
		return Result{}, err
	}
	return rs[0], nil
}

// archBudget bounds the memory (NetworkBytes) of the networks MeasureArchs keeps built
// at once; a network above it is built alone.
const archBudget = 1 << 30

// MeasureArchs measures every architecture as MeasureArch does, but round-robin: the
// networks of a group (bounded by memory) take turns, one forward pass each, so that every
// architecture sees the same mix of the machine's load. o.Progress, if set, is called
// after each group.
func MeasureArchs(ctx context.Context, archs []space.Arch, o Options) ([]Result, error) {
	o = o.WithDefaults()
	if err := o.Validate(); err != nil {
		return nil, err
	}
	for _, a := range archs { // before anything is built or timed
		if err := CheckMemory(a, o, 0); err != nil {
			return nil, err
		}
	}
	out := make([]Result, len(archs))
	size := func(i int) int { return int(NetworkBytes(archs[i], o)) }
	err := withThreads(o.Threads, func() error {
		for _, g := range groups(len(archs), size, archBudget, 0) {
			fs := make([]func(), 0, g[1]-g[0])
			for _, a := range archs[g[0]:g[1]] {
				n, err := NewNetwork(a, o)
				if err != nil {
					return fmt.Errorf("architecture %s: %w", a.ID(), err)
				}
				fs = append(fs, n.Forward)
			}
			stats, err := roundRobin(ctx, fs, o.Warmup, o.Reps)
			if err != nil {
				return err
			}
			for i, s := range stats {
				out[g[0]+i] = Result{ArchID: archs[g[0]+i].ID(), Stats: s, MS: s.Value(o.Statistic), Statistic: o.Statistic,
					Batch: o.Batch, SeqLen: o.SeqLen, Device: ThisDevice(o.Threads)}
			}
			if o.Progress != nil {
				o.Progress(g[1], len(archs))
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
