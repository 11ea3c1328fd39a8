package latency

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand"

	"gonum.org/v1/gonum/blas"
)

// A shared machine's neighbours slow it for tens of seconds, invisibly to the process: a
// table measured in such a spell is too high in the blocks it covered, and a cached table
// made in one misleads every later run. Calibration therefore times a fixed reference
// kernel before the first group of blocks and after every group (groups are a few blocks
// timed round-robin); a group whose reference, before or after it, ran more than RetryDrift
// slower than the fastest reference of the calibration is timed again (at most MaxRetries
// times, and within RetryBudget for the whole calibration, keeping the attempt with the
// quietest reference), and the table records the
// reference's timing and the drift that remains (Reference). LoadOrCalibrate times the
// reference again before using a cached table and recalibrates when it moved by more than
// RecalibrateDrift.
const (
	// RetryDrift is the slowdown of the reference kernel around a group of blocks beyond
	// which the group is timed again: 10%, three times the spread of the reference's p10 on
	// this project's shared machine when it is quiet.
	RetryDrift = 0.10
	// MaxRetries bounds the retries of each group.
	MaxRetries = 2
	// RetryBudget bounds all retries of a calibration, as a fraction of its groups (at
	// least one), worst drift first: on a machine that is never quiet, unbounded retries
	// more than doubled a GPT-2 calibration (146 s to 398 s) and left 87% drift anyway,
	// and a quarter of the groups took 45 of a gpt2 calibration's 186 s.
	RetryBudget = 0.15
	// RecalibrateDrift is the relative change of the reference kernel's timing since a
	// cached table was made beyond which LoadOrCalibrate recalibrates it.
	RecalibrateDrift = 0.10
	// ReferenceKernel describes the reference kernel.
	ReferenceKernel = "sgemm 128x256 by 256x256, float32, p10 of 10 runs after 2 warm-up"
)

const (
	refReps, refWarmup = 10, 2
	// maxGroupBlocks bounds the blocks timed round-robin between two reference checks.
	maxGroupBlocks = 8
	// recheckReference is how many times LoadOrCalibrate times the reference, keeping the
	// fastest, so that a passing spike does not trigger a recalibration.
	recheckReference = 3
)

// Reference is the drift check of a calibration, recorded in the table file.
type Reference struct {
	// Kernel describes the reference kernel (ReferenceKernel).
	Kernel string `json:"kernel"`
	// MS is the fastest timing of the reference during the calibration, in milliseconds:
	// the machine's speed when quiet.
	MS float64 `json:"ms"`
	// Drift is the largest slowdown of the reference around a group of blocks kept in the
	// table, relative to MS: 0.04 means some blocks were timed while the machine ran 4%
	// slower than at its quietest.
	Drift float64 `json:"drift"`
	// Threshold is RetryDrift: groups whose reference drifted more were timed again.
	Threshold float64 `json:"threshold"`
	// Retried is the number of groups timed again, and Checks the reference timings.
	Retried int `json:"retried"`
	Checks  int `json:"checks"`
}

// check reports the first invalid field of r (nil is valid: a table from elsewhere).
func (r *Reference) check() error {
	if r == nil {
		return nil
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"ms", r.MS}, {"drift", r.Drift}, {"threshold", r.Threshold}} {
		if math.IsNaN(f.v) || math.IsInf(f.v, 0) || f.v < 0 || f.v > MaxBlockMS {
			return fmt.Errorf("%s %g: must be a number from 0 to %g", f.name, f.v, float64(MaxBlockMS))
		}
	}
	if !(r.MS > 0) {
		return errors.New("ms 0: the reference kernel takes time")
	}
	if r.Retried < 0 || r.Checks < 0 {
		return fmt.Errorf("retried %d, checks %d: must not be negative", r.Retried, r.Checks)
	}
	return nil
}

// String describes r in one line.
func (r *Reference) String() string {
	if r == nil {
		return "no reference timing (the table was not calibrated with drift checks)"
	}
	return fmt.Sprintf("reference %.3f ms, drift %.1f%% (threshold %.0f%%, %d groups retried)", r.MS, 100*r.Drift, 100*r.Threshold, r.Retried)
}

// retryBudget is how many group retries a calibration of groups groups may spend.
func retryBudget(groups int) int {
	return max(1, int(math.Ceil(RetryBudget*float64(groups))))
}

// timer times the blocks of a calibration and the reference kernel. machine is the real
// one; tests substitute a fake whose load drifts on cue, so that no test depends on the
// wall clock.
type timer interface {
	// blocks times fs round-robin (see roundRobin).
	blocks(ctx context.Context, fs []func(), warmup, reps int) ([]Stats, error)
	// reference returns the reference kernel's p10 in milliseconds.
	reference(ctx context.Context) (float64, error)
}

// machine is the real timer: the wall clock and the reference kernel.
type machine struct{ ref func() }

// newMachine builds the reference kernel with fixed inputs.
func newMachine() machine {
	rng := rand.New(rand.NewSource(1))
	a, b, c := randMat(rng, 128, 256, 1), randMat(rng, 256, 256, 1), newMat(128, 256)
	return machine{ref: func() { gemm(blas.NoTrans, blas.NoTrans, 1, a, b, 0, c) }}
}

func (m machine) blocks(ctx context.Context, fs []func(), warmup, reps int) ([]Stats, error) {
	return roundRobin(ctx, fs, warmup, reps)
}

func (m machine) reference(ctx context.Context) (float64, error) {
	s, err := roundRobin(ctx, []func(){m.ref}, refWarmup, refReps)
	if err != nil {
		return math.NaN(), err
	}
	return s[0].P10MS, nil
}

// ReferenceMS times the reference kernel on this machine with threads cores: the fastest
// of a few p10 timings, as LoadOrCalibrate compares it with a cached table's.
func ReferenceMS(ctx context.Context, threads int) (float64, error) {
	return referenceNow(ctx, newMachine(), threads)
}

func referenceNow(ctx context.Context, tm timer, threads int) (float64, error) {
	best := math.Inf(1)
	err := withThreads(max(threads, 1), func() error {
		for range recheckReference {
			v, err := tm.reference(ctx)
			if err != nil {
				return err
			}
			best = min(best, v)
		}
		return nil
	})
	return best, err
}

// Moved returns how much the reference kernel's timing now (ms) moved since r was made:
// now/r.MS - 1, NaN without r.
func (r *Reference) Moved(now float64) float64 {
	if r == nil || !(r.MS > 0) {
		return math.NaN()
	}
	return now/r.MS - 1
}
