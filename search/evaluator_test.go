package search_test

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/zeronas/zeronas/search"
	"github.com/zeronas/zeronas/search/testproblems"
)

// reversed is an Evaluator that evaluates each batch backwards, one genome at a time, and
// counts the genomes it was given: a stand-in for an evaluator in another process.
type reversed[G any] struct {
	n    int
	keys []string
}

func (r *reversed[G]) Evaluate(ctx context.Context, p search.Problem[G], gs []G, keys []string) ([]search.Eval, error) {
	evals := make([]search.Eval, len(gs))
	for i := len(gs) - 1; i >= 0; i-- {
		e, err := p.Evaluate(ctx, gs[i])
		if err != nil {
			return nil, &search.EvalError{Key: keys[i], Err: err}
		}
		evals[i] = e
	}
	r.n += len(gs)
	r.keys = append(r.keys, keys...)
	return evals, nil
}

func TestEvaluatorDoesNotChangeTheRun(t *testing.T) {
	p := testproblems.ZDT1()
	for _, m := range []search.Method{search.NSGA2{PopSize: 20}, search.Random{BatchSize: 20}} {
		s := search.Settings{Seed: 5, Generations: 12}
		ref, _ := run(t, p, search.Variation[[]float64](p.Variation()), m, s, nil)
		ev := &reversed[[]float64]{}
		got, err := search.Minimize(context.Background(), p, p.Variation(), m, &s, &search.Options[[]float64]{Evaluator: ev})
		if err != nil {
			t.Fatal(err)
		}
		sameRun(t, ref, got)
		if ev.n != got.Evaluations {
			t.Errorf("%v: the evaluator saw %d genomes, the run counts %d evaluations", m, ev.n, got.Evaluations)
		}
		sorted := slices.Clone(ev.keys)
		slices.Sort(sorted)
		if len(slices.Compact(sorted)) != len(ev.keys) {
			t.Errorf("%v: a genome was sent to the evaluator twice", m)
		}
	}
}

// lying returns what it is told to, whatever the genomes.
type lying struct{ evals []search.Eval }

func (l lying) Evaluate(_ context.Context, _ search.Problem[[]float64], _ [][]float64, _ []string) ([]search.Eval, error) {
	return l.evals, nil
}

func TestEvaluatorOutputIsChecked(t *testing.T) {
	p := testproblems.ZDT1()
	for name, evals := range map[string][]search.Eval{
		"too few":   {},
		"nan":       slices.Repeat([]search.Eval{{Objectives: []float64{math.NaN(), 1}}}, 20),
		"negative":  slices.Repeat([]search.Eval{{Objectives: []float64{1, 1}, Violation: -1}}, 20),
		"one short": slices.Repeat([]search.Eval{{Objectives: []float64{1}}}, 20),
	} {
		s := search.Settings{Seed: 1, Generations: 2}
		_, err := search.Minimize(context.Background(), p, p.Variation(), search.NSGA2{PopSize: 20}, &s,
			&search.Options[[]float64]{Evaluator: lying{evals}})
		if !errors.Is(err, search.ErrInvalidEval) {
			t.Errorf("%s: err %v, want ErrInvalidEval", name, err)
		}
	}
}
