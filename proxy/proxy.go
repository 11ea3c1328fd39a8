// Package proxy scores architectures without training them: the ZeroLM zero-cost proxy
// (capacity from weight statistics of randomly initialised weights, per sub-module,
// balanced by alpha), the baselines papers compare it with, and the calibration of alpha.
package proxy

import (
	"fmt"
	"strings"

	"github.com/zeronas/zeronas/internal/numcheck"
	"github.com/zeronas/zeronas/space"
)

// Init is a weight initialisation scheme.
type Init string

// Initialisation schemes.
const (
	Normal Init = "normal" // N(0, 0.02), as BERT and ELECTRA
	Xavier Init = "xavier" // Xavier (Glorot) uniform
	Torch  Init = "torch"  // PyTorch's default Linear init: U(-1/sqrt(fan_in), 1/sqrt(fan_in))
)

// Stat is the per-matrix capacity statistic, of the singular values sigma of an m x n matrix.
type Stat string

// Statistics.
const (
	Frob       Stat = "frob"        // sum sigma^2 / min(m, n): the squared Frobenius norm, no SVD
	Nuclear    Stat = "nuclear"     // sum sigma / min(m, n): the mean singular value
	StableRank Stat = "stable-rank" // sum sigma^2 / max sigma^2
	Entropy    Stat = "entropy"     // exp of the entropy of sigma / sum sigma (Roy & Vetterli)
)

// Mode says how a statistic is obtained.
type Mode string

// Modes.
const (
	Sampled  Mode = "sampled"  // real weights drawn from a seeded generator
	Expected Mode = "expected" // the expectation over the init scheme
)

// Settings are the settings a ZeroLM score depends on; a score is a pure function of
// (architecture, settings).
type Settings struct {
	Build space.Build `json:"build"`
	Init  Init        `json:"init"`
	Stat  Stat        `json:"stat"`
	Mode  Mode        `json:"mode"`
	Alpha float64     `json:"alpha"`
	// Seed seeds the weights in sampled mode.
	Seed uint64 `json:"seed"`
}

// DefaultSettings returns the documented defaults with alpha from DefaultAlpha.
func DefaultSettings() Settings {
	return Settings{Build: space.Faithful, Init: Normal, Stat: Frob, Mode: Expected, Alpha: DefaultAlpha().Alpha}
}

// MaxAbsAlpha bounds |alpha|: the default grid spans [-1.5, 1.5] and a heuristic alpha
// lies in [0, 1], so a larger value is a typo, and it would swamp the scores' precision.
const MaxAbsAlpha = 1000

// CheckAlpha reports an alpha that is not finite or beyond MaxAbsAlpha, naming it.
func CheckAlpha(alpha float64) error {
	if err := numcheck.FloatRange("alpha", alpha, -MaxAbsAlpha, MaxAbsAlpha); err != nil {
		return fmt.Errorf("proxy: %w", err)
	}
	return nil
}

// Validate reports a setting out of range, naming it.
func (s Settings) Validate() error {
	if err := CheckAlpha(s.Alpha); err != nil {
		return err
	}
	if err := oneOf("init", string(s.Init), Normal, Xavier, Torch); err != nil {
		return err
	}
	if err := oneOf("stat", string(s.Stat), Frob, Nuclear, StableRank, Entropy); err != nil {
		return err
	}
	if err := oneOf("mode", string(s.Mode), Sampled, Expected); err != nil {
		return err
	}
	if s.Build < space.Faithful || s.Build > space.AsTrained {
		return fmt.Errorf("proxy: unknown build %d", s.Build)
	}
	return nil
}

func oneOf[T ~string](field, v string, allowed ...T) error {
	names := make([]string, len(allowed))
	for i, a := range allowed {
		if string(a) == v {
			return nil
		}
		names[i] = string(a)
	}
	return fmt.Errorf("proxy: unknown %s %q (want %s)", field, v, strings.Join(names, ", "))
}

// Note says how the statistic is obtained under s, for output that must not overstate.
func (s Settings) Note() string {
	switch {
	case s.Mode == Sampled:
		return "sampled: real weights from a generator seeded by (seed, architecture ID, matrix index)"
	case s.Stat == Frob:
		return "expected: exact closed form E[C(W)] = var(init) * max(m, n)"
	}
	return fmt.Sprintf("expected: Monte Carlo mean of %d draws per (shape, init), cached; approximate", expectedDraws)
}
