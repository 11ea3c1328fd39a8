package search

import (
	"slices"
	"time"
)

// Recorder receives a run's progress, as gonum's optimize.Recorder does: checkpoints,
// tables, progress lines and logs live in Recorders outside this package. A Recorder error
// ends the run with status Failure and that error (wrapped with ErrRecorder).
type Recorder[G any] interface {
	// Init is called once before the first generation of this call to Minimize.
	Init(info RunInfo) error
	// Record is called after every complete generation. The Report and its slices are
	// the Recorder's to keep, but the individuals' Objectives must not be modified.
	Record(r *Report[G]) error
}

// RunInfo describes a run to its Recorder.
type RunInfo struct {
	Method     Method
	Settings   Settings // with defaults applied
	Objectives int
	// Resumed is true when the run continues from a Resume whose last complete
	// generation is Generation; Generation is -1 for a fresh run.
	Resumed    bool
	Generation int
}

// Report is what a Recorder receives after each complete generation.
type Report[G any] struct {
	// Generation is the number of the generation just completed.
	Generation int
	// State is the run's state after it: save it, with every Evaluated so far, to resume.
	State State[G]
	// Evaluated are the individuals evaluated for the first time in this generation, in
	// the order they were bred or sampled. Exhaustive reports none (a chunk can hold
	// millions); its archive Front is its record.
	Evaluated []Individual[G]
	// Front is the archive, sorted by objectives then key.
	Front []Individual[G]
	// Feasible reports whether the Front is feasible (false: it is least-violating).
	Feasible bool
	// Hypervolume is the Front's hypervolume after normalising the objectives by
	// State.Ideal and State.Nadir, with reference point Reference.
	Hypervolume float64
	Reference   []float64
	// Evaluations is the number of unique evaluations so far, over all resumes;
	// NewEvaluations those of this call to Minimize.
	Evaluations, NewEvaluations int
	// Elapsed is the wall time of this call to Minimize so far. EvalTime is this
	// generation's time spent evaluating; BookTime its time spent on everything else
	// (sampling, variation, sorting, crowding, survival, archive, hypervolume).
	Elapsed, EvalTime, BookTime time.Duration

	front map[string]bool
}

// EvalsPerSecond is the evaluation rate of this call to Minimize so far: NewEvaluations
// per second of Elapsed. Result.EvalsPerSecond is the same at the end of the call.
func (r *Report[G]) EvalsPerSecond() float64 { return evalsPerSecond(r.NewEvaluations, r.Elapsed) }

// evalsPerSecond is n evaluations per second of d; 0 when d is.
func evalsPerSecond(n int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

// InFront reports whether the individual with the given key is on the archive Front.
func (r *Report[G]) InFront(key string) bool { return r.front[key] }

// indexFront makes InFront answer for r.Front.
func (r *Report[G]) indexFront() {
	r.front = make(map[string]bool, len(r.Front))
	for _, ind := range r.Front {
		r.front[ind.Key] = true
	}
}

// Recorders returns a Recorder that passes everything to each of rs in turn, stopping at
// the first error.
func Recorders[G any](rs ...Recorder[G]) Recorder[G] { return recorders[G](rs) }

type recorders[G any] []Recorder[G]

func (rs recorders[G]) Init(info RunInfo) error {
	for _, r := range rs {
		if err := r.Init(info); err != nil {
			return err
		}
	}
	return nil
}

func (rs recorders[G]) Record(rep *Report[G]) error {
	for _, r := range rs {
		if err := r.Record(rep); err != nil {
			return err
		}
	}
	return nil
}

// Memory is a Recorder that keeps in memory what a resume needs: every evaluated
// individual, the last State and the last Front. The zero value is ready to use; one
// Memory may follow a run across resumes.
type Memory[G any] struct {
	Evaluated []Individual[G]
	State     *State[G]
	Front     []Individual[G]
}

// Init implements Recorder.
func (m *Memory[G]) Init(RunInfo) error { return nil }

// Record implements Recorder.
func (m *Memory[G]) Record(r *Report[G]) error {
	m.Evaluated = append(m.Evaluated, r.Evaluated...)
	m.State = &r.State
	m.Front = r.Front
	return nil
}

// Resume returns what continues the recorded run: the last State, and every evaluated
// individual together with the last Front (which is all Exhaustive needs). Before any
// generation was recorded it returns an error wrapping ErrBadResume.
func (m *Memory[G]) Resume() (*Resume[G], error) {
	if m.State == nil {
		return nil, badResume("nothing recorded")
	}
	return &Resume[G]{
		State:     *m.State,
		Evaluated: append(slices.Clip(m.Evaluated), m.Front...),
	}, nil
}
