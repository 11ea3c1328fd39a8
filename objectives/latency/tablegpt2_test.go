package latency

import (
	"context"
	"errors"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/zeronas/zeronas/space"
)

// gpt2Table is a table from a target device for GPT-2 blocks of hidden size 64: an MLP
// grid, two attention blocks and the adaptive blocks of one embedding at two hidden sizes.
const gpt2Table = `{
  "format": "zeronas-latency-table/1",
  "device": {"cpu": "Jetson Orin Nano, ONNX Runtime"},
  "space": "gpt2-device-test",
  "batch": 1, "seq_len": 64, "reps": 30, "warmup": 3, "statistic": "median",
  "entries": [
    {"block": "mlp", "hidden": 64, "inner": 128, "ms": 1},
    {"block": "mlp", "hidden": 64, "inner": 256, "ms": 2},
    {"block": "mlp", "hidden": 64, "inner": 512, "ms": 5},
    {"block": "mixing", "op": "CSA", "hidden": 64, "heads": 2, "ms": 3},
    {"block": "mixing", "op": "CSA", "hidden": 64, "heads": 4, "ms": 3.5},
    {"block": "adaptive_input", "hidden": 64, "embed": {"vocab": 1000, "d_embed": -1, "div_val": 1, "cutoffs": [1000, 2000]}, "ms": 0.5},
    {"block": "adaptive_input", "hidden": 128, "embed": {"vocab": 1000, "div_val": 1}, "ms": 0.75},
    {"block": "adaptive_softmax", "hidden": 64, "embed": {"vocab": 1000, "div_val": 1}, "ms": 4},
    {"block": "adaptive_softmax", "hidden": 128, "embed": {"vocab": 1000, "div_val": 1}, "ms": 8}
  ]
}`

const gpt2DeviceSpace = `name: gpt2-device-test
family: gpt2
architecture:
  n_layer: [1, 2]
  d_model: [64, 96, 128]
  n_head: [2, 4]
  d_inner: [128, 192, 256, 384, 512]
embedding:
  n_token: 1000
  div_val: [1]
`

func gpt2Layer(h, heads, inner int) space.Layer {
	return space.Layer{Hidden: h, Op: space.OpCSA, Heads: heads, FF: []int{inner}}
}

// TestGPT2TableInterpolates: an imported GPT-2 table gives measured blocks as they are and
// interpolates or extrapolates the rest in proportion to their work, never refusing an
// off-grid d_inner.
func TestGPT2TableInterpolates(t *testing.T) {
	tab, err := ParseTable("orin.json", []byte(gpt2Table))
	if err != nil {
		t.Fatal(err)
	}
	e := &space.AdaptiveEmbedding{Vocab: 1000, DivVal: 1}
	mlp := func(inner int) float64 {
		// Exactly affine in the work 4*64*inner + inner + 640 between grid points.
		f := func(x int) float64 { return 257*float64(x) + 640 }
		switch {
		case inner <= 256:
			return 1 + (f(inner)-f(128))/(f(256)-f(128))
		default:
			return 2 + 3*(f(inner)-f(256))/(f(512)-f(256))
		}
	}
	cases := []struct {
		name      string
		got, want float64
	}{
		{"measured layer", tab.Layer(gpt2Layer(64, 2, 256)), 3 + 2},
		{"off-grid d_inner 1000 beyond the grid", tab.Layer(gpt2Layer(64, 4, 1000)), 3.5 + mlp(1000)},
		{"off-grid d_inner 333", tab.Layer(gpt2Layer(64, 4, 333)), 3.5 + mlp(333)},
		{"off-grid d_inner 150", tab.Layer(gpt2Layer(64, 2, 150)), 3 + mlp(150)},
		{"below the grid, never negative", tab.Layer(gpt2Layer(64, 2, 1)), 3 + max(0, mlp(1))},
		{"measured embedding", tab.Embedding(64, e), 4.5},
		{"embedding between", tab.Embedding(96, e), 0.5 + 0.25*flopsFrac(BlockAdaptiveInput, e, 64, 128, 96) + 4 + 4*flopsFrac(BlockAdaptiveSoftmax, e, 64, 128, 96)},
	}
	for _, c := range cases {
		if math.Abs(c.got-c.want) > 1e-12*c.want || math.IsNaN(c.got) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	// The softmax is nearly linear in d_model: half-way is about half-way.
	if v := tab.Embedding(96, e); v < 0.5+4+0.45*4.25 || v > 0.5+4+0.55*4.25 {
		t.Errorf("embedding at 96 = %v", v)
	}
	// A prediction is the sum of the terms, for a device table as for a calibrated one.
	sp, err := space.Parse("gpt2-device-test.yaml", []byte(gpt2DeviceSpace))
	if err != nil {
		t.Fatal(err)
	}
	small, err := space.Parse("small.yaml", []byte(strings.Replace(gpt2DeviceSpace, "[64, 96, 128]", "[64]", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if err := tab.Check(small); err != nil {
		t.Fatal(err)
	}
	a := space.Arch{Embed: e, Layers: []space.Layer{gpt2Layer(96, 2, 300)}}
	if _, err := tab.PredictErr(a); err == nil || !strings.Contains(err.Error(), "no entry for mixing CSA- hidden 96 heads 2") {
		t.Errorf("d_model 96 has no attention entry: %v", err)
	}
	a.Layers = []space.Layer{gpt2Layer(64, 2, 300), gpt2Layer(64, 4, 700)}
	want := tab.Embedding(64, e) + tab.Layer(a.Layers[0]) + tab.Layer(a.Layers[1])
	if v, err := tab.PredictErr(a); err != nil || v != want {
		t.Errorf("PredictErr = %v, %v; want %v", v, err, want)
	}
	// An MLP grid of another hidden size does not serve this one.
	var me *MissingError
	if _, err := tab.LayerErr(gpt2Layer(128, 2, 256)); !errors.As(err, &me) {
		t.Errorf("LayerErr at hidden 128 = %v", err)
	}
	// Choose reads the device's table for a GPT-2 space like any other.
	path := filepath.Join(t.TempDir(), "orin.json")
	if err := os.WriteFile(path, []byte(gpt2Table), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Choose(context.Background(), small, Choice{Table: path}, nil, nil)
	if err != nil || c.Name != ModelTable || !strings.Contains(c.Description, "Jetson") {
		t.Fatalf("Choose = %+v, %v", c, err)
	}
	if _, err := Choose(context.Background(), sp, Choice{Table: path}, nil, nil); err == nil || !strings.Contains(err.Error(), "mixing CSA- hidden 96") {
		t.Errorf("Choose on a space the table does not cover: %v", err)
	}
}

// flopsFrac is where x lies between lo and hi in the work of block.
func flopsFrac(block string, e *space.AdaptiveEmbedding, lo, hi, x int) float64 {
	f := func(x int) float64 { return flopsOf(block, x, e, x) }
	return (f(x) - f(lo)) / (f(hi) - f(lo))
}

// TestGridCostAffine: wherever the cost is affine in the work, interpolation and
// extrapolation reproduce it exactly, whatever the grid.
func TestGridCostAffine(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	for trial := 0; trial < 50; trial++ {
		h := 64 * (1 + rng.Intn(8))
		a, b := rng.Float64(), 1e-6*rng.Float64()
		cost := func(w int) float64 { return a + b*flopsOf(BlockMLP, h, nil, w) }
		tab := &Table{Format: TableFormat, Device: Device{CPU: "test"}, Batch: 1, SeqLen: 8, Reps: 1, Statistic: StatP10}
		for _, w := range []int{256 + rng.Intn(100), 1024 + rng.Intn(500), 3000 + rng.Intn(1000)} {
			tab.Entries = append(tab.Entries, Entry{Block: BlockMLP, Hidden: h, Inner: w, MS: cost(w)})
		}
		if err := tab.build(); err != nil {
			t.Fatal(err)
		}
		for range 20 {
			w := 1 + rng.Intn(space.MaxWidth)
			got, err := tab.gridCost(BlockMLP, h, nil, w)
			if want := cost(w); err != nil || math.Abs(got-want) > 1e-9*want && want > 0 {
				t.Fatalf("width %d: %v, %v; want %v", w, got, err, want)
			}
		}
	}
}

func TestGPT2TableErrors(t *testing.T) {
	withEntry := func(e string) string {
		return strings.Replace(gpt2Table, `{"block": "mlp", "hidden": 64, "inner": 128, "ms": 1}`, e, 1)
	}
	cases := []struct{ name, data, want string }{
		{"mlp without inner", withEntry(`{"block": "mlp", "hidden": 64, "ms": 1}`), "entries[0] (mlp hidden 64 inner 0): field inner: 0: must be positive"},
		{"mlp with heads", withEntry(`{"block": "mlp", "hidden": 64, "inner": 128, "heads": 2, "ms": 1}`), "field heads: not part of the key of block mlp"},
		{"adaptive without embed", withEntry(`{"block": "adaptive_input", "hidden": 64, "ms": 1}`), "field embed: missing"},
		{"bad embed", withEntry(`{"block": "adaptive_softmax", "hidden": 64, "embed": {"vocab": 0, "div_val": 1}, "ms": 1}`), "field embed: "},
		{"unknown embed key", withEntry(`{"block": "adaptive_softmax", "hidden": 64, "embed": {"vocab": 10, "div_val": 1, "n": 3}, "ms": 1}`), "unknown field"},
		{"duplicate grid point", withEntry(`{"block": "mlp", "hidden": 64, "inner": 256, "ms": 1}`), "entries[1] (mlp hidden 64 inner 256): duplicates entries[0]"},
		{"csa heads", withEntry(`{"block": "mixing", "op": "CSA", "hidden": 64, "heads": 3, "ms": 1}`), "field heads: 3: does not divide hidden 64"},
		{"bad reference", strings.Replace(gpt2Table, `"statistic": "median",`, `"statistic": "median", "reference": {"kernel": "k", "ms": -1},`, 1), "field reference: ms -1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseTable("orin.json", []byte(c.data))
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "orin.json") {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
		})
	}
}

func TestGridOf(t *testing.T) {
	widths := make([]int, 0, 57)
	for w := 512; w <= 4096; w += 64 {
		widths = append(widths, w)
	}
	cases := []struct {
		xs   []int
		n    int
		want []int
	}{
		{widths, 4, []int{512, 1728, 2880, 4096}},
		{[]int{128, 256}, 4, []int{128, 256}},
		{[]int{3, 1, 2, 2}, 2, []int{1, 3}},
	}
	for _, c := range cases {
		if got := gridOf(c.xs, c.n); !slices.Equal(got, c.want) {
			t.Errorf("gridOf(%v, %d) = %v, want %v", c.xs, c.n, got, c.want)
		}
	}
}
