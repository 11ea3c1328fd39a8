package latency

import (
	"context"
	"errors"
	"math/rand"
	"runtime"
	"strings"
	"testing"

	"github.com/zeronas/zeronas/space"
)

// allocated returns the bytes f allocates (the runtime's cumulative count).
func allocated(f func()) float64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return float64(after.TotalAlloc - before.TotalAlloc)
}

// TestNetworkBytes holds the estimate against what NewNetwork really allocates, for every
// operation, mixed hidden sizes and several shapes: within a few percent above (headers
// and allocator rounding) and never far below.
func TestNetworkBytes(t *testing.T) {
	ff := func(ws ...int) []int { return ws }
	archs := map[string]space.Arch{
		"sa":  {Layers: []space.Layer{{Hidden: 256, Op: "SA", Param: "SDP", Heads: 4, FF: ff(1024)}, {Hidden: 256, Op: "SA", Param: "WMA", Heads: 8, FF: ff(512, 512)}}},
		"lt":  {Layers: []space.Layer{{Hidden: 256, Op: "LT", Param: "DFT", Heads: 4, FF: ff(1024)}, {Hidden: 256, Op: "LT", Param: "DCT", Heads: 2, FF: ff(512)}}},
		"dsc": {Layers: []space.Layer{{Hidden: 512, Op: "DSC", Param: "9", Heads: 8, FF: ff(2048)}, {Hidden: 512, Op: "DSC", Param: "5", Heads: 4, FF: ff(1024, 512, 256)}}},
		"mixed": {Layers: []space.Layer{{Hidden: 128, Op: "SA", Param: "SDP", Heads: 2, FF: ff(512)}, {Hidden: 512, Op: "DSC", Param: "9", Heads: 8, FF: ff(1024)},
			{Hidden: 256, Op: "LT", Param: "DFT", Heads: 4, FF: ff(256)}}},
	}
	shapes := []Options{{Batch: 1, SeqLen: 128}, {Batch: 8, SeqLen: 256}, {Batch: 2, SeqLen: 512}}
	if testing.Short() { // the race run: drawing the weights is slow under the detector
		archs = map[string]space.Arch{"mixed": archs["mixed"]}
		shapes = shapes[1:2]
	}
	for name, a := range archs {
		for _, o := range shapes {
			var err error
			got := allocated(func() { _, err = NewNetwork(a, o) })
			if err != nil {
				t.Fatal(err)
			}
			est := NetworkBytes(a, o)
			if r := est / got; r < 0.97 || r > 1.03 {
				t.Errorf("%s, batch %d, seq_len %d: estimate %.0f bytes, allocated %.0f (ratio %.3f)", name, o.Batch, o.SeqLen, est, got, r)
			}
		}
	}
}

func TestCheckMemory(t *testing.T) {
	a := typicalArch()
	o := Options{Batch: 100000}
	est := NetworkBytes(a, o)
	err := CheckMemory(a, o, int64(est)-1)
	var me *MemoryError
	if !errors.As(err, &me) || me.Estimate != est {
		t.Fatalf("CheckMemory over the limit: %v", err)
	}
	for _, w := range []string{"batch 100000, seq_len 128", "architecture " + a.ID(), "GiB of weights and activations", "over the limit of"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q lacks %q", err, w)
		}
	}
	if err := CheckMemory(a, o, int64(est)+1); err != nil {
		t.Errorf("CheckMemory within the limit: %v", err)
	}
	sp, err := space.Load("flexibert")
	if err != nil {
		t.Fatal(err)
	}
	// The space's bound is above every architecture of it.
	bound := 0.0
	for lim := int64(1 << 20); lim < 1<<50; lim *= 2 {
		if CheckSpaceMemory(sp, Options{}, lim) == nil {
			bound = float64(lim)
			break
		}
	}
	if sa := sp.Sample(rand.New(rand.NewSource(1))); bound == 0 || NetworkBytes(sa, Options{}) > bound {
		t.Errorf("space bound %.0f below a sample's %.0f", bound, NetworkBytes(sa, Options{}))
	}
	if err := CheckSpaceMemory(sp, Options{Batch: MaxBatch, SeqLen: 512}, 0); !errors.As(err, &me) || !strings.Contains(err.Error(), "the largest architecture of space flexibert") {
		t.Errorf("CheckSpaceMemory of an absurd batch: %v", err)
	}
}

// TestHugeShapesRefusedBeforeAllocating: a shape far beyond any machine is refused by the
// functions that would build networks, before they allocate.
func TestHugeShapesRefusedBeforeAllocating(t *testing.T) {
	o := Options{Batch: MaxBatch, SeqLen: 512}
	a := typicalArch()
	if NetworkBytes(a, o) <= float64(MemoryLimit()) {
		t.Fatalf("this machine's limit %d holds %.0f bytes: choose a larger shape", MemoryLimit(), NetworkBytes(a, o))
	}
	var me *MemoryError
	if _, err := NewNetwork(a, o); !errors.As(err, &me) {
		t.Errorf("NewNetwork: %v", err)
	}
	if _, err := MeasureArchs(context.Background(), []space.Arch{a}, o); !errors.As(err, &me) {
		t.Errorf("MeasureArchs: %v", err)
	}
	sp, _ := space.Load("nas-bench-bert")
	if _, err := Calibrate(context.Background(), sp, o, nil); !errors.As(err, &me) {
		t.Errorf("Calibrate: %v", err)
	}
	// A batch whose embeddings fit but whose layers do not passes Validate and is
	// refused with the architecture.
	o = Options{Batch: 1}
	for o.Batch < MaxBatch && NetworkBytes(a, o) <= float64(MemoryLimit()) {
		o.Batch *= 2
	}
	if err := o.Validate(); err == nil {
		if _, err := NewNetwork(a, o); !errors.As(err, &me) || !strings.Contains(err.Error(), "architecture "+a.ID()) {
			t.Errorf("batch %d: NewNetwork: %v", o.Batch, err)
		}
	}
}

func TestOptionsExplicit(t *testing.T) {
	good := Options{Batch: 1, SeqLen: 128, Warmup: 2, Reps: 20, Threads: 1}
	threads := MaxThreads()
	for _, tc := range []struct {
		name string
		edit func(*Options)
		want string // "" when accepted
	}{
		{"good", func(*Options) {}, ""},
		{"no warmup", func(o *Options) { o.Warmup = 0 }, ""},
		{"all threads", func(o *Options) { o.Threads = threads }, ""},
		{"reps 0", func(o *Options) { o.Reps = 0 }, "reps 0: must be from 1 to 100000 (MaxReps)"},
		{"reps huge", func(o *Options) { o.Reps = 1e9 }, "reps 1000000000: must be from 1 to 100000"},
		{"warmup -1", func(o *Options) { o.Warmup = -1 }, "warmup -1: must be from 0 to 100000 (MaxWarmup)"},
		{"threads 0", func(o *Options) { o.Threads = 0 }, "threads 0: must be from 1 to"},
		{"threads 1000", func(o *Options) { o.Threads = 1000 }, "(the CPUs of this machine)"},
		{"batch 0", func(o *Options) { o.Batch = 0 }, "batch 0: must be from 1 to 1048576 (MaxBatch)"},
		{"batch huge", func(o *Options) { o.Batch = 1 << 40 }, "batch 1099511627776: must be from 1 to 1048576"},
		{"seq 0", func(o *Options) { o.SeqLen = 0 }, "seq_len 0: must be from 1 to 512"},
		{"seq 513", func(o *Options) { o.SeqLen = 513 }, "seq_len 513: must be from 1 to 512 (the model's positions)"},
		{"statistic", func(o *Options) { o.Statistic = "mean" }, `statistic "mean"`},
	} {
		o := good
		tc.edit(&o)
		got, err := o.Explicit()
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: refused: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		case tc.want == "":
			d := got.WithDefaults()
			if d.Warmup != o.Warmup || d.Reps != o.Reps || d.Threads != o.Threads || d.Batch != o.Batch {
				t.Errorf("%s: %+v after defaults, want the values given %+v", tc.name, d, o)
			}
		}
	}
	// The library's zero value still means the defaults; only NoWarmup is negative.
	if err := (Options{}).Validate(); err != nil {
		t.Errorf("zero Options: %v", err)
	}
	if err := (Options{Warmup: -5}).Validate(); err == nil || !strings.Contains(err.Error(), "warmup -5") {
		t.Errorf("warmup -5: %v", err)
	}
	if err := (Options{Threads: threads + 1}).Validate(); err == nil {
		t.Errorf("threads %d accepted", threads+1)
	}
}

func TestReadTableRefusesUnboundedInput(t *testing.T) {
	if _, err := ReadTable("/dev/zero"); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("/dev/zero: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ReadTableContext(ctx, "/dev/null"); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}
