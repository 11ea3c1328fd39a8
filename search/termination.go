package search

import (
	"context"
	"time"
)

// Progress is what a Criterion sees after each complete generation.
type Progress struct {
	// Generation is the number of the last complete generation.
	Generation int
	// Evaluations is the number of unique evaluations so far, over all resumes.
	Evaluations int
	// Elapsed is the wall time of this call to Minimize.
	Elapsed time.Duration
	// Hypervolumes[g] is the archive's normalised hypervolume after generation g.
	Hypervolumes []float64
}

// Criterion decides, once per complete generation, whether a run should stop. Criteria are
// small values combined with AnyOf, as in pymoo's termination package.
type Criterion interface {
	// Check returns NotTerminated to go on, or the status to stop with.
	Check(p *Progress) Status
}

// MaxGenerations stops a run with GenerationLimit once that generation is complete.
type MaxGenerations int

// Check implements Criterion.
func (n MaxGenerations) Check(p *Progress) Status {
	return stopIf(p.Generation >= int(n), GenerationLimit)
}

// MaxEvaluations stops a run with EvaluationLimit once it has made that many unique
// evaluations. Settings.Evaluations also cuts the last generation short; this criterion
// alone does not.
type MaxEvaluations int

// Check implements Criterion.
func (n MaxEvaluations) Check(p *Progress) Status {
	return stopIf(p.Evaluations >= int(n), EvaluationLimit)
}

// MaxRuntime stops a run with RuntimeLimit at the first generation boundary after that
// much wall time in this call to Minimize.
type MaxRuntime time.Duration

// Check implements Criterion.
func (d MaxRuntime) Check(p *Progress) Status {
	return stopIf(p.Elapsed >= time.Duration(d), RuntimeLimit)
}

// HypervolumeStall stops a run with Stalled when the archive's hypervolume has grown by
// no more than Tol over the last Generations generations. It looks only at
// Progress.Hypervolumes, so it behaves the same across resumes.
type HypervolumeStall struct {
	Generations int     `json:"generations"`
	Tol         float64 `json:"tol"`
}

// Check implements Criterion.
func (h HypervolumeStall) Check(p *Progress) Status {
	hv, n := p.Hypervolumes, h.Generations
	return stopIf(n > 0 && len(hv) > n && hv[len(hv)-1]-hv[len(hv)-1-n] <= h.Tol, Stalled)
}

// CanceledBy returns a criterion that stops a run with Canceled at the first generation
// boundary after ctx is done: a graceful stop that lets the generation in progress
// finish. Cancelling the context given to Minimize instead stops at once (see
// evaluate.go).
func CanceledBy(ctx context.Context) Criterion { return canceled{ctx} }

type canceled struct{ ctx context.Context }

func (c canceled) Check(*Progress) Status { return stopIf(c.ctx.Err() != nil, Canceled) }

// AnyOf returns a criterion that stops with the status of the first of cs that stops.
// Nil criteria are skipped.
func AnyOf(cs ...Criterion) Criterion { return anyOf(cs) }

type anyOf []Criterion

func (cs anyOf) Check(p *Progress) Status {
	for _, c := range cs {
		if c == nil {
			continue
		}
		if s := c.Check(p); s != NotTerminated {
			return s
		}
	}
	return NotTerminated
}

func stopIf(cond bool, s Status) Status {
	if cond {
		return s
	}
	return NotTerminated
}
