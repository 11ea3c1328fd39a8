package search

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Result is the outcome of Minimize.
type Result[G any] struct {
	// Status says why the run stopped.
	Status Status
	// State is the last complete generation; with every individual recorded so far it
	// resumes the run. Its Generation is -1 if not even generation 0 completed.
	State State[G]
	// Front is the archive: every non-dominated individual seen, sorted by objectives
	// then key.
	Front []Individual[G]
	// Feasible reports whether the Front is feasible. When nothing seen was feasible it
	// is false and the Front holds the least-violating individuals.
	Feasible bool
	// Hypervolume is the Front's normalised hypervolume (see State.Ideal).
	Hypervolume float64
	Stats
}

// Stats are the counts and timings of a call to Minimize.
type Stats struct {
	Generations    int           // generations completed in this call
	Evaluations    int           // unique evaluations, over all resumes
	NewEvaluations int           // unique evaluations in this call
	Runtime        time.Duration // wall time of this call
	EvalTime       time.Duration // time spent evaluating
	BookTime       time.Duration // time spent on everything else but the Recorder
	EvalsPerSecond float64       // NewEvaluations / Runtime
}

// Minimize searches p with method m under settings s and returns the last complete
// generation, the archive and the reason it stopped. A nil m means NSGA2{}; a nil s means
// zero Settings; o may be nil. NSGA2 needs v; Random and Exhaustive ignore it.
//
// The error is non-nil when the settings are invalid, the resume does not fit, or the run
// failed (status Failure: an evaluation or the recorder failed; the Result then holds the
// last complete generation). A cancelled ctx is not an error: the Result's status is
// Canceled. Minimize panics on programmer errors: a nil p, a nil v for NSGA2, a negative
// NSGA2.PopSize.
func Minimize[G any](ctx context.Context, p Problem[G], v Variation[G], m Method, s *Settings, o *Options[G]) (*Result[G], error) {
	if p == nil {
		panic("search: nil Problem")
	}
	if m == nil {
		m = NSGA2{}
	}
	if err := m.validate(); err != nil {
		return nil, err
	}
	enum, enumerable := p.(Enumerable[G])
	switch m.(type) {
	case NSGA2:
		if v == nil {
			panic("search: NSGA2 needs a Variation")
		}
	case Exhaustive:
		if !enumerable {
			return nil, ErrNotEnumerable
		}
	}
	if o == nil {
		o = &Options[G]{}
	}
	var set Settings
	if s != nil {
		set = *s
	}
	_, exhaustive := m.(Exhaustive)
	set, err := set.withDefaults(!exhaustive)
	if err != nil {
		return nil, err
	}
	r := &runner[G]{ctx: ctx, p: p, set: set, stop: set.criterion(), start: time.Now(),
		cache: newCache[G](sizeHint(m, set)), archive: newArchive[G](), rec: o.Recorder}
	r.state.Generation = -1
	if r.eval = o.Evaluator; r.eval == nil {
		r.eval = Pool[G]{Workers: set.Concurrent}
	}
	if o.Resume != nil {
		err = r.restore(o.Resume, !exhaustive)
	} else if b, ok := p.(Bounded); ok {
		r.state.Ideal, r.state.Nadir, err = checkBounds(b, p.NumObjectives())
	}
	if err != nil {
		return nil, err
	}
	if r.rec != nil {
		info := RunInfo{Method: m, Settings: set, Objectives: p.NumObjectives(),
			Resumed: o.Resume != nil, Generation: r.state.Generation}
		if err := r.rec.Init(info); err != nil {
			return r.result(Failure), fmt.Errorf("%w: %w", ErrRecorder, err)
		}
	}
	switch m := m.(type) {
	case NSGA2:
		return r.run(newNSGA2(r, v, m.withDefaults()))
	case Random:
		return r.run(randomSearch[G]{r, m.batch()})
	default:
		return r.runExhaustive(enum, m.(Exhaustive).chunk())
	}
}

// checkBounds returns copies of b's bounds if they have m objectives and the ideal is
// nowhere above the nadir.
func checkBounds(b Bounded, m int) (ideal, nadir []float64, err error) {
	ideal, nadir = b.Bounds()
	if len(ideal) != m || len(nadir) != m {
		return nil, nil, invalidSettings("Bounds of %d and %d objectives, want %d", len(ideal), len(nadir), m)
	}
	for j := range ideal {
		if !(ideal[j] <= nadir[j]) {
			return nil, nil, invalidSettings("Bounds: objective %d has ideal %v above nadir %v", j, ideal[j], nadir[j])
		}
	}
	return slices.Clone(ideal), slices.Clone(nadir), nil
}

// sizeHint returns about how many evaluations a run of m under s will make, to size its
// cache: budget permitting, NSGA2 and Random evaluate a population or batch per
// generation; Exhaustive caches nothing.
func sizeHint(m Method, s Settings) int {
	per := 0
	switch m := m.(type) {
	case NSGA2:
		per = m.withDefaults().PopSize
	case Random:
		per = m.batch()
	}
	hint := per * (s.Generations + 1)
	if per > 0 && s.Evaluations > 0 && (s.Generations == 0 || s.Evaluations < hint) {
		hint = s.Evaluations
	}
	return min(hint, 1<<20)
}
