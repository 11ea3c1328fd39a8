package latency

import (
	"context"
	"errors"
	"math"
	"math/rand"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/zeronas/zeronas/space"
)

// tinySpace has layers of hidden size 16 or 32 (projections between them), every kind of
// operation and a feed-forward stack of one or two linears.
const tinySpace = `
name: tiny
architecture:
  hidden_size: [16, 32]
  num_heads: [2]
  encoder_layers: [1, 2]
  operation_types: [sa, l, c]
  number_of_feed-forward_stacks: [1]
  feed-forward_hidden: [24]
  operation_parameters:
    sa: [sdp, wma]
    l: [dft, dct]
    c: ["5"]
`

// tinyOptions keep timing quick: 8 tokens, two repetitions.
var tinyOptions = Options{SeqLen: 8, Reps: 2, Warmup: 1}

func tiny(t testing.TB) *space.Space {
	t.Helper()
	sp, err := space.Parse("tiny", []byte(tinySpace))
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

func TestCalibrateTiny(t *testing.T) {
	sp := tiny(t)
	var progress []int
	o := tinyOptions
	o.Progress = func(done, total int) { progress = append(progress, done, total) }
	tab, err := Calibrate(context.Background(), sp, o, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := tab.Check(sp); err != nil {
		t.Fatal(err)
	}
	plan := Plan(sp)
	if len(tab.Entries) != len(plan) || len(progress) == 0 || progress[len(progress)-2] != len(plan) {
		t.Fatalf("%d entries, progress %v; plan has %d blocks", len(tab.Entries), progress, len(plan))
	}
	for i, e := range tab.Entries {
		if e.key() != plan[i].key() || !(e.MS > 0) || e.P10MS > e.P90MS {
			t.Errorf("entry %d: %+v", i, e)
		}
	}
	if tab.Statistic != StatP10 || tab.SeqLen != 8 || tab.Reps != 2 || tab.Fingerprint != Fingerprint(sp, tinyOptions) || tab.Device.CPU == "" {
		t.Fatalf("header %+v", tab)
	}
	a := sp.Sample(rand.New(rand.NewSource(1)))
	if v, err := tab.PredictErr(a); err != nil || !(v > 0) {
		t.Fatalf("PredictErr = %v, %v", v, err)
	}
}

func TestCalibrateCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Calibrate(ctx, tiny(t), tinyOptions, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
}

func TestLoadOrCalibrate(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	sp := tiny(t)
	ctx := context.Background()
	path, err := DefaultTablePath(sp, tinyOptions)
	if err != nil {
		t.Fatal(err)
	}
	// A quiet fake machine: the reference never moves, so the cache is always used.
	quiet := &fakeMachine{refs: []float64{1}}
	first, err := loadOrCalibrate(ctx, sp, tinyOptions, nil, quiet)
	if err != nil {
		t.Fatal(err)
	}
	if first.Path() != path || !strings.Contains(path, "zeronas") || !strings.HasSuffix(path, first.Fingerprint+".json") {
		t.Fatalf("cached at %q, want %q", first.Path(), path)
	}
	// A second call reads the cache: the same timings, not new ones.
	second, err := loadOrCalibrate(ctx, sp, tinyOptions, nil, quiet)
	if err != nil || !reflect.DeepEqual(second.Entries, first.Entries) {
		t.Fatalf("second call: %v; entries differ: %v", err, !reflect.DeepEqual(second.Entries, first.Entries))
	}
	// Other settings are another file.
	other := tinyOptions
	other.SeqLen = 4
	if p, _ := DefaultTablePath(sp, other); p == path {
		t.Fatalf("seq_len 4 and 8 share the cache file %s", p)
	}
	// A damaged cache is replaced.
	if err := os.WriteFile(path, []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := loadOrCalibrate(ctx, sp, tinyOptions, nil, quiet); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadTable(path); err != nil {
		t.Fatalf("cache not repaired: %v", err)
	}
}

func TestValidateTiny(t *testing.T) {
	sp := tiny(t)
	ctx := context.Background()
	tab := fakeTable(t, sp)
	v, err := Validate(ctx, sp, tab, 4, 7, tinyOptions, nil)
	if err != nil {
		t.Fatal(err)
	}
	if v.N != 4 || len(v.Rows) != 4 || math.Abs(v.Spearman) > 1 || !(v.MedianRelError >= 0) || !(v.MedianRatio > 0) ||
		!(v.Spread >= 1) || v.Options.Statistic != StatP10 {
		t.Fatalf("validation %+v", v)
	}
	for _, r := range v.Rows {
		if r.MeasuredMS != r.Measured.P10MS || r.RelError != math.Abs(r.PredictedMS-r.MeasuredMS)/r.MeasuredMS {
			t.Fatalf("row %+v", r)
		}
	}
	median := tinyOptions
	median.Statistic = StatMedian
	nbb := loadSpace(t, "nas-bench-bert")
	cases := []struct {
		name string
		sp   *space.Space
		m    Model
		n    int
		o    Options
		want string
	}{
		{"too few", sp, tab, 1, tinyOptions, "at least 2"},
		{"statistic", sp, tab, 3, median, "same statistic"},
		{"not covered", nbb, tab, 3, tinyOptions, "no entry for"},
		{"options", sp, NewAnalytic(tinyOptions), 3, Options{SeqLen: 1000}, "seq_len 1000"},
	}
	for _, c := range cases {
		if _, err := Validate(ctx, c.sp, c.m, c.n, 1, c.o, nil); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
}

func TestMeasureArchs(t *testing.T) {
	sp := tiny(t)
	rng := rand.New(rand.NewSource(2))
	archs := []space.Arch{sp.Sample(rng), sp.Sample(rng), sp.Sample(rng)}
	rs, err := MeasureArchs(context.Background(), archs, tinyOptions)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rs {
		if r.ArchID != archs[i].ID() || r.Reps != 2 || r.Warmup != 1 || r.MS != r.P10MS || !(r.MinMS > 0) ||
			r.MinMS > r.MedianMS || r.SeqLen != 8 || r.Device.Threads != 1 || r.Statistic != StatP10 {
			t.Errorf("result %d: %+v", i, r)
		}
	}
	bad := space.Arch{Layers: []space.Layer{{Hidden: 16, Op: "SA", Param: "XYZ", Heads: 2, FF: []int{8}}}}
	if _, err := MeasureArch(context.Background(), bad, tinyOptions); err == nil || !strings.Contains(err.Error(), `parameter "XYZ"`) {
		t.Fatalf("bad arch: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := MeasureArch(ctx, archs[0], tinyOptions); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
}
