package search

import (
	"math"
	"runtime"
	"time"
)

// DefaultGenerations is the generation budget of NSGA2 and Random when Settings sets no
// budget and no Termination at all.
const DefaultGenerations = 50

// Settings are the parts of a run that decide its result, and so are worth saving with a
// checkpoint, plus Concurrent and Termination. The zero value is usable.
type Settings struct {
	// Seed seeds the run; generation g draws from a generator derived from (Seed, g).
	Seed uint64 `json:"seed"`
	// Generations stops the run once generation Generations is complete: generation 0
	// is the initial population, so NSGA-II breeds Generations times. If 0, no
	// generation limit applies, unless Evaluations, Runtime and Termination are unset
	// too, in which case DefaultGenerations is used (Exhaustive has no default limit).
	// For Exhaustive a generation is one chunk of the enumeration.
	Generations int `json:"generations,omitempty"`
	// Evaluations caps the number of unique evaluations; the last generation is cut
	// short so the cap is met exactly. If 0, there is no cap.
	Evaluations int `json:"evaluations,omitempty"`
	// Runtime stops the run at the first generation boundary after this much wall time
	// in this call to Minimize. If 0, there is no limit.
	Runtime time.Duration `json:"runtime,omitempty"`
	// Concurrent is the number of evaluation workers. It never changes the result.
	// If 0, runtime.GOMAXPROCS(0) is used.
	Concurrent int `json:"-"`
	// Termination adds criteria checked after every complete generation, for example
	// &HypervolumeStall{...} or CanceledBy(stop) for a graceful stop. May be nil.
	Termination Criterion `json:"-"`
}

// withDefaults checks the fields and returns a copy with defaults applied.
func (s Settings) withDefaults(defaultLimit bool) (Settings, error) {
	switch {
	case s.Generations < 0:
		return s, invalidSettings("Generations %d < 0", s.Generations)
	case s.Evaluations < 0:
		return s, invalidSettings("Evaluations %d < 0", s.Evaluations)
	case s.Runtime < 0:
		return s, invalidSettings("Runtime %v < 0", s.Runtime)
	case s.Concurrent < 0:
		return s, invalidSettings("Concurrent %d < 0", s.Concurrent)
	}
	s.Concurrent = orDefault(s.Concurrent, runtime.GOMAXPROCS(0))
	if defaultLimit && s.Generations == 0 && s.Evaluations == 0 && s.Runtime == 0 && s.Termination == nil {
		s.Generations = DefaultGenerations
	}
	return s, nil
}

// criterion returns the criteria the settings imply, in the order they are reported.
func (s Settings) criterion() Criterion {
	var cs []Criterion
	if s.Generations > 0 {
		cs = append(cs, MaxGenerations(s.Generations))
	}
	if s.Evaluations > 0 {
		cs = append(cs, MaxEvaluations(s.Evaluations))
	}
	if s.Runtime > 0 {
		cs = append(cs, MaxRuntime(s.Runtime))
	}
	if s.Termination != nil {
		cs = append(cs, s.Termination)
	}
	return AnyOf(cs...)
}

// remaining returns how many more unique evaluations the budget allows after done, or
// math.MaxInt without a budget.
func (s Settings) remaining(done int) int {
	if s.Evaluations == 0 {
		return math.MaxInt
	}
	return s.Evaluations - done
}

// Options are the parts of a run that are not settings. A nil *Options starts a fresh run
// without a recorder.
type Options[G any] struct {
	// Recorder, if not nil, is told about the run and every complete generation.
	Recorder Recorder[G]
	// Resume, if not nil, continues a run from its saved state instead of starting anew.
	Resume *Resume[G]
	// Evaluator, if not nil, evaluates the genomes; nil means a Pool of
	// Settings.Concurrent workers. Exhaustive always evaluates in this process.
	Evaluator Evaluator[G]
}
