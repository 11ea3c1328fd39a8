package objectives_test

import (
	"encoding/json"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"testing"

	"github.com/zeronas/zeronas/objectives"
	"github.com/zeronas/zeronas/objectives/latency"
	"github.com/zeronas/zeronas/proxy"
	"github.com/zeronas/zeronas/space"
)

// table returns a latency table covering sp, with distinct made-up costs, read back from
// its file as a user's table would be.
func table(t *testing.T, sp *space.Space) *latency.Table {
	t.Helper()
	plan := latency.Plan(sp)
	for i := range plan {
		plan[i].MS = 0.5 + float64(i)*0.37
	}
	tab := latency.Table{Format: latency.TableFormat, Device: latency.Device{CPU: "test"}, Space: sp.Name, Batch: 1,
		SeqLen: space.SeqLen, Reps: 1, Statistic: latency.StatP10, Entries: plan}
	data, err := json.Marshal(tab)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "table.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := latency.ReadTable(path)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestObjectivesAgainstIndependentComputations compares every objective, a cached sum of
// rounded per-layer terms, with a computation that does not split: the proxy with
// proxy.ZeroLM.Score of the whole architecture, the parameters with the shape list of the
// faithful build, the FLOPs with space.FLOPs, the latency with the table's own Predict.
// The terms are rounded to at most 2^-32 each, so the values agree to far better than 1e-9.
func TestObjectivesAgainstIndependentComputations(t *testing.T) {
	for _, name := range space.Names() {
		sp, err := space.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		// Measured tables cover FlexiBERT blocks; GPT-2 latency is the analytic model.
		var lat interface {
			objectives.LatencyModel
			Predict(space.Arch) float64
		} = latency.NewAnalytic(latency.Options{})
		if sp.Family != space.FamilyGPT2 {
			lat = table(t, sp)
		}
		for _, b := range []space.Build{space.Faithful, space.Legacy, space.AsTrained, space.TransformerXL} {
			if sp.CheckBuild(b) != nil {
				continue // a build of the other family
			}
			z, err := proxy.NewZeroLM(proxy.Settings{Build: b, Init: proxy.Xavier, Stat: proxy.Frob, Mode: proxy.Expected, Alpha: 0.3})
			if err != nil {
				t.Fatal(err)
			}
			checks := []struct {
				o    objectives.Objective
				want func(space.Arch) float64
			}{
				{objectives.NewProxy(z), func(a space.Arch) float64 { return z.Score(a).Score }},
				{objectives.NewParams(), func(a space.Arch) float64 {
					var n int64
					for _, tn := range space.Tensors(a, space.Faithful) {
						n += tn.Params()
					}
					return float64(n)
				}},
				{objectives.NewFLOPs(), func(a space.Arch) float64 { return space.FLOPs(a, space.Faithful, space.SeqLen) }},
				{objectives.NewLatency(lat), lat.Predict},
			}
			rng := rand.New(rand.NewSource(1))
			for i := 0; i < 200; i++ {
				a := sp.Sample(rng)
				for _, c := range checks {
					if _, ok := c.o.Terms(); !ok {
						t.Fatalf("%s claims no split in expected mode", c.o.Name())
					}
					got, want := c.o.Value(a), c.want(a)
					if math.Abs(got-want) > 1e-9*math.Abs(want) {
						t.Fatalf("%s %s %s of %s: %v, independently %v", name, b, c.o.Name(), a.ID(), got, want)
					}
				}
			}
		}
	}
}

// TestMemoryEqualsPeakMemory: the memory objective, which counts weights with the memoised
// parameter terms, equals space.PeakMemoryMB (weights tensor by tensor) bit for bit.
func TestMemoryEqualsPeakMemory(t *testing.T) {
	m := objectives.NewMemory()
	for _, name := range space.Names() {
		sp, err := space.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewSource(2))
		for i := 0; i < 300; i++ {
			a := sp.SampleByDepth(rng)
			for pass := 0; pass < 2; pass++ { // a memo miss, then a hit
				if got, want := m.Value(a), space.PeakMemoryMB(a, space.Faithful, objectives.MemoryBatch, space.SeqLen); got != want {
					t.Fatalf("%s %s: memory %v, space.PeakMemoryMB %v", name, a.ID(), got, want)
				}
			}
		}
	}
	if m.Value(space.Arch{}) != 0 {
		t.Error("memory of no layers")
	}
}
