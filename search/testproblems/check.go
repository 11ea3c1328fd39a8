package testproblems

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"reflect"
	"sync"

	"github.com/zeronas/zeronas/search"
)

// Check returns an error describing how p (and v, if not nil) breaks the contract of
// search.Problem and search.Variation, or nil: keys are non-empty and deterministic,
// sampling is a function of the generator, evaluations are valid, pure and the same when
// made concurrently, Bounds (if any) fit, variation leaves its arguments unchanged and
// yields valid genomes, and a small Enumerable (at most 10,000 genomes) enumerates Size
// distinct genomes. Like testing/fstest.TestFS it lets any package test its own problems.
func Check[G any](ctx context.Context, p search.Problem[G], v search.Variation[G], seed uint64) error {
	m := p.NumObjectives()
	if m < 1 {
		return fmt.Errorf("NumObjectives %d < 1", m)
	}
	rng, twin := rand.New(rand.NewSource(int64(seed))), rand.New(rand.NewSource(int64(seed)))
	const samples = 16
	genomes := make([]G, samples)
	for i := range genomes {
		genomes[i] = p.Sample(rng)
		if k, k2 := p.Key(genomes[i]), p.Key(p.Sample(twin)); k == "" || k != k2 {
			return fmt.Errorf("sample %d: keys %q and %q from equal generators, want equal and non-empty", i, k, k2)
		}
	}
	if v != nil {
		for i := 0; i+1 < samples; i += 2 {
			a, b := genomes[i], genomes[i+1]
			ka, kb := p.Key(a), p.Key(b)
			c, d := v.Crossover(a, b, rng)
			e := v.Mutate(a, rng)
			if p.Key(a) != ka || p.Key(b) != kb {
				return errors.New("variation modified its arguments")
			}
			genomes = append(genomes, c, d, e)
		}
	}
	evals, err := evalAll(ctx, p, genomes)
	if err != nil {
		return err
	}
	var wg sync.WaitGroup
	again := make([]search.Eval, len(genomes))
	errs := make([]error, len(genomes))
	for i, g := range genomes {
		wg.Go(func() { again[i], errs[i] = p.Evaluate(ctx, g) })
	}
	wg.Wait()
	for i := range genomes {
		if errs[i] != nil || !reflect.DeepEqual(evals[i], again[i]) {
			return fmt.Errorf("genome %s: evaluations differ when repeated concurrently: %v then %v (%v)", p.Key(genomes[i]), evals[i], again[i], errs[i])
		}
	}
	if b, ok := p.(search.Bounded); ok {
		ideal, nadir := b.Bounds()
		if len(ideal) != m || len(nadir) != m {
			return fmt.Errorf("Bounds of lengths %d and %d, want %d", len(ideal), len(nadir), m)
		}
		for j := range ideal {
			if !(ideal[j] <= nadir[j]) {
				return fmt.Errorf("Bounds: objective %d ideal %v above nadir %v", j, ideal[j], nadir[j])
			}
		}
	}
	if e, ok := p.(search.Enumerable[G]); ok && e.Size() >= 0 && e.Size() <= 10000 {
		return checkEnumeration(ctx, p, e)
	}
	return nil
}

// evalAll evaluates genomes serially and checks each evaluation.
func evalAll[G any](ctx context.Context, p search.Problem[G], genomes []G) ([]search.Eval, error) {
	evals := make([]search.Eval, len(genomes))
	for i, g := range genomes {
		e, err := p.Evaluate(ctx, g)
		if err != nil {
			return nil, fmt.Errorf("genome %s: %w", p.Key(g), err)
		}
		if len(e.Objectives) != p.NumObjectives() || !(e.Violation >= 0) {
			return nil, fmt.Errorf("genome %s: invalid evaluation %+v", p.Key(g), e)
		}
		if again, _ := p.Evaluate(ctx, g); !reflect.DeepEqual(e, again) {
			return nil, fmt.Errorf("genome %s: evaluation not pure: %v then %v", p.Key(g), e, again)
		}
		evals[i] = e
	}
	return evals, nil
}

// checkEnumeration checks that e yields Size distinct, evaluable genomes.
func checkEnumeration[G any](ctx context.Context, p search.Problem[G], e search.Enumerable[G]) error {
	seen := map[string]bool{}
	var all []G
	err := e.Enumerate(ctx, func(g G) bool {
		seen[p.Key(g)] = true
		all = append(all, g)
		return true
	})
	if err != nil {
		return fmt.Errorf("Enumerate: %w", err)
	}
	if int64(len(all)) != e.Size() || len(seen) != len(all) {
		return fmt.Errorf("Enumerate yielded %d genomes, %d distinct, Size %d", len(all), len(seen), e.Size())
	}
	for _, g := range all { // kept genomes must not have been overwritten
		delete(seen, p.Key(g))
	}
	if len(seen) != 0 {
		return errors.New("Enumerate reuses the storage of the genomes it yields")
	}
	_, err = evalAll(ctx, p, all)
	return err
}
