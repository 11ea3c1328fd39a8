package export

import (
	"context"
	"fmt"

	"go.uber.org/zap"

	"github.com/zeronas/zeronas/space"
)

// Measurement is a measured forward-pass latency of one architecture, with what a reader
// needs to trust it: the statistic, the repetitions, the input shape and the device.
type Measurement struct {
	// MedianMS is the median of the timed repetitions, in milliseconds.
	MedianMS float64 `json:"median_ms"`
	// P10MS and P90MS are the 10th and 90th percentiles, in milliseconds; 0 when unknown.
	P10MS float64 `json:"p10_ms,omitempty"`
	P90MS float64 `json:"p90_ms,omitempty"`
	// Reps is the number of timed repetitions; Warmup the untimed ones before them.
	Reps   int `json:"reps"`
	Warmup int `json:"warmup"`
	// Batch and SeqLen are the input's batch size and sequence length.
	Batch  int `json:"batch"`
	SeqLen int `json:"seq_len"`
	// Device describes the machine, for example "Intel Xeon, 1 of 2 threads, linux/amd64".
	Device string `json:"device"`
}

// MeasureFunc measures the latency of every architecture of archs, returning one
// Measurement per architecture in the same order. Export calls it once with the whole front,
// so that a measurement may interleave the architectures and give each the same share of
// the machine's load.
type MeasureFunc func(ctx context.Context, archs []space.Arch) ([]Measurement, error)

// measureAll sets the Latency of every member with measure.
func measureAll(ctx context.Context, front []Member, measure MeasureFunc, log *zap.Logger) error {
	archs := make([]space.Arch, len(front))
	for i, m := range front {
		archs[i] = m.Arch
	}
	log.Info("measuring latency", zap.Int("architectures", len(archs)))
	got, err := measure(ctx, archs)
	if err != nil {
		return fmt.Errorf("measure latency: %w", err)
	}
	if len(got) != len(front) {
		return fmt.Errorf("measure latency: %d measurements for %d architectures", len(got), len(front))
	}
	for i := range front {
		front[i].Latency = &got[i]
		log.Info("measured", zap.String("id", front[i].ID), zap.Float64("median_ms", got[i].MedianMS),
			zap.String("device", got[i].Device))
	}
	return nil
}
