// Package numcheck validates numbers given by users: finite floats and values within
// documented bounds, with errors naming the field, the value and the bound.
package numcheck

import (
	"fmt"
	"math"
)

// Finite reports NaN or an infinity in v, naming it.
func Finite(name string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Errorf("%s %v: must be a finite number", name, v)
	}
	return nil
}

// FloatRange reports v if it is not finite or not in [lo, hi].
func FloatRange(name string, v, lo, hi float64) error {
	if err := Finite(name, v); err != nil {
		return err
	}
	if v < lo || v > hi {
		return fmt.Errorf("%s %v: must be from %v to %v", name, v, lo, hi)
	}
	return nil
}

// Positive reports v if it is not finite or not above 0.
func Positive(name string, v float64) error {
	if err := Finite(name, v); err != nil {
		return err
	}
	if v <= 0 {
		return fmt.Errorf("%s %v: must be above 0", name, v)
	}
	return nil
}

// NonNegative reports v if it is not finite or below 0.
func NonNegative(name string, v float64) error {
	if err := Finite(name, v); err != nil {
		return err
	}
	if v < 0 {
		return fmt.Errorf("%s %v: must be at least 0", name, v)
	}
	return nil
}

// IntRange reports v if it is not in [lo, hi]; a message naming the bound says what
// it is, e.g. IntRange("threads", 1000, 1, 64, "the number of CPUs").
func IntRange(name string, v, lo, hi int, why ...string) error {
	if v >= lo && v <= hi {
		return nil
	}
	msg := fmt.Sprintf("%s %d: must be from %d to %d", name, v, lo, hi)
	if len(why) > 0 && why[0] != "" {
		msg += " (" + why[0] + ")"
	}
	return fmt.Errorf("%s", msg)
}
