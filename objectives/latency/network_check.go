package latency

import (
	"context"
	"fmt"
	"math"
	"math/rand"
	"slices"

	"go.uber.org/zap"

	"github.com/zeronas/zeronas/space"
)

// A table's blocks are timed a few at a time, for milliseconds each; a whole network runs
// for up to seconds. On a machine whose speed varies from one moment to the next (the shared
// development machines here: the reference kernel ranges over 1.2 to 3.3 ms within a
// minute, idle), a low quantile of short timings catches the fast moments that a long pass
// averages over, and a whole pass also streams every layer's weights: the sum of a GPT-2
// decoder's blocks was 0.81 of its measured time on the idle machine. Calibration therefore
// times a few whole networks, each in turn with its own blocks run alone (as a table times
// them), and scales every cost of the table by the median ratio of whole to summed
// (NetworkCheck). Timed in the same rounds, whole and blocks share the machine's state, so
// a busy spell during the check does not skew the scale. Ranks are unchanged by it.
const (
	// NetworkChecks is the number of whole networks a calibration times.
	NetworkChecks = 3
	// networkReps and networkWarmup bound the rounds of each network check (a 16-layer GPT-2
	// decoder takes up to 5 s a pass, a round twice that), within the 3-minute calibration
	// of gpt2. No warm-up round: p10 of two rounds is within a tenth of the faster one.
	networkReps, networkWarmup = 2, 0
	// networkSeed offsets the calibration's seed to draw the networks, so that they are not
	// the architectures a validation with the same seed measures.
	networkSeed = 0x6e6574
	// MaxNetworkScale bounds the scale of a table file's network check (and 1/MaxNetworkScale
	// below): beyond, the check or the file is broken.
	MaxNetworkScale = 100
)

// NetworkCheck is the whole-network check of a calibration, recorded in the table file.
type NetworkCheck struct {
	// Scale multiplies every cost of the table: the median over Networks of MeasuredMS /
	// RoundBlocksMS.
	Scale float64 `json:"scale"`
	// Reps and Warmup are the timed and untimed rounds of each network.
	Reps   int `json:"reps"`
	Warmup int `json:"warmup"`
	// Networks are the architectures timed whole, drawn by depth (space.SampleByDepth),
	// so that the check covers shallow networks as well as deep ones, and costs less than
	// uniform draws, which are nearly all of the largest depth.
	Networks []NetworkSample `json:"networks"`
}

// NetworkSample is one network of a NetworkCheck.
type NetworkSample struct {
	// ArchID is the architecture's space.Arch ID.
	ArchID string `json:"arch_id"`
	// BlocksMS is the sum of the table's block costs before scaling, for comparison.
	BlocksMS float64 `json:"blocks_ms"`
	// MeasuredMS is the whole pass and RoundBlocksMS the sum of the network's blocks run
	// alone, timed in the same rounds (the table's statistic).
	MeasuredMS    float64 `json:"measured_ms"`
	RoundBlocksMS float64 `json:"round_blocks_ms"`
}

// scale returns the factor of c: 1 without a check.
func (c *NetworkCheck) scale() float64 {
	if c == nil {
		return 1
	}
	return c.Scale
}

// check reports the first invalid field of c (nil is valid: a table from elsewhere).
func (c *NetworkCheck) check() error {
	if c == nil {
		return nil
	}
	if math.IsNaN(c.Scale) || c.Scale < 1.0/MaxNetworkScale || c.Scale > MaxNetworkScale {
		return fmt.Errorf("scale %g: must be a number from %g to %d", c.Scale, 1.0/MaxNetworkScale, MaxNetworkScale)
	}
	if c.Reps < 0 || c.Warmup < 0 {
		return fmt.Errorf("reps %d, warmup %d: must not be negative", c.Reps, c.Warmup)
	}
	for i, n := range c.Networks {
		for _, v := range []float64{n.BlocksMS, n.MeasuredMS, n.RoundBlocksMS} {
			if math.IsNaN(v) || v < 0 || v > MaxBlockMS {
				return fmt.Errorf("networks[%d] %s: ms %g must be a number from 0 to %g", i, n.ArchID, v, float64(MaxBlockMS))
			}
		}
	}
	return nil
}

// String describes c in one line.
func (c *NetworkCheck) String() string {
	if c == nil {
		return "no network check (costs are sums of blocks)"
	}
	return fmt.Sprintf("network scale %.3f (median of measured/blocks over %d whole networks)", c.Scale, len(c.Networks))
}

// checkNetworks times NetworkChecks architectures drawn from sp whole, each in the same
// rounds as its blocks run alone, with GOMAXPROCS already set; t (unscaled) gives the
// blocks' table sums for comparison.
func checkNetworks(ctx context.Context, sp *space.Space, t *Table, o Options, tm timer, log *zap.Logger) (*NetworkCheck, error) {
	rng := rand.New(rand.NewSource(o.Seed + networkSeed))        // the architectures
	inputs := rand.New(rand.NewSource(o.Seed + networkSeed + 1)) // the blocks' inputs
	c := &NetworkCheck{Reps: min(o.Reps, networkReps), Warmup: min(o.Warmup, networkWarmup)}
	ratios := make([]float64, 0, NetworkChecks)
	for range NetworkChecks {
		a := sp.SampleByDepth(rng)
		blocks, err := t.PredictErr(a)
		if err != nil {
			return nil, fmt.Errorf("network check: architecture %s: %w", a.ID(), err)
		}
		n, err := NewNetwork(a, o)
		if err != nil {
			return nil, fmt.Errorf("network check: architecture %s: %w", a.ID(), err)
		}
		fs := []func(){n.Forward}
		for _, b := range n.blocks {
			fs = append(fs, alone(inputs, n.sh, b))
		}
		s, err := tm.blocks(ctx, fs, c.Warmup, c.Reps)
		if err != nil {
			return nil, err
		}
		whole, sum := s[0].Value(o.Statistic), 0.0
		for _, b := range s[1:] {
			sum += b.Value(o.Statistic)
		}
		c.Networks = append(c.Networks, NetworkSample{ArchID: a.ID(), BlocksMS: blocks, MeasuredMS: whole, RoundBlocksMS: sum})
		if whole > 0 && sum > 0 {
			ratios = append(ratios, whole/sum)
		}
		log.Info("timed a whole network", zap.String("arch_id", a.ID()), zap.Int("layers", a.Depth()),
			zap.Float64("measured_ms", whole), zap.Float64("blocks_same_rounds_ms", sum), zap.Float64("table_blocks_ms", blocks))
	}
	if len(ratios) == 0 {
		return nil, fmt.Errorf("network check: no network took measurable time")
	}
	slices.Sort(ratios)
	c.Scale = min(max(quantile(ratios, 0.5), 1.0/MaxNetworkScale), MaxNetworkScale)
	return c, nil
}
