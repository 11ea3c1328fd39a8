package main

import (
	"github.com/zeronas/zeronas/space"
)

// newLatencyEstimator returns the latency estimate `score` reports.
// TODO(latency): replace with the measured table model.
func newLatencyEstimator() func(space.Arch) float64 {
	return func(a space.Arch) float64 { return space.FLOPs(a, space.Faithful, 128) / 1e7 }
}
