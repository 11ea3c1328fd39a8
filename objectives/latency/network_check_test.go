package latency

import (
	"context"
	"math"
	"math/rand"
	"slices"
	"strings"
	"testing"

	"github.com/zeronas/zeronas/space"
)

// TestCalibrateScalesToWholeNetworks: calibration times NetworkChecks networks drawn by
// depth, each in the same rounds as its blocks, records them, and scales every cost by the
// median ratio of whole to summed; the file keeps the check, and the unscaled table is the
// blocks' sum.
func TestCalibrateScalesToWholeNetworks(t *testing.T) {
	for _, sp := range []*space.Space{tiny(t), tinyGPT2(t)} {
		t.Run(sp.Name, func(t *testing.T) {
			m := &fakeMachine{refs: []float64{2}}
			tab, err := calibrate(context.Background(), sp, tinyOptions, nil, m)
			if err != nil {
				t.Fatal(err)
			}
			c := tab.Network
			if c == nil || len(c.Networks) != NetworkChecks || c.Reps != min(tinyOptions.Reps, networkReps) {
				t.Fatalf("network check %+v, want %d networks", c, NetworkChecks)
			}
			raw := *tab
			raw.Network = nil
			if err := raw.build(); err != nil {
				t.Fatal(err)
			}
			// The fake machine times the i-th function of a round at 2(1+i) ms: the whole
			// network first, then each of its blocks.
			rng := rand.New(rand.NewSource(tinyOptions.Seed + networkSeed))
			var ratios []float64
			for i, n := range c.Networks {
				a := sp.SampleByDepth(rng)
				net, err := NewNetwork(a, tinyOptions)
				if err != nil {
					t.Fatal(err)
				}
				sum := 0.0
				for j := range net.blocks {
					sum += 2 * float64(2+j)
				}
				if n.ArchID != a.ID() || n.MeasuredMS != 2 || n.RoundBlocksMS != sum || n.BlocksMS != raw.Predict(a) {
					t.Errorf("network %d: %+v, want %s measured 2 ms, blocks in the same rounds %v, table blocks %v",
						i, n, a.ID(), sum, raw.Predict(a))
				}
				ratios = append(ratios, n.MeasuredMS/n.RoundBlocksMS)
			}
			slices.Sort(ratios)
			if c.Scale != ratios[1] {
				t.Fatalf("scale %v, want the median ratio of %v", c.Scale, ratios)
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
			// A machine twice as slow throughout gives the same scale.
			slow, err := calibrate(context.Background(), sp, tinyOptions, nil, &fakeMachine{refs: []float64{4}})
			if err != nil || slow.Network.Scale != c.Scale {
				t.Fatalf("scale on a slower machine %v (%v), want %v", slow.Network, err, c.Scale)
			}
			// The file keeps the check.
			back, err := ParseTable("t.json", must(tab.Marshal()))
			if err != nil || back.Network == nil || back.Network.Scale != c.Scale || !slices.Equal(back.Network.Networks, c.Networks) {
				t.Fatalf("read back: %+v, %v", back.Network, err)
			}
		})
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
		{"negative round ms", with(func(c *NetworkCheck) { c.Networks[2].RoundBlocksMS = -0.5 }), "networks[2]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseTable("t.json", []byte(c.file))
			if err == nil || !strings.Contains(err.Error(), "t.json") || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one naming t.json and %q", err, c.want)
			}
		})
	}
}
