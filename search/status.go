package search

// Status says why a run stopped, or NotTerminated while it runs.
type Status int

const (
	// NotTerminated means no criterion has stopped the run.
	NotTerminated Status = iota
	// GenerationLimit means the generation budget is spent.
	GenerationLimit
	// EvaluationLimit means the evaluation budget is spent.
	EvaluationLimit
	// RuntimeLimit means the wall-time budget is spent.
	RuntimeLimit
	// Stalled means the hypervolume stopped improving (HypervolumeStall).
	Stalled
	// Complete means there is nothing left to search: Exhaustive enumerated the whole
	// space, Random found no new genome, or NSGA-II could breed no offspring.
	Complete
	// Canceled means the run's context, or a CanceledBy criterion's, was done. The result
	// holds the last complete generation.
	Canceled
	// Failure means an evaluation or a recorder failed; Minimize also returns the error.
	Failure
)

var statusNames = [...]string{
	NotTerminated:   "NotTerminated",
	GenerationLimit: "GenerationLimit",
	EvaluationLimit: "EvaluationLimit",
	RuntimeLimit:    "RuntimeLimit",
	Stalled:         "Stalled",
	Complete:        "Complete",
	Canceled:        "Canceled",
	Failure:         "Failure",
}

// String returns the status's name.
func (s Status) String() string {
	if s < 0 || int(s) >= len(statusNames) {
		return "Status(?)"
	}
	return statusNames[s]
}

// Early reports whether the run stopped before its budget: Stalled, Canceled or Failure.
func (s Status) Early() bool { return s == Stalled || s == Canceled || s == Failure }
