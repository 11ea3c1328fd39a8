package proxy

import (
	"errors"
	"fmt"
	"iter"
	"math"
	"sort"

	"gonum.org/v1/gonum/stat"

	"github.com/zeronas/zeronas/internal/numcheck"
	"github.com/zeronas/zeronas/proxy/rank"
	"github.com/zeronas/zeronas/space"
)

// Grid is an inclusive grid of alpha values.
type Grid struct {
	From float64 `json:"from"`
	To   float64 `json:"to"`
	Step float64 `json:"step"`
}

// DefaultGrid returns -1.5 to 1.5 in steps of 0.1, as the ZeroLM re-implementation uses.
func DefaultGrid() Grid { return Grid{From: -1.5, To: 1.5, Step: 0.1} }

// MaxGridPoints bounds the number of points of a Grid: each point ranks the whole sample.
const MaxGridPoints = 100000

// Validate reports a grid that is not finite, out of [-MaxAbsAlpha, MaxAbsAlpha], empty
// (from > to), without a positive step or over MaxGridPoints points, naming the field.
func (g Grid) Validate() error {
	_, err := g.points()
	return err
}

// points returns the number of grid points, or why the grid is invalid.
func (g Grid) points() (int, error) {
	for _, f := range []struct {
		name string
		v    float64
	}{{"from", g.From}, {"to", g.To}} {
		if err := numcheck.FloatRange(f.name, f.v, -MaxAbsAlpha, MaxAbsAlpha); err != nil {
			return 0, fmt.Errorf("proxy: alpha grid: %w", err)
		}
	}
	if err := numcheck.Positive("step", g.Step); err != nil {
		return 0, fmt.Errorf("proxy: alpha grid: %w", err)
	}
	if g.From > g.To {
		return 0, fmt.Errorf("proxy: alpha grid: from %v is above to %v", g.From, g.To)
	}
	// Counted in floating point first: a tiny step would overflow an int.
	n := math.Floor((g.To-g.From)/g.Step+1e-9) + 1
	if n > MaxGridPoints {
		return 0, fmt.Errorf("proxy: alpha grid: from %v to %v in steps of %v has %.0f points, over the limit of %d (MaxGridPoints)", g.From, g.To, g.Step, n, MaxGridPoints)
	}
	return int(n), nil
}

// Values lists the grid points, rounded to the step's precision, or the error of Validate.
func (g Grid) Values() ([]float64, error) {
	n, err := g.points()
	if err != nil {
		return nil, err
	}
	vs := make([]float64, n)
	for i := range vs {
		vs[i] = math.Round((g.From+float64(i)*g.Step)*1e9) / 1e9
	}
	return vs, nil
}

// GridPoint is the rank correlation reached at one alpha.
type GridPoint struct {
	Alpha float64 `json:"alpha"`
	Tau   float64 `json:"tau"`
}

// Calibration is the result of choosing alpha.
type Calibration struct {
	Alpha    float64     `json:"alpha"`
	Strategy string      `json:"strategy"`
	Sample   []int       `json:"sample"` // indices of the records used
	Grid     []GridPoint `json:"grid"`
}

// Parts holds the two sub-module sums of a set of architectures.
type Parts struct {
	Attn, FFN []float64
}

// CalibrateSampling chooses alpha by benchmark sampling: k of the labelled architectures
// drawn with seed, every grid alpha ranked by |Kendall tau-b| against the labels on that
// sample, and alpha* the mean of the best two.
func CalibrateSampling(p Parts, labels []float64, k int, seed uint64, g Grid) (Calibration, error) {
	n := len(labels)
	if len(p.Attn) != n || len(p.FFN) != n {
		return Calibration{}, errors.New("proxy: calibrate: parts and labels differ in length")
	}
	if k < 3 || k > n {
		return Calibration{}, errors.New("proxy: calibrate: sample size must be at least 3 and at most the number of records")
	}
	alphas, err := g.Values()
	if err != nil {
		return Calibration{}, err
	}
	if len(alphas) < 2 {
		return Calibration{}, errors.New("proxy: calibrate: the grid needs at least two points")
	}
	idx := CalibrationSample(n, k, seed)
	y := make([]float64, k)
	for i, j := range idx {
		y[i] = labels[j]
	}
	c := Calibration{Strategy: "sampling", Sample: idx}
	x := make([]float64, k)
	for _, a := range alphas {
		for i, j := range idx {
			x[i] = Combine(a, p.Attn[j], p.FFN[j])
		}
		tau, _ := rank.KendallTauB(x, y)
		if math.IsNaN(tau) {
			tau = 0
		}
		c.Grid = append(c.Grid, GridPoint{a, tau})
	}
	best := append([]GridPoint(nil), c.Grid...)
	sort.SliceStable(best, func(i, j int) bool { return math.Abs(best[i].Tau) > math.Abs(best[j].Tau) })
	c.Alpha = math.Round((best[0].Alpha+best[1].Alpha)/2*1e9) / 1e9
	return c, nil
}

// MaxHeuristicSample bounds the architectures CalibrateHeuristic draws: the spread of the
// sums is settled long before, and each one is scored.
const MaxHeuristicSample = 1000000

// CalibrateHeuristic chooses alpha without labels: from n architectures drawn uniformly
// from sp with seed, alpha balances the spread of the two sub-module sums, so that
// alpha * sd(S_attn) = (1 - alpha) * sd(S_ffn) and each sub-module moves the score as much
// across the space.
func CalibrateHeuristic(z *ZeroLM, sp *space.Space, n int, seed uint64) (Calibration, error) {
	if err := checkHeuristicSample(n); err != nil {
		return Calibration{}, err
	}
	attn, ffn := make([]float64, n), make([]float64, n)
	for i, a := range heuristicDraws(sp, n, seed) {
		s := z.Score(a)
		attn[i], ffn[i] = s.Attn, s.FFN
	}
	sa, sf := stat.StdDev(attn, nil), stat.StdDev(ffn, nil)
	if sa+sf == 0 {
		return Calibration{}, errors.New("proxy: calibrate: both sub-module sums are constant over the space")
	}
	return Calibration{Alpha: sf / (sa + sf), Strategy: "heuristic"}, nil
}

func checkHeuristicSample(n int) error {
	if n < 2 || n > MaxHeuristicSample {
		return fmt.Errorf("proxy: calibrate: sample %d: must be from 2 to %d (MaxHeuristicSample)", n, MaxHeuristicSample)
	}
	return nil
}

// heuristicDraws yields the n architectures the label-free calibrations draw from sp with
// seed, with their index, one at a time.
func heuristicDraws(sp *space.Space, n int, seed uint64) iter.Seq2[int, space.Arch] {
	return func(yield func(int, space.Arch) bool) {
		rng := newV1Rand(seed)
		for i := 0; i < n; i++ {
			if !yield(i, sp.SampleByDepth(rng)) {
				return
			}
		}
	}
}

// HeuristicSample returns the n architectures CalibrateHeuristic and CalibrateShare draw
// from sp with seed, in order. They score them one at a time; scoring the sample first on
// several cores (ScoreAll) fills an expected-mode scorer's caches, so that the calibration
// finds every matrix shape's statistic computed and returns the same alpha sooner.
func HeuristicSample(sp *space.Space, n int, seed uint64) ([]space.Arch, error) {
	if err := checkHeuristicSample(n); err != nil {
		return nil, err
	}
	archs := make([]space.Arch, n)
	for i, a := range heuristicDraws(sp, n, seed) {
		archs[i] = a
	}
	return archs, nil
}
