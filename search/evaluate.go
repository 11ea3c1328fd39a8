package search

// Concurrency and shutdown order.
//
// Only the goroutine that called Minimize (the coordinator) samples, varies, selects,
// updates the cache and the archive and calls the Recorder. For each generation it hands
// the genomes to evaluate to parallel.For, which
//
//  1. derives a child context from the run's context;
//  2. starts min(Settings.Concurrent, n) workers; each claims the next index from an
//     atomic counter and writes result i only, so there are no channels to close and the
//     results do not depend on scheduling;
//  3. lets a failing worker record its error and cancel the child context, after which
//     every worker stops at its next claim;
//  4. waits for all workers before it returns, then cancels the child context, so no
//     worker outlives its generation.
//
// Cancelling the run's context therefore interrupts the generation in progress: its
// partial results are discarded, the cache, archive and State are left as the last
// complete generation made them, and Minimize returns that generation with status
// Canceled. The CanceledBy criterion is the graceful stop: it is checked at the boundary,
// after the generation in progress has finished and been recorded. Exhaustive adds one
// producer goroutine that enumerates ahead of the coordinator; exhaustive.go describes
// how it is shut down.

import (
	"context"
	"fmt"
	"math/rand"
	"time"

	"github.com/zeronas/zeronas/internal/parallel"
)

// Evaluator evaluates the genomes a generation needs. The search hands it each batch of
// genomes new to the run and never learns how or where they were evaluated: Pool evaluates
// in this process; other implementations may send the work to other machines. Because
// evaluation is a pure function of the genome, the choice never changes a run's result.
type Evaluator[G any] interface {
	// Evaluate returns evals[i], p's evaluation of genomes[i], whose key is keys[i]. An
	// evaluation that failed is reported as an *EvalError naming its key. It should return
	// promptly with ctx.Err() once ctx is done.
	Evaluate(ctx context.Context, p Problem[G], genomes []G, keys []string) ([]Eval, error)
}

// Pool is the Evaluator of this process: Workers goroutines (at least one) call
// Problem.Evaluate. It is the default when Options.Evaluator is nil, with
// Settings.Concurrent workers.
type Pool[G any] struct {
	Workers int
}

// Evaluate implements Evaluator. Each goroutine writes only the results of the indices it
// claims, so the results do not depend on scheduling.
func (pl Pool[G]) Evaluate(ctx context.Context, p Problem[G], genomes []G, keys []string) ([]Eval, error) {
	evals := make([]Eval, len(genomes))
	err := parallel.For(ctx, len(genomes), pl.Workers, func(_, i int) error {
		e, err := p.Evaluate(ctx, genomes[i])
		if err != nil {
			return &EvalError{Key: keys[i], Err: err}
		}
		evals[i] = e
		return nil
	})
	return evals, err
}

// evaluate evaluates genomes[i], whose key is keys[i], into evals[i] with ev, and checks
// every evaluation, whichever Evaluator made it.
func evaluate[G any](ctx context.Context, ev Evaluator[G], p Problem[G], genomes []G, keys []string) ([]Eval, error) {
	evals, err := ev.Evaluate(ctx, p, genomes, keys)
	if err != nil {
		return nil, err
	}
	if len(evals) != len(genomes) {
		return nil, fmt.Errorf("%w: evaluator returned %d evaluations for %d genomes", ErrInvalidEval, len(evals), len(genomes))
	}
	m := p.NumObjectives()
	for i, e := range evals {
		if err := e.check(m); err != nil {
			return nil, &EvalError{Key: keys[i], Err: err}
		}
	}
	return evals, nil
}

// cache holds every individual evaluated in a run, by key, in the order they came.
type cache[G any] struct {
	index map[string]int32
	inds  []Individual[G]
}

func newCache[G any](hint int) *cache[G] {
	return &cache[G]{index: make(map[string]int32, hint), inds: make([]Individual[G], 0, hint)}
}

func (c *cache[G]) has(key string) bool {
	_, ok := c.index[key]
	return ok
}

func (c *cache[G]) get(key string) (Individual[G], bool) {
	i, ok := c.index[key]
	if !ok {
		return Individual[G]{}, false
	}
	return c.inds[i], true
}

// put adds ind unless its key is known.
func (c *cache[G]) put(ind Individual[G]) {
	if !c.has(ind.Key) {
		c.index[ind.Key] = int32(len(c.inds))
		c.inds = append(c.inds, ind)
	}
}

func (c *cache[G]) len() int { return len(c.inds) }

// resolve returns the individuals of genomes (whose keys are keys and parents parents):
// from the cache when known, else evaluated in parallel, each distinct key once. fresh
// lists the evaluated ones in order.
func (r *runner[G]) resolve(gen int, genomes []G, keys []string, parents [][]string) (all, fresh []Individual[G], d time.Duration, err error) {
	all = make([]Individual[G], len(genomes))
	first := make(map[string]int, len(keys))
	var todo []int
	for i, k := range keys {
		if ind, ok := r.cache.get(k); ok {
			all[i] = ind
		} else if _, ok := first[k]; !ok {
			first[k] = i
			todo = append(todo, i)
		}
	}
	gs, ks := make([]G, len(todo)), make([]string, len(todo))
	for j, i := range todo {
		gs[j], ks[j] = genomes[i], keys[i]
	}
	t0 := time.Now()
	evals, err := evaluate(r.ctx, r.eval, r.p, gs, ks)
	d = time.Since(t0)
	if err != nil {
		return nil, nil, d, err
	}
	fresh = make([]Individual[G], len(todo))
	for j, i := range todo {
		fresh[j] = Individual[G]{Genome: genomes[i], Key: keys[i], Eval: evals[j], Generation: gen}
		if parents != nil {
			fresh[j].Parents = parents[i]
		}
		all[i] = fresh[j]
	}
	for i, k := range keys {
		if j, ok := first[k]; ok && j != i {
			all[i] = all[j]
		}
	}
	return all, fresh, d, nil
}

// sample draws up to n genomes whose keys are new to the run and to each other, giving up
// after 100n draws, and evaluates them.
func (r *runner[G]) sample(gen, n int, rng *rand.Rand) (generation[G], error) {
	seen := map[string]bool{}
	var genomes []G
	var keys []string
	for draws := 0; len(genomes) < n && draws < 100*n; draws++ {
		g := r.p.Sample(rng)
		k := r.p.Key(g)
		if r.cache.has(k) || seen[k] {
			continue
		}
		seen[k] = true
		genomes, keys = append(genomes, g), append(keys, k)
	}
	all, fresh, d, err := r.resolve(gen, genomes, keys, nil)
	return generation[G]{fresh: fresh, pop: all, evals: evalsOf(fresh), evaluated: len(fresh),
		evalTime: d, exhausted: len(genomes) == 0}, err
}

func evalsOf[G any](inds []Individual[G]) []Eval {
	evals := make([]Eval, len(inds))
	for i, ind := range inds {
		evals[i] = ind.Eval
	}
	return evals
}
