package search

import (
	"context"
	"fmt"
	"math"
	"math/rand"
)

// Problem is what a search minimises. Every objective is minimised: the caller maps an
// objective to maximise onto minimisation (for example by negating it) in one place.
type Problem[G any] interface {
	// NumObjectives returns the length of every Eval.Objectives.
	NumObjectives() int
	// Sample returns a valid random genome drawn from rng only.
	Sample(rng *rand.Rand) G
	// Key returns the canonical identity of g, never empty: two genomes with the same key
	// are the same solution. It keys the evaluation cache, duplicate elimination and the
	// archive. It must be safe for concurrent use.
	Key(g G) string
	// Evaluate returns the objectives and constraint violation of g. It must be a pure
	// function of g and safe for concurrent use; it should return promptly with ctx.Err()
	// once ctx is done.
	Evaluate(ctx context.Context, g G) (Eval, error)
}

// Bounded is implemented by problems that know the ideal and nadir points of their Pareto
// front. The hypervolume reported per generation normalises objectives by them; see
// State.Ideal for the fallback.
type Bounded interface {
	Bounds() (ideal, nadir []float64)
}

// Enumerable is implemented by problems whose whole space can be listed, which the
// Exhaustive method requires.
type Enumerable[G any] interface {
	// Enumerate calls yield with every genome once, in a fixed order, until yield returns
	// false or ctx is done. The search keeps the genomes it is given: an enumerator that
	// reuses a genome's storage must pass a copy.
	Enumerate(ctx context.Context, yield func(G) bool) error
	// Size returns the number of genomes Enumerate yields, or -1 if unknown.
	Size() int64
}

// Variation creates offspring for NSGA-II. Both methods must return new genomes and leave
// their arguments unchanged, and must draw randomness from rng only.
type Variation[G any] interface {
	Crossover(a, b G, rng *rand.Rand) (G, G)
	Mutate(g G, rng *rand.Rand) G
}

// Eval is the outcome of evaluating a genome.
type Eval struct {
	// Objectives are the values to minimise, all finite.
	Objectives []float64 `json:"objectives"`
	// Violation is the amount of constraint violation: 0 when feasible, > 0 otherwise.
	Violation float64 `json:"violation"`
}

// Feasible reports whether e violates no constraint.
func (e Eval) Feasible() bool { return e.Violation == 0 }

// check reports why e is not a valid evaluation of m objectives, or nil.
func (e Eval) check(m int) error {
	if len(e.Objectives) != m {
		return fmt.Errorf("%w: %d objectives, want %d", ErrInvalidEval, len(e.Objectives), m)
	}
	for i, f := range e.Objectives {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("%w: objective %d is %v", ErrInvalidEval, i, f)
		}
	}
	if !(e.Violation >= 0) || math.IsInf(e.Violation, 0) {
		return fmt.Errorf("%w: violation %v", ErrInvalidEval, e.Violation)
	}
	return nil
}

// Individual is an evaluated genome. It is plain data: JSON-serialisable when G is. Its
// Objectives slice may be shared with other copies and must not be modified.
type Individual[G any] struct {
	Genome G      `json:"genome"`
	Key    string `json:"key"`
	Eval
	// Generation is the generation in which the genome was first evaluated.
	Generation int `json:"generation"`
	// Parents are the keys of the individuals it was bred from (none when sampled).
	Parents []string `json:"parents,omitempty"`
}

// State is a complete generation: with the individuals evaluated so far it is enough to
// continue a run exactly. Ranks and crowding distances are recomputed, never stored.
type State[G any] struct {
	// Generation is the number of the last complete generation (0 is the first).
	Generation int `json:"generation"`
	// Evaluations is the number of unique genomes evaluated (for Exhaustive: enumerated).
	Evaluations int `json:"evaluations"`
	// Population is NSGA-II's population, Random's last batch, or empty for Exhaustive.
	Population []Individual[G] `json:"population"`
	// Ideal and Nadir normalise the objectives for the reported hypervolume: the
	// problem's Bounds when it is Bounded, otherwise the minimum and maximum of each
	// objective over the feasible individuals of generation 0 (all of them when none is
	// feasible); an objective with no spread is given a range of 1.
	Ideal []float64 `json:"ideal"`
	Nadir []float64 `json:"nadir"`
	// Hypervolumes[g] is the archive's normalised hypervolume after generation g.
	Hypervolumes []float64 `json:"hypervolumes"`
}

// Resume is what a run continues from: its last State and every individual evaluated
// before, which warm the evaluation cache and rebuild the archive. Exhaustive needs only
// the individuals of its last front in Evaluated.
type Resume[G any] struct {
	State     State[G]        `json:"state"`
	Evaluated []Individual[G] `json:"evaluated"`
}
