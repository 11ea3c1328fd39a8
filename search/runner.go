package search

import (
	"context"
	"fmt"
	"math/rand"
	"slices"
	"time"
)

// stepper runs one generation of a method.
type stepper[G any] interface {
	// step breeds or samples generation gen from rng, making at most budget new
	// evaluations, and evaluates it.
	step(gen int, rng *rand.Rand, budget int) (generation[G], error)
}

// generation is what a step produced.
type generation[G any] struct {
	fresh     []Individual[G] // evaluated for the first time, in order of creation
	pop       []Individual[G] // the population (or batch) after the generation
	evals     []Eval          // the evaluations of fresh (the fallback bounds of generation 0)
	evaluated int             // genomes evaluated: len(fresh), or a chunk's size
	evalTime  time.Duration
	exhausted bool // nothing new could be found
}

// runner holds what every method shares: settings, cache, archive, state and statistics.
type runner[G any] struct {
	ctx     context.Context
	p       Problem[G]
	eval    Evaluator[G]
	set     Settings
	stop    Criterion
	rec     Recorder[G]
	start   time.Time
	cache   *cache[G]
	archive *archive[G]
	state   State[G]
	stats   Stats
	hv      float64
	hvAt    int // archive version hv was computed at
}

// run steps st until a criterion, the context or a failure stops it.
func (r *runner[G]) run(st stepper[G]) (*Result[G], error) {
	status := NotTerminated
	if r.state.Generation >= 0 {
		status = r.stop.Check(r.progress())
	}
	for status == NotTerminated {
		if r.ctx.Err() != nil {
			return r.result(Canceled), nil
		}
		gen := r.state.Generation + 1
		t0 := time.Now()
		out, err := st.step(gen, generationRNG(r.set.Seed, gen), r.set.remaining(r.state.Evaluations))
		if err != nil {
			if r.ctx.Err() != nil {
				return r.result(Canceled), nil
			}
			return r.result(Failure), err
		}
		if status, err = r.commit(gen, out, t0); err != nil {
			return r.result(Failure), err
		}
		if out.exhausted && status == NotTerminated {
			status = Complete
		}
	}
	return r.result(status), nil
}

// commit makes generation gen the run's state: it fills the cache and the archive,
// updates the statistics, calls the Recorder and checks the criteria.
func (r *runner[G]) commit(gen int, out generation[G], t0 time.Time) (Status, error) {
	for _, ind := range out.fresh {
		r.cache.put(ind)
		r.archive.add(ind)
	}
	r.state.Generation = gen
	r.state.Evaluations += out.evaluated
	r.state.Population = out.pop
	if r.state.Ideal == nil {
		r.state.Ideal, r.state.Nadir = r.bounds(out.evals)
	}
	if r.hvAt != r.archive.version {
		r.hv, r.hvAt = r.archive.hypervolume(r.state.Ideal, r.state.Nadir), r.archive.version
	}
	r.state.Hypervolumes = append(r.state.Hypervolumes, r.hv)
	book := time.Since(t0) - out.evalTime
	r.stats.Generations++
	r.stats.NewEvaluations += out.evaluated
	r.stats.EvalTime += out.evalTime
	r.stats.BookTime += book
	if r.rec != nil {
		rep := &Report[G]{Generation: gen, State: r.stateCopy(), Evaluated: out.fresh,
			Front: r.archive.front(), Feasible: r.archive.feasible(), Hypervolume: r.hv,
			Reference: NormalizedReferencePoint(len(r.state.Ideal)), Evaluations: r.state.Evaluations,
			NewEvaluations: r.stats.NewEvaluations, Elapsed: time.Since(r.start), EvalTime: out.evalTime, BookTime: book}
		rep.indexFront()
		if err := r.rec.Record(rep); err != nil {
			return Failure, fmt.Errorf("%w: %w", ErrRecorder, err)
		}
	}
	return r.stop.Check(r.progress()), nil
}

func (r *runner[G]) progress() *Progress {
	return &Progress{Generation: r.state.Generation, Evaluations: r.state.Evaluations,
		Elapsed: time.Since(r.start), Hypervolumes: r.state.Hypervolumes}
}

// stateCopy returns a copy of the state that later generations will not change.
func (r *runner[G]) stateCopy() State[G] {
	s := r.state
	s.Population = append([]Individual[G](nil), s.Population...)
	s.Hypervolumes = append([]float64(nil), s.Hypervolumes...)
	return s
}

func (r *runner[G]) result(status Status) *Result[G] {
	st := r.stats
	st.Evaluations = r.state.Evaluations
	st.Runtime = time.Since(r.start)
	st.EvalsPerSecond = evalsPerSecond(st.NewEvaluations, st.Runtime)
	hv := 0.0
	if n := len(r.state.Hypervolumes); n > 0 {
		hv = r.state.Hypervolumes[n-1]
	}
	return &Result[G]{Status: status, State: r.stateCopy(), Front: r.archive.front(),
		Feasible: r.archive.feasible(), Hypervolume: hv, Stats: st}
}

// bounds returns the range of the feasible evaluations among evals (of all of them when
// none is feasible): the fallback normalisation of problems that are not Bounded.
func (r *runner[G]) bounds(evals []Eval) (ideal, nadir []float64) {
	m := r.p.NumObjectives()
	ideal, nadir = make([]float64, m), make([]float64, m)
	anyFeasible := slices.ContainsFunc(evals, Eval.Feasible)
	first := true
	for _, e := range evals {
		if anyFeasible && !e.Feasible() {
			continue
		}
		for j, f := range e.Objectives {
			if first || f < ideal[j] {
				ideal[j] = f
			}
			if first || f > nadir[j] {
				nadir[j] = f
			}
		}
		first = false
	}
	return ideal, nadir
}
