package search

import (
	"context"
	"testing"
	"time"
)

func TestCriteria(t *testing.T) {
	stop, cancel := context.WithCancel(context.Background())
	cancel()
	p := &Progress{Generation: 10, Evaluations: 500, Elapsed: time.Minute, Hypervolumes: []float64{0.1, 0.5, 0.5, 0.5}}
	tests := []struct {
		name string
		c    Criterion
		want Status
	}{
		{"generations reached", MaxGenerations(10), GenerationLimit},
		{"generations to go", MaxGenerations(11), NotTerminated},
		{"evaluations reached", MaxEvaluations(500), EvaluationLimit},
		{"evaluations to go", MaxEvaluations(501), NotTerminated},
		{"runtime reached", MaxRuntime(time.Second), RuntimeLimit},
		{"runtime to go", MaxRuntime(time.Hour), NotTerminated},
		{"stalled", HypervolumeStall{Generations: 2, Tol: 0}, Stalled},
		{"improved within the window", HypervolumeStall{Generations: 3, Tol: 0}, NotTerminated},
		{"too young to stall", HypervolumeStall{Generations: 4, Tol: 1}, NotTerminated},
		{"stall disabled", HypervolumeStall{}, NotTerminated},
		{"canceled", CanceledBy(stop), Canceled},
		{"not canceled", CanceledBy(context.Background()), NotTerminated},
		{"any of: the first that stops", AnyOf(MaxGenerations(99), nil, MaxEvaluations(10), MaxGenerations(1)), EvaluationLimit},
		{"any of nothing", AnyOf(), NotTerminated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.Check(p); got != tt.want {
				t.Errorf("Check = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestStatus(t *testing.T) {
	for s := NotTerminated; s <= Failure; s++ {
		if name := s.String(); name == "" || name == "Status(?)" {
			t.Errorf("status %d has no name", s)
		}
	}
	if Status(99).String() != "Status(?)" {
		t.Error("an unknown status has a name")
	}
	for s, early := range map[Status]bool{GenerationLimit: false, EvaluationLimit: false, Complete: false, Stalled: true, Canceled: true, Failure: true} {
		if s.Early() != early {
			t.Errorf("%v.Early() = %v", s, !early)
		}
	}
}

func TestSettingsCriteria(t *testing.T) {
	s, err := Settings{}.withDefaults(true)
	if err != nil || s.Generations != DefaultGenerations || s.Concurrent < 1 {
		t.Errorf("defaults %+v, %v", s, err)
	}
	if s, _ := (Settings{}).withDefaults(false); s.Generations != 0 {
		t.Errorf("Exhaustive got a default generation limit %d", s.Generations)
	}
	if s, _ := (Settings{Runtime: time.Hour}).withDefaults(true); s.Generations != 0 {
		t.Errorf("a runtime budget still got the default generation limit %d", s.Generations)
	}
	s = Settings{Generations: 5, Evaluations: 100, Runtime: time.Hour}
	if got := s.criterion().Check(&Progress{Generation: 5, Evaluations: 100}); got != GenerationLimit {
		t.Errorf("generation and evaluation limits met: %v, want GenerationLimit first", got)
	}
	if got := s.remaining(40); got != 60 {
		t.Errorf("remaining = %d, want 60", got)
	}
}
