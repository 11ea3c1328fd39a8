package latency

import (
	"errors"
	"fmt"
	"math"
	"math/rand"
	"strconv"
	"strings"
	"testing"

	"github.com/zeronas/zeronas/space"
)

func loadSpace(t testing.TB, name string) *space.Space {
	t.Helper()
	sp, err := space.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

// fakeTable returns a table covering sp whose costs are distinct made-up numbers.
func fakeTable(t testing.TB, sp *space.Space) *Table {
	t.Helper()
	plan := Plan(sp)
	for i := range plan {
		plan[i].MS = 0.5 + float64(i)*0.37
	}
	tab := &Table{Format: TableFormat, Device: Device{CPU: "test"}, Space: sp.Name, Batch: 1, SeqLen: 128, Reps: 1,
		Statistic: StatP10, Entries: plan}
	if err := tab.build(); err != nil {
		t.Fatal(err)
	}
	return tab
}

// TestPredictIsSumOfTerms requires Predict to equal the explicit sum of the terms, bit for
// bit, for both models and every built-in space, depth and mixed hidden sizes included.
func TestPredictIsSumOfTerms(t *testing.T) {
	for _, name := range space.Names() {
		sp := loadSpace(t, name)
		models := map[string]Model{"analytic": NewAnalytic(Options{}), "table": fakeTable(t, sp)}
		for mname, m := range models {
			rng := rand.New(rand.NewSource(1))
			for i := 0; i < 200; i++ {
				a := sp.Sample(rng)
				want := m.Embedding(a.Layers[0].Hidden, a.Embed)
				for j, l := range a.Layers {
					want += m.Layer(l)
					if j+1 < len(a.Layers) {
						want += m.Projection(l.Hidden, a.Layers[j+1].Hidden)
					}
				}
				if got := m.Predict(a); got != want || math.IsNaN(got) || got <= 0 {
					t.Fatalf("%s/%s: Predict(%s) = %v, want %v", name, mname, a.Canonical(), got, want)
				}
			}
		}
	}
}

func TestAnalytic(t *testing.T) {
	a := typicalArch()
	m := NewAnalytic(Options{Batch: 2, SeqLen: 64})
	want := 2 * space.FLOPs(a, space.Faithful, 64) / (DefaultGFLOPS * 1e6)
	if got := m.Predict(a); math.Abs(got-want) > 1e-9*want {
		t.Fatalf("Predict = %v, want %v", got, want)
	}
	if m.Projection(256, 256) != 0 || m.Projection(128, 256) <= 0 {
		t.Fatalf("projection terms %v, %v", m.Projection(256, 256), m.Projection(128, 256))
	}
	if !strings.Contains(m.Describe(), "4.5 GFLOP/s") {
		t.Fatalf("Describe = %q", m.Describe())
	}
}

func TestTableMissing(t *testing.T) {
	sp := loadSpace(t, "nas-bench-bert")
	tab := fakeTable(t, sp)
	inSpace := space.Layer{Hidden: 256, Op: "SA", Param: "SDP", Heads: 4, FF: []int{1024}}
	cases := []struct {
		name, want string
		a          space.Arch
	}{
		{"covered", "", space.Arch{Layers: []space.Layer{inSpace, inSpace}}},
		{"embedding", "embedding hidden 512", space.Arch{Layers: []space.Layer{{Hidden: 512, Op: "SA", Param: "SDP", Heads: 4, FF: []int{1024}}}}},
		{"mixing", "mixing SA-SDP hidden 256 heads 8", space.Arch{Layers: []space.Layer{{Hidden: 256, Op: "SA", Param: "SDP", Heads: 8, FF: []int{1024}}}}},
		{"ffn", "ffn hidden 256 ff [2048] nor for ff_linear in 256 out 2048 final false, ff_linear in 2048 out 256 final true",
			space.Arch{Layers: []space.Layer{{Hidden: 256, Op: "SA", Param: "SDP", Heads: 4, FF: []int{2048}}}}},
		{"projection", "projection from 256 to 128", space.Arch{Layers: []space.Layer{inSpace, {Hidden: 128, Op: "SA", Param: "SDP", Heads: 4, FF: []int{512}}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, err := tab.PredictErr(c.a)
			p := tab.Predict(c.a)
			if c.want == "" {
				if err != nil || v != p || math.IsNaN(v) {
					t.Fatalf("PredictErr = %v, %v; Predict = %v", v, err, p)
				}
				return
			}
			var me *MissingError
			if !errors.As(err, &me) || !strings.Contains(err.Error(), c.want) || !math.IsNaN(p) || !math.IsNaN(v) {
				t.Fatalf("PredictErr = %v, %v (want a MissingError naming %q); Predict = %v", v, err, c.want, p)
			}
		})
	}
}

// TestTableCheck requires the planned blocks to cover each built-in space, and Check to
// notice any one of them missing.
func TestTableCheck(t *testing.T) {
	for _, name := range space.Names() {
		sp := loadSpace(t, name)
		tab := fakeTable(t, sp)
		if err := tab.Check(sp); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, drop := range []int{0, len(tab.Entries) / 2, len(tab.Entries) - 1} {
			short := *tab
			short.Entries = nil
			// A gridded block is missing only when its whole grid is.
			d := tab.Entries[drop]
			want := d.String()
			for _, e := range tab.Entries {
				if e.key() == d.key() || gridded(d.Block) && e.Block == d.Block &&
					string(gridKey(nil, e.Block, e.Hidden, e.Embed)) == string(gridKey(nil, d.Block, d.Hidden, d.Embed)) {
					continue
				}
				short.Entries = append(short.Entries, e)
			}
			switch d.Block {
			case BlockMLP:
				want = fmt.Sprintf("mlp hidden %d inner", d.Hidden)
			case BlockAdaptiveInput, BlockAdaptiveSoftmax:
				want = d.Block + " hidden " + strconv.Itoa(sp.Hidden[0]) + " embed " + embedString(d.Embed)
			}
			if err := short.build(); err != nil {
				t.Fatal(err)
			}
			err := short.Check(sp)
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("%s without %s: Check = %v", name, tab.Entries[drop], err)
			}
		}
	}
}

func TestPlanSizes(t *testing.T) {
	want := map[string]map[string]int{
		"nas-bench-bert": {BlockEmbedding: 2, BlockMixing: 24, BlockFFN: 8},
		"flexibert":      {BlockEmbedding: 3, BlockMixing: 63, BlockFFLinear: 36, BlockProjection: 6},
		// 3 embeddings x 4 of 15 d_model; 15 d_model x 3 n_head; 15 d_model x 4 of 57 d_inner.
		"gpt2": {BlockAdaptiveInput: 12, BlockAdaptiveSoftmax: 12, BlockMixing: 45, BlockMLP: 60},
	}
	for name, w := range want {
		got := map[string]int{}
		for _, e := range Plan(loadSpace(t, name)) {
			got[e.Block]++
		}
		for k, n := range w {
			if got[k] != n {
				t.Errorf("%s: %d %s blocks, want %d (all: %v)", name, got[k], k, n, got)
			}
		}
	}
}

// TestPredictAllocs requires a table prediction to allocate nothing.
func TestPredictAllocs(t *testing.T) {
	for _, name := range []string{"flexibert", "gpt2"} {
		sp := loadSpace(t, name)
		tab := fakeTable(t, sp)
		a := sp.Sample(rand.New(rand.NewSource(3)))
		if name == "gpt2" {
			a.Layers[0].FF[0] = 1001 // off the grid: interpolated
		}
		if n := testing.AllocsPerRun(100, func() { tab.Predict(a) }); n != 0 {
			t.Fatalf("%s: Predict allocates %v times", name, n)
		}
	}
}

func TestSpearman(t *testing.T) {
	cases := []struct {
		x, y []float64
		want float64
	}{
		{[]float64{1, 2, 3, 4}, []float64{10, 20, 30, 40}, 1},
		{[]float64{1, 2, 3, 4}, []float64{4, 3, 2, 1}, -1},
		{[]float64{1, 2, 3, 4, 5}, []float64{2, 1, 4, 3, 5}, 0.8},
		// Ties take average ranks: x ranks 1.5 1.5 3 4, y ranks 1 2 3 4.
		{[]float64{1, 1, 2, 3}, []float64{1, 2, 3, 4}, 0.9486832980505138},
	}
	for _, c := range cases {
		if got := Spearman(c.x, c.y); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("Spearman(%v, %v) = %v, want %v", c.x, c.y, got, c.want)
		}
	}
}

func TestQuantile(t *testing.T) {
	xs := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
	for _, c := range []struct{ q, want float64 }{{0, 1}, {0.1, 2}, {0.5, 6}, {0.9, 10}, {1, 11}, {0.25, 3.5}} {
		if got := quantile(xs, c.q); got != c.want {
			t.Errorf("quantile(%v) = %v, want %v", c.q, got, c.want)
		}
	}
	s := statsOf([]float64{5, 1, 3}, 2)
	if s.MinMS != 1 || s.MedianMS != 3 || s.Reps != 3 || s.Warmup != 2 || s.Value(StatMedian) != 3 || !math.IsNaN(s.Value("mean")) {
		t.Fatalf("statsOf = %+v", s)
	}
}
