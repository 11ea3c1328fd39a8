package objectives

import (
	"math"

	"github.com/zeronas/zeronas/space"
)

// Measured is latency measured on a device rather than predicted: the value of an
// architecture is the time of its forward pass on the machine that evaluates it, so it is
// recorded once (in the run's archive) and never computed again. It has no per-layer split.
type Measured struct {
	// Device names the device; only workers started for it measure.
	Device string
	// Measure returns the latency of a in milliseconds, or NaN when it failed. It is nil
	// away from the device, where Value is NaN, which a search refuses as an evaluation.
	Measure func(a space.Arch) float64
}

// Name implements Objective.
func (*Measured) Name() string { return "latency" }

// Sense implements Objective.
func (*Measured) Sense() Sense { return Min }

// Value implements Objective.
func (m *Measured) Value(a space.Arch) float64 {
	if m.Measure == nil {
		return math.NaN()
	}
	return m.Measure(a)
}

// Terms implements Objective: a measurement does not split.
func (*Measured) Terms() (Terms, bool) { return nil, false }
