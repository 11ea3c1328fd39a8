package latency

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"os"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/zeronas/zeronas/space"
)

// Device describes the machine a latency was measured on.
type Device struct {
	// CPU is the processor model ("model name" of /proc/cpuinfo where there is one), or
	// a free description of a user's target such as "Pixel 7 (Tensor G2), TFLite".
	CPU string `json:"cpu"`
	// NumCPU is the number of logical CPUs of the machine.
	NumCPU int `json:"num_cpu,omitempty"`
	// Threads is GOMAXPROCS while timing: the cores used.
	Threads   int    `json:"threads,omitempty"`
	GOOS      string `json:"goos,omitempty"`
	GOARCH    string `json:"goarch,omitempty"`
	GoVersion string `json:"go_version,omitempty"`
}

// ThisDevice describes the machine running the program, timing with threads cores.
func ThisDevice(threads int) Device {
	return Device{CPU: cpuModel(), NumCPU: runtime.NumCPU(), Threads: threads,
		GOOS: runtime.GOOS, GOARCH: runtime.GOARCH, GoVersion: runtime.Version()}
}

// String describes d in one line.
func (d Device) String() string {
	s := d.CPU
	if d.Threads > 0 {
		s += fmt.Sprintf(", %d of %d threads", d.Threads, d.NumCPU)
	}
	if d.GOOS != "" {
		s += fmt.Sprintf(", %s/%s", d.GOOS, d.GOARCH)
	}
	if d.GoVersion != "" {
		s += ", " + d.GoVersion
	}
	return s
}

// cpuModel returns the first "model name" of /proc/cpuinfo, or GOARCH when there is none.
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == "model name" && strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

// Stats summarises timed repetitions, in milliseconds.
type Stats struct {
	MedianMS float64 `json:"median_ms"`
	P10MS    float64 `json:"p10_ms"`
	P90MS    float64 `json:"p90_ms"`
	Reps     int     `json:"reps"`
	Warmup   int     `json:"warmup"`
}

// statsOf summarises durations in milliseconds; ms is sorted in place.
func statsOf(ms []float64, warmup int) Stats {
	sort.Float64s(ms)
	return Stats{MedianMS: quantile(ms, 0.5), P10MS: quantile(ms, 0.1), P90MS: quantile(ms, 0.9), Reps: len(ms), Warmup: warmup}
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
// process-wide: measurements must not run concurrently.
func withThreads(threads int, f func() error) error {
	old := runtime.GOMAXPROCS(threads)
	defer runtime.GOMAXPROCS(old)
	return f()
}

// Measure times f: o.Warmup untimed calls, then o.Reps timed calls, with GOMAXPROCS fixed
// at o.Threads (after defaults). It stops early with ctx's error.
func Measure(ctx context.Context, f func(), o Options) (Stats, error) {
	o = o.WithDefaults()
	if err := o.Validate(); err != nil {
		return Stats{}, err
	}
	ms := make([]float64, 0, o.Reps)
	err := withThreads(o.Threads, func() error {
		for i := 0; i < o.Warmup+o.Reps; i++ {
			if err := ctx.Err(); err != nil {
				return err
			}
			start := time.Now()
			f()
			if i >= o.Warmup {
				ms = append(ms, float64(time.Since(start).Nanoseconds())/1e6)
			}
		}
		return nil
	})
	if err != nil {
		return Stats{}, err
	}
	return statsOf(ms, o.Warmup), nil
}

// Result is the measured latency of one architecture's forward pass.
type Result struct {
	// ArchID is the architecture's space.Arch ID.
	ArchID string `json:"arch_id"`
	Stats
	Batch  int    `json:"batch"`
	SeqLen int    `json:"seq_len"`
	Device Device `json:"device"`
}

// MeasureArch builds the faithful encoder of a (weights drawn from o.Seed, not timed) and
// times its forward pass with o.
func MeasureArch(ctx context.Context, a space.Arch, o Options) (Result, error) {
	o = o.WithDefaults()
	n, err := NewNetwork(a, o)
	if err != nil {
		return Result{}, fmt.Errorf("architecture %s: %w", a.ID(), err)
	}
	s, err := Measure(ctx, n.Forward, o)
	if err != nil {
		return Result{}, fmt.Errorf("architecture %s: %w", a.ID(), err)
	}
	return Result{ArchID: a.ID(), Stats: s, Batch: o.Batch, SeqLen: o.SeqLen, Device: ThisDevice(o.Threads)}, nil
}
