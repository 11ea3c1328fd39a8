// Package nas poses architecture search as a search.Problem: genomes are space.Arch, keyed by
// their canonical ID, evaluated by an objectives.Set, varied by the space's own operators.
package nas

import (
	"context"
	"errors"
	"math"
	"math/rand"

	"github.com/zeronas/zeronas/objectives"
	"github.com/zeronas/zeronas/search"
	"github.com/zeronas/zeronas/search/exact"
	"github.com/zeronas/zeronas/space"
)

// Problem is a space searched for the objectives and budgets of a Set. It implements
// search.Problem, search.Enumerable and search.Variation for space.Arch.
type Problem struct {
	Space *space.Space
	Set   *objectives.Set
}

var (
	_ search.Problem[space.Arch]    = (*Problem)(nil)
	_ search.Enumerable[space.Arch] = (*Problem)(nil)
	_ search.Variation[space.Arch]  = (*Problem)(nil)
)

// NumObjectives returns the number of objectives.
func (p *Problem) NumObjectives() int { return len(p.Set.Objectives) }

// Sample draws an architecture with a uniform depth, so that shallow architectures, a
// vanishing share of a space, are represented in a first population.
func (p *Problem) Sample(rng *rand.Rand) space.Arch { return p.Space.SampleByDepth(rng) }

// Key returns the architecture's canonical ID.
func (p *Problem) Key(a space.Arch) string { return a.ID() }

// Evaluate returns the objectives (maximised ones negated) and the budget violation of a.
func (p *Problem) Evaluate(ctx context.Context, a space.Arch) (search.Eval, error) {
	if err := ctx.Err(); err != nil {
		return search.Eval{}, err
	}
	return search.Eval{Objectives: p.Set.Minimised(p.Set.Values(a)), Violation: p.Set.Violation(a)}, nil
}

// Enumerate yields every architecture of the space, each a copy the search may keep.
func (p *Problem) Enumerate(ctx context.Context, yield func(space.Arch) bool) error {
	return p.Space.Enumerate(ctx, func(a space.Arch) bool {
		// Layers are copied; their feed-forward slices come from the space's immutable
		// choices and are shared.
		return yield(space.Arch{Layers: append([]space.Layer(nil), a.Layers...)})
	})
}

// Size returns the number of architectures, or -1 when it exceeds an int64.
func (p *Problem) Size() int64 {
	n := p.Space.Count()
	if !n.IsInt64() {
		return -1
	}
	return n.Int64()
}

// Crossover returns two children of a and b that stay in the space.
func (p *Problem) Crossover(a, b space.Arch, rng *rand.Rand) (space.Arch, space.Arch) {
	return p.Space.Crossover(a, b, rng)
}

// Mutate returns a mutated copy of a that stays in the space.
func (p *Problem) Mutate(a space.Arch, rng *rand.Rand) space.Arch { return p.Space.Mutate(a, rng) }

// Bounded is a Problem that knows the ideal and nadir points of its exact front.
type Bounded struct {
	*Problem
	ideal, nadir []float64
}

// Bounds returns the ideal and nadir points, minimised.
func (b *Bounded) Bounds() (ideal, nadir []float64) { return b.ideal, b.nadir }

// WithBounds returns p with the bounds of its exact front when every objective and budget
// splits into per-layer terms, so that hypervolumes of every strategy and run are normalised
// alike; otherwise (an objective that does not split, budgets nothing meets) p itself, and
// the search falls back to its own normalisation. Any other failure of the exact programme,
// cancellation included, is returned.
func WithBounds(ctx context.Context, p *Problem) (search.Problem[space.Arch], *exact.Front, error) {
	f, err := exact.Solve(ctx, ExactProblem(p), exact.Options{})
	switch {
	case errors.Is(err, exact.ErrNotDecomposable), errors.Is(err, exact.ErrInfeasible):
		return p, nil, nil
	case err != nil:
		return nil, nil, err
	}
	ideal, nadir := FrontBounds(p.Set, f)
	return &Bounded{Problem: p, ideal: ideal, nadir: nadir}, f, nil
}

// FrontBounds returns the ideal and nadir points of an exact front, minimised: the
// normalisation of every hypervolume of the problem.
func FrontBounds(set *objectives.Set, f *exact.Front) (ideal, nadir []float64) {
	m := len(set.Objectives)
	ideal, nadir = make([]float64, m), make([]float64, m)
	for i := range ideal {
		ideal[i], nadir[i] = math.Inf(1), math.Inf(-1)
	}
	for _, pt := range f.Points {
		v := set.Minimised(pt.Values)
		for i := range v {
			ideal[i], nadir[i] = math.Min(ideal[i], v[i]), math.Max(nadir[i], v[i])
		}
	}
	return ideal, nadir
}

// ExactProblem returns p for the exact dynamic programme, its budgets as per-layer terms.
func ExactProblem(p *Problem) exact.Problem {
	ep := exact.Problem{Space: p.Space, Objectives: p.Set.Objectives}
	if p.Set.MaxParams > 0 {
		t, _ := objectives.NewParams().Terms()
		ep.Budgets = append(ep.Budgets, exact.Budget{Name: "params", Terms: t, Max: p.Set.MaxParams})
	}
	if p.Set.MaxLatencyMS > 0 {
		ep.Budgets = append(ep.Budgets, exact.Budget{Name: "latency", Terms: p.Set.Latency, Max: p.Set.MaxLatencyMS})
	}
	return ep
}
