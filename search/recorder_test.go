package search_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/zeronas/zeronas/search"
	"github.com/zeronas/zeronas/search/testproblems"
)

// reports is a Recorder that keeps every RunInfo and Report, and can fail or cancel
// after a given generation.
type reports[G any] struct {
	infos  []search.RunInfo
	all    []*search.Report[G]
	failAt int // generation whose Record fails, if > 0
	onGen  func(gen int)
}

func (r *reports[G]) Init(info search.RunInfo) error {
	r.infos = append(r.infos, info)
	return nil
}

func (r *reports[G]) Record(rep *search.Report[G]) error {
	r.all = append(r.all, rep)
	if r.onGen != nil {
		r.onGen(rep.Generation)
	}
	if r.failAt > 0 && rep.Generation == r.failAt {
		return errBoom
	}
	return nil
}

// testRecorder runs a short search into rec and checks that the reports add up.
func testRecorder(t *testing.T, rec search.Recorder[cell], got func() []*search.Report[cell]) {
	t.Helper()
	g := &grid{W: 30, H: 20, Limit: 35}
	res, err := search.Minimize(context.Background(), g, g, search.NSGA2{PopSize: 10}, &search.Settings{Generations: 6},
		&search.Options[cell]{Recorder: rec})
	if err != nil {
		t.Fatal(err)
	}
	reps := got()
	if len(reps) != 7 {
		t.Fatalf("%d reports for generations 0 to 6", len(reps))
	}
	seen := map[string]bool{}
	for i, r := range reps {
		if r.Generation != i || r.State.Generation != i || r.Evaluations != r.State.Evaluations {
			t.Errorf("report %d: generation %d, state %d", i, r.Generation, r.State.Generation)
		}
		for _, ind := range r.Evaluated {
			if seen[ind.Key] || ind.Generation != i {
				t.Errorf("report %d: %s reported again or from generation %d", i, ind.Key, ind.Generation)
			}
			if n := len(ind.Parents); i == 0 && n != 0 || i > 0 && (n < 1 || n > 2) {
				t.Errorf("report %d: %s has parents %v", i, ind.Key, ind.Parents)
			}
			for _, p := range ind.Parents {
				if !seen[p] {
					t.Errorf("report %d: parent %s of %s was not evaluated before", i, p, ind.Key)
				}
			}
		}
		for _, ind := range r.Evaluated {
			seen[ind.Key] = true
		}
		if len(seen) != r.Evaluations {
			t.Errorf("report %d: %d evaluated so far, %d counted", i, len(seen), r.Evaluations)
		}
		if i > 0 && len(r.State.Population) != 10 {
			t.Errorf("report %d: population of %d", i, len(r.State.Population))
		}
	}
	if last := reps[len(reps)-1]; !reflect.DeepEqual(last.State, res.State) || !reflect.DeepEqual(last.Front, res.Front) {
		t.Error("the last report differs from the result")
	}
}

func TestRecorderContract(t *testing.T) {
	t.Run("reports", func(t *testing.T) {
		r := &reports[cell]{}
		testRecorder(t, r, func() []*search.Report[cell] { return r.all })
	})
	t.Run("Recorders", func(t *testing.T) {
		a, b := &reports[cell]{}, &reports[cell]{}
		testRecorder(t, search.Recorders[cell](a, b), func() []*search.Report[cell] {
			if !reflect.DeepEqual(a.all, b.all) {
				t.Error("the two recorders were told different things")
			}
			return a.all
		})
	})
	t.Run("Memory", func(t *testing.T) {
		m := &search.Memory[cell]{}
		r := &reports[cell]{}
		testRecorder(t, search.Recorders[cell](m, r), func() []*search.Report[cell] {
			var evaluated []search.Individual[cell]
			for _, rep := range r.all {
				evaluated = append(evaluated, rep.Evaluated...)
			}
			if !reflect.DeepEqual(m.Evaluated, evaluated) || !reflect.DeepEqual(*m.State, r.all[len(r.all)-1].State) {
				t.Error("Memory did not keep what was reported")
			}
			return r.all
		})
	})
}

func TestRecorderFailureEndsTheRun(t *testing.T) {
	g := &grid{W: 30, H: 20}
	rec := &reports[cell]{failAt: 3}
	res, err := search.Minimize(context.Background(), g, g, search.NSGA2{PopSize: 10}, &search.Settings{Generations: 10},
		&search.Options[cell]{Recorder: rec})
	if !errors.Is(err, search.ErrRecorder) || !errors.Is(err, errBoom) {
		t.Errorf("err = %v, want ErrRecorder wrapping boom", err)
	}
	if res == nil || res.Status != search.Failure || res.State.Generation != 3 {
		t.Errorf("result %+v, want Failure at generation 3", res)
	}
}

func TestEvaluationFailureEndsTheRun(t *testing.T) {
	g := &grid{W: 30, H: 20, Fail: &cell{3, 4}}
	for _, m := range []search.Method{search.Random{BatchSize: 50}, search.Exhaustive{ChunkSize: 50}} {
		t.Run(m.String(), func(t *testing.T) {
			res, err := search.Minimize(context.Background(), g, g, m, &search.Settings{Generations: 100, Concurrent: 4}, nil)
			var ee *search.EvalError
			if !errors.As(err, &ee) || ee.Key != "3,4" || !errors.Is(err, errBoom) {
				t.Errorf("err = %v, want an EvalError for 3,4 wrapping boom", err)
			}
			if res == nil || res.Status != search.Failure {
				t.Errorf("result %+v, want Failure", res)
			}
		})
	}
}

// nanProblem is ZDT1 whose second objective is NaN.
type nanProblem struct{ testproblems.ZDT }

func (p nanProblem) Evaluate(ctx context.Context, x []float64) (search.Eval, error) {
	e, err := p.ZDT.Evaluate(ctx, x)
	e.Objectives[1] = e.Objectives[1] * 0 / 0
	return e, err
}

func TestInvalidEvaluation(t *testing.T) {
	p := nanProblem{testproblems.ZDT1()}
	_, err := search.Minimize(context.Background(), p, nil, search.Random{}, nil, nil)
	if !errors.Is(err, search.ErrInvalidEval) {
		t.Errorf("err = %v, want ErrInvalidEval", err)
	}
}

func TestCancel(t *testing.T) {
	t.Run("context, between generations", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		g, rec := &grid{W: 30, H: 20}, cancelAt(3, cancel)
		res, err := search.Minimize(ctx, g, g, search.NSGA2{PopSize: 10}, &search.Settings{Generations: 10}, &search.Options[cell]{Recorder: rec})
		if err != nil || res.Status != search.Canceled || res.State.Generation != 3 || len(rec.all) != 4 {
			t.Errorf("err %v, status %v at generation %d after %d reports; want Canceled at 3 after 4", err, res.Status, res.State.Generation, len(rec.all))
		}
	})
	t.Run("context, during a generation", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		g := &cancelling{grid: grid{W: 30, H: 20}, after: 25, cancel: cancel}
		rec := &reports[cell]{}
		res, err := search.Minimize(ctx, g, g, search.NSGA2{PopSize: 10}, &search.Settings{Generations: 10}, &search.Options[cell]{Recorder: rec})
		last := rec.all[len(rec.all)-1]
		if err != nil || res.Status != search.Canceled || !reflect.DeepEqual(res.State, last.State) || res.Evaluations != last.Evaluations {
			t.Errorf("err %v, status %v at generation %d; want Canceled with the last recorded state (%d)", err, res.Status, res.State.Generation, last.Generation)
		}
	})
	t.Run("CanceledBy lets the generation finish", func(t *testing.T) {
		stop, cancel := context.WithCancel(context.Background())
		defer cancel()
		g, rec := &grid{W: 30, H: 20}, cancelAt(2, cancel)
		s := search.Settings{Generations: 10, Termination: search.CanceledBy(stop)}
		res, err := search.Minimize(context.Background(), g, g, search.NSGA2{PopSize: 10}, &s, &search.Options[cell]{Recorder: rec})
		if err != nil || res.Status != search.Canceled || res.State.Generation != 2 {
			t.Errorf("err %v, status %v at generation %d; want Canceled at 2", err, res.Status, res.State.Generation)
		}
	})
}

// cancelAt returns a recorder that calls cancel once generation gen is recorded.
func cancelAt(gen int, cancel context.CancelFunc) *reports[cell] {
	return &reports[cell]{onGen: func(g int) {
		if g == gen {
			cancel()
		}
	}}
}

// cancelling is a grid that cancels the run's context at its after-th evaluation.
type cancelling struct {
	grid
	after  int64
	cancel context.CancelFunc
}

func (c *cancelling) Evaluate(ctx context.Context, x cell) (search.Eval, error) {
	if c.calls.Load() == c.after {
		c.cancel()
	}
	return c.grid.Evaluate(ctx, x)
}

func TestProgrammerErrorsPanic(t *testing.T) {
	g := &grid{W: 3, H: 3}
	tests := []struct {
		name string
		f    func()
	}{
		{"nil problem", func() { _, _ = search.Minimize[cell](context.Background(), nil, g, nil, nil, nil) }},
		{"nil variation", func() { _, _ = search.Minimize[cell](context.Background(), g, nil, search.NSGA2{}, nil, nil) }},
		{"negative population", func() { _, _ = search.Minimize[cell](context.Background(), g, g, search.NSGA2{PopSize: -1}, nil, nil) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			tt.f()
		})
	}
}

func TestInvalidSettings(t *testing.T) {
	g := &grid{W: 3, H: 3}
	tests := []struct {
		name string
		m    search.Method
		s    search.Settings
	}{
		{"negative generations", nil, search.Settings{Generations: -1}},
		{"negative evaluations", nil, search.Settings{Evaluations: -1}},
		{"negative concurrency", nil, search.Settings{Concurrent: -2}},
		{"population of one", search.NSGA2{PopSize: 1}, search.Settings{}},
		{"crossover probability above 1", search.NSGA2{CrossoverProb: 1.5}, search.Settings{}},
		{"unknown tournament", search.NSGA2{Tournament: 7}, search.Settings{}},
		{"negative batch", search.Random{BatchSize: -1}, search.Settings{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := search.Minimize(context.Background(), g, g, tt.m, &tt.s, nil); !errors.Is(err, search.ErrInvalidSettings) {
				t.Errorf("err = %v, want ErrInvalidSettings", err)
			}
		})
	}
}
