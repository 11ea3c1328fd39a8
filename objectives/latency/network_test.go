package latency

import (
	"math"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/zeronas/zeronas/space"
)

func TestOptions(t *testing.T) {
	d := Options{}.WithDefaults()
	if d.Batch != 1 || d.SeqLen != 128 || d.Warmup != DefaultWarmup || d.Reps != DefaultReps || d.Threads != 1 || d.Statistic != StatP10 {
		t.Fatalf("defaults %+v", d)
	}
	if w := (Options{Warmup: -1}).WithDefaults().Warmup; w != 0 {
		t.Fatalf("warmup -1 became %d", w)
	}
	cases := []struct {
		o    Options
		want string
	}{
		{Options{Batch: -1}, "batch -1"},
		{Options{SeqLen: 513}, "seq_len 513"},
		{Options{Reps: -2}, "reps -2"},
		{Options{Threads: -1}, "threads -1"},
		{Options{Statistic: "mean"}, `statistic "mean"`},
	}
	for _, c := range cases {
		if err := c.o.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.o, err, c.want)
		}
	}
}

func TestNewNetworkErrors(t *testing.T) {
	ok := space.Layer{Hidden: 16, Op: "SA", Param: "SDP", Heads: 2, FF: []int{8}}
	cases := []struct {
		name string
		a    space.Arch
		o    Options
		want string
	}{
		{"empty", space.Arch{}, tinyOptions, "no layers"},
		{"heads", space.Arch{Layers: []space.Layer{ok, {Hidden: 16, Op: "SA", Param: "SDP", Heads: 3, FF: []int{8}}}}, tinyOptions, "layer 1: heads 3"},
		{"options", space.Arch{Layers: []space.Layer{ok}}, Options{Batch: -3}, "batch -3"},
	}
	for _, c := range cases {
		if _, err := NewNetwork(c.a, c.o); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
}

// TestForward runs a network of every operation with mixed hidden sizes: the output has
// the last layer's width, is finite, depends on the seed only, and the pass allocates
// nothing once built.
func TestForward(t *testing.T) {
	l := func(h int, op, param string, ff ...int) space.Layer {
		return space.Layer{Hidden: h, Op: op, Param: param, Heads: 2, FF: ff}
	}
	a := space.Arch{Layers: []space.Layer{
		l(32, "SA", "WMA", 24), l(16, "LT", "DFT", 8, 8), l(16, "DSC", "9", 24), l(48, "LT", "DCT", 16), l(48, "SA", "SDP", 16)}}
	o := Options{Batch: 2, SeqLen: 10, Seed: 5}
	run := func(o Options) []float32 {
		n, err := NewNetwork(a, o)
		if err != nil {
			t.Fatal(err)
		}
		n.Forward()
		return slices.Clone(n.Output())
	}
	out := run(o)
	if len(out) != 2*10*48 {
		t.Fatalf("output has %d values, want %d", len(out), 2*10*48)
	}
	for i, v := range out {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			t.Fatalf("output[%d] = %v", i, v)
		}
	}
	if !slices.Equal(run(o), out) {
		t.Fatal("same seed, different output")
	}
	o.Seed = 6
	if slices.Equal(run(o), out) {
		t.Fatal("different seeds, same output")
	}
	n, _ := NewNetwork(a, o)
	if got := n.Arch(); !got.Equal(a) {
		t.Fatalf("Arch() = %v", got)
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	if allocs := testing.AllocsPerRun(5, n.Forward); allocs != 0 {
		t.Fatalf("Forward allocates %v times", allocs)
	}
}
