package search

import (
	"errors"
	"fmt"
)

// ErrInvalidSettings is returned (wrapped) when Settings or a Method's fields are out of
// range.
var ErrInvalidSettings = errors.New("search: invalid settings")

// ErrInvalidEval is returned (wrapped in an *EvalError) when Problem.Evaluate returns
// objectives of the wrong length, a non-finite objective, or a negative or non-finite
// violation.
var ErrInvalidEval = errors.New("search: invalid evaluation")

// ErrNotEnumerable is returned when the Exhaustive method is asked to search a Problem that
// does not implement Enumerable.
var ErrNotEnumerable = errors.New("search: problem is not enumerable")

// ErrBadResume is returned (wrapped) when a Resume is inconsistent with itself or with the
// run it is asked to continue.
var ErrBadResume = errors.New("search: cannot resume")

// ErrRecorder is returned (wrapped, with the recorder's own error) when a Recorder fails;
// the run then ends with status Failure.
var ErrRecorder = errors.New("search: recorder failed")

// EvalError reports a failed or malformed evaluation of one genome.
type EvalError struct {
	Key string // the genome's Problem.Key
	Err error  // what Evaluate returned, or an error wrapping ErrInvalidEval
}

// Error implements error.
func (e *EvalError) Error() string { return fmt.Sprintf("search: evaluate %s: %v", e.Key, e.Err) }

// Unwrap returns the underlying error.
func (e *EvalError) Unwrap() error { return e.Err }

func invalidSettings(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidSettings}, args...)...)
}

func badResume(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrBadResume}, args...)...)
}
