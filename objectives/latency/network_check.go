package latency

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand"
	"slices"

	"go.uber.org/zap"

	"github.com/zeronas/zeronas/space"
)

// A table's blocks are timed a few at a time, for a few milliseconds each; a whole network
// runs for up to seconds. On a machine whose speed varies from one moment to the next (the
// shared development machines here: the reference kernel ranges over 1.2 to 3.3 ms within a
// minute, idle), a low quantile of short timings catches the fast moments and a long pass
// averages over them, and a whole pass also streams every layer's weights: the sum of a
// GPT-2 decoder's blocks was 0.81 of its measured time on the idle machine. Calibration
// therefore times a few whole networks after the blocks and scales every cost of the table
// by the median ratio of measured to summed (NetworkCheck), so that the table predicts
// whole passes, not sums of blocks. Ranks are unchanged by the common factor.
const (
	// NetworkChecks is the number of whole networks a calibration times.
	NetworkChecks = 3
	// networkReps and networkWarmup bound the repetitions of each whole network (a 16-layer
	// GPT-2 decoder takes up to 5 s a pass), within the 3-minute calibration of gpt2.
	networkReps, networkWarmup = 2, 1
	// networkRetries bounds the retimings of a network whose reference kernel, before or
	// after it, drifted more than RetryDrift (the quieter attempt is kept).
	networkRetries = 1
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
	// BlocksMS.
	Scale float64 `json:"scale"`
	// Reps and Warmup are the timed and untimed passes of each network.
	Reps   int `json:"reps"`
	Warmup int `json:"warmup"`
	// Retried counts the networks timed again because the reference kernel drifted.
	Retried int `json:"retried"`
	// Networks are the architectures timed whole, drawn by depth (space.SampleByDepth),
	// so that the check covers shallow networks as well as deep ones, and costs less than
	// uniform draws, which are nearly all of the largest depth.
	Networks []NetworkSample `json:"networks"`
}

// NetworkSample is one network of a NetworkCheck.
type NetworkSample struct {
	// ArchID is the architecture's space.Arch ID.
	ArchID string `json:"arch_id"`
	// BlocksMS is the sum of the table's block costs before scaling; MeasuredMS the whole
	// pass (the table's statistic).
	BlocksMS   float64 `json:"blocks_ms"`
	MeasuredMS float64 `json:"measured_ms"`
	// Drift is the slowdown of the reference kernel around the kept timing, relative to
	// the calibration's fastest (Reference.MS).
	Drift float64 `json:"drift"`
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
	if c.Reps < 0 || c.Warmup < 0 || c.Retried < 0 {
		return fmt.Errorf("reps %d, warmup %d, retried %d: must not be negative", c.Reps, c.Warmup, c.Retried)
	}
	for i, n := range c.Networks {
		for _, v := range []float64{n.BlocksMS, n.MeasuredMS, n.Drift} {
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

// checkNetworks times NetworkChecks architectures drawn from sp whole and compares them
// with t's sums of blocks (t unscaled), with GOMAXPROCS already set. A network whose
// reference timing, before or after it, drifted beyond RetryDrift of ref.MS is timed again.
func checkNetworks(ctx context.Context, sp *space.Space, t *Table, ref *Reference, o Options, tm timer, log *zap.Logger) (*NetworkCheck, error) {
	rng := rand.New(rand.NewSource(o.Seed + networkSeed))
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
		ms, drift := math.NaN(), math.Inf(1)
		for attempt := 0; ; attempt++ {
			m, d, err := timeNetwork(ctx, n, ref, c, o.Statistic, tm)
			if err != nil {
				return nil, err
			}
			if d < drift {
				ms, drift = m, d
			}
			if drift <= RetryDrift || attempt == networkRetries {
				break
			}
			c.Retried++
			log.Info("timing a whole network again: the reference kernel drifted while it was timed",
				zap.String("arch_id", a.ID()), zap.Float64("drift", d), zap.Float64("threshold", RetryDrift))
		}
		c.Networks = append(c.Networks, NetworkSample{ArchID: a.ID(), BlocksMS: blocks, MeasuredMS: ms, Drift: drift})
		if blocks > 0 && ms > 0 {
			ratios = append(ratios, ms/blocks)
		}
		log.Info("timed a whole network", zap.String("arch_id", a.ID()), zap.Int("layers", a.Depth()),
			zap.Float64("blocks_ms", blocks), zap.Float64("measured_ms", ms))
	}
	if len(ratios) == 0 {
		return nil, fmt.Errorf("network check: no network took measurable time")
	}
	slices.Sort(ratios)
	c.Scale = min(max(quantile(ratios, 0.5), 1.0/MaxNetworkScale), MaxNetworkScale)
	if d := slices.MaxFunc(c.Networks, func(a, b NetworkSample) int { return cmp.Compare(a.Drift, b.Drift) }).Drift; d > RetryDrift {
		log.Warn("the machine's speed drifted while whole networks were timed: the network scale may be off; recalibrate when it is quiet",
			zap.Float64("drift", d), zap.Float64("network_scale", c.Scale))
	}
	return c, nil
}

// timeNetwork times n's forward pass between two reference timings and returns its
// statistic and the reference's drift around it.
func timeNetwork(ctx context.Context, n *Network, ref *Reference, c *NetworkCheck, stat string, tm timer) (ms, drift float64, err error) {
	before, err := tm.reference(ctx)
	if err != nil {
		return 0, 0, err
	}
	s, err := tm.network(ctx, n.Forward, c.Warmup, c.Reps)
	if err != nil {
		return 0, 0, err
	}
	after, err := tm.reference(ctx)
	if err != nil {
		return 0, 0, err
	}
	ref.Checks += 2
	return s.Value(stat), max(0, max(before, after)/ref.MS-1), nil
}
