package latency

import (
	"context"
	"math"
	"math/rand"
	"slices"
	"strings"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/zeronas/zeronas/space"
)

// TestCalibrateScalesToWholeNetworks: calibration times NetworkChecks whole networks after
// the blocks, records each one's sum of blocks and measured time, and scales every cost by
// the median ratio; the file keeps the check, and a table without one is unscaled.
func TestCalibrateScalesToWholeNetworks(t *testing.T) {
	for _, sp := range []*space.Space{tiny(t), tinyGPT2(t)} {
		t.Run(sp.Name, func(t *testing.T) {
			m := &fakeMachine{refs: []float64{2}, wholeMS: 250}
			tab, err := calibrate(context.Background(), sp, tinyOptions, nil, m)
			if err != nil {
				t.Fatal(err)
			}
			c := tab.Network
			if c == nil || len(c.Networks) != NetworkChecks || m.networks != NetworkChecks {
				t.Fatalf("network check %+v after %d networks timed, want %d", c, m.networks, NetworkChecks)
			}
			raw := *tab
			raw.Network = nil
			if err := raw.build(); err != nil {
				t.Fatal(err)
			}
			// The networks are draws by depth from the space, and each sum of blocks is the
			// unscaled table's prediction.
			rng := rand.New(rand.NewSource(tinyOptions.Seed + networkSeed))
			var ratios []float64
			for i, n := range c.Networks {
				a := sp.SampleByDepth(rng)
				if n.ArchID != a.ID() || n.MeasuredMS != 250 {
					t.Errorf("network %d: %+v, want architecture %s measured 250 ms", i, n, a.ID())
				}
				if want := raw.Predict(a); n.BlocksMS != want {
					t.Errorf("network %d: blocks %v ms, want the unscaled prediction %v", i, n.BlocksMS, want)
				}
				ratios = append(ratios, n.MeasuredMS/n.BlocksMS)
			}
			slices.Sort(ratios)
			if c.Scale != ratios[len(ratios)/2] {
				t.Fatalf("scale %v, want the median ratio %v of %v", c.Scale, ratios[len(ratios)/2], ratios)
			}
			// Every prediction is the unscaled one times the scale.
			rng = rand.New(rand.NewSource(3))
			for range 20 {
				a := sp.Sample(rng)
				got, want := tab.Predict(a), raw.Predict(a)*c.Scale
				if math.Abs(got-want) > 1e-9*want {
					t.Fatalf("%s: predicted %v, want %v x %v = %v", a.ID(), got, raw.Predict(a), c.Scale, want)
				}
			}
			// The file keeps the check.
			back, err := ParseTable("t.json", must(tab.Marshal()))
			if err != nil || back.Network == nil || back.Network.Scale != c.Scale || len(back.Network.Networks) != NetworkChecks {
				t.Fatalf("read back: %+v, %v", back.Network, err)
			}
		})
	}
}

// TestNetworkCheckRetriesDrift: a whole network timed while the reference kernel drifted
// is timed again, and the quiet timing kept.
func TestNetworkCheckRetriesDrift(t *testing.T) {
	sp := tinyGPT2(t)
	g := tinyGroups(t, sp)
	// Quiet for the blocks (a reference before and after each group), then slow around
	// the first network, quiet again.
	refs := append(repeat(2, g+1), 3, 2)
	m := &fakeMachine{refs: append(refs, repeat(2, 20)...), wholeMS: 250}
	core, logs := observer.New(zap.InfoLevel)
	tab, err := calibrate(context.Background(), sp, tinyOptions, zap.New(core), m)
	if err != nil {
		t.Fatal(err)
	}
	c := tab.Network
	if c.Retried != 1 || m.networks != NetworkChecks+1 {
		t.Fatalf("retried %d, networks timed %d: want 1 and %d", c.Retried, m.networks, NetworkChecks+1)
	}
	for i, n := range c.Networks {
		if n.MeasuredMS != 250 || n.Drift != 0 {
			t.Errorf("network %d: %+v, want the quiet 250 ms, drift 0", i, n)
		}
	}
	if logs.FilterMessageSnippet("whole networks were timed").Len() != 0 {
		t.Error("warned of a drift that the retry cured")
	}
	// A drift that never passes is kept after networkRetries, recorded and warned about.
	m = &fakeMachine{refs: append(repeat(2, g+1), 3), wholeMS: 250}
	core, logs = observer.New(zap.InfoLevel)
	tab, err = calibrate(context.Background(), sp, tinyOptions, zap.New(core), m)
	if err != nil {
		t.Fatal(err)
	}
	if c := tab.Network; c.Retried != NetworkChecks*networkRetries || c.Networks[0].Drift != 0.5 || c.Networks[0].MeasuredMS != 375 {
		t.Fatalf("busy throughout: %+v", c)
	}
	if logs.FilterMessageSnippet("whole networks were timed").Len() != 1 {
		t.Error("no warning of the drift left in the network check")
	}
}

// TestNetworkCheckFileErrors: a table file's network check is validated, naming the field.
func TestNetworkCheckFileErrors(t *testing.T) {
	sp := tiny(t)
	tab, err := calibrate(context.Background(), sp, tinyOptions, nil, &fakeMachine{refs: []float64{2}})
	if err != nil {
		t.Fatal(err)
	}
	with := func(f func(c *NetworkCheck)) string {
		c := *tab.Network
		c.Networks = slices.Clone(c.Networks)
		f(&c)
		bad := *tab
		bad.Network = &c
		return string(must(bad.Marshal()))
	}
	for _, c := range []struct{ name, file, want string }{
		{"zero scale", with(func(c *NetworkCheck) { c.Scale = 0 }), "field network: scale 0"},
		{"negative scale", with(func(c *NetworkCheck) { c.Scale = -1 }), "field network: scale -1"},
		{"huge scale", with(func(c *NetworkCheck) { c.Scale = 1e9 }), "field network: scale 1e+09"},
		{"negative reps", with(func(c *NetworkCheck) { c.Reps = -1 }), "field network: reps -1"},
		{"negative ms", with(func(c *NetworkCheck) { c.Networks[1].MeasuredMS = -1 }), "networks[1]"},
		{"negative drift", with(func(c *NetworkCheck) { c.Networks[2].Drift = -0.5 }), "networks[2]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseTable("t.json", []byte(c.file))
			if err == nil || !strings.Contains(err.Error(), "t.json") || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one naming t.json and %q", err, c.want)
			}
		})
	}
}
