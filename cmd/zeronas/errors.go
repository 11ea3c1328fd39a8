package main

import (
	"context"
	"errors"
	"strings"

	"github.com/zeronas/zeronas/internal/runlock"
)

// Exit codes: stable, documented in the README.
const (
	exitFailure   = 1   // any other failure
	exitBadInput  = 2   // bad flags, files, records or settings
	exitMismatch  = 3   // a resume whose settings differ from the run's
	exitBusy      = 4   // the run directory is in use by another process
	exitCancelled = 130 // stopped by a signal
)

// inputError marks an error caused by the user's input: flags, files or records.
type inputError struct{ err error }

func (e inputError) Error() string { return e.err.Error() }
func (e inputError) Unwrap() error { return e.err }

// badInput wraps err as an input error; nil stays nil.
func badInput(err error) error {
	if err == nil {
		return nil
	}
	return inputError{err}
}

// mismatchError marks a resume refused because its settings differ from the run's.
type mismatchError struct{ err error }

func (e mismatchError) Error() string { return e.err.Error() }
func (e mismatchError) Unwrap() error { return e.err }

func exitCode(err error) int {
	var in inputError
	var mm mismatchError
	switch {
	case errors.Is(err, context.Canceled):
		return exitCancelled
	case errors.As(err, &mm):
		return exitMismatch
	case errors.Is(err, runlock.ErrBusy):
		return exitBusy
	case errors.As(err, &in), strings.HasPrefix(err.Error(), "Required flag"):
		return exitBadInput // urfave/cli reports a missing required flag as a plain error
	}
	return exitFailure
}
