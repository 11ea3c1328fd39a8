package testproblems

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/zeronas/zeronas/search"
)

// ErrUnknownProblem is returned (wrapped) by Lookup and Bench for a name not in Names.
var ErrUnknownProblem = errors.New("testproblems: unknown problem")

// Benchmark is a test problem with what Bench needs besides search.Problem.
type Benchmark interface {
	search.Problem[[]float64]
	search.Bounded
	Name() string
	// ParetoFront returns about n points of the exact Pareto front.
	ParetoFront(n int) [][]float64
	// Variation returns Deb's bounded operators over the problem's domain.
	Variation() RealVariation
}

// Names returns the names Lookup knows, in order.
func Names() []string { return []string{"zdt1", "zdt2", "zdt3", "dtlz2"} }

// Lookup returns the problem called name with its usual settings (30 variables for ZDT;
// 3 objectives and K = 10 for DTLZ2).
func Lookup(name string) (Benchmark, error) {
	switch name {
	case "zdt1":
		return ZDT1(), nil
	case "zdt2":
		return ZDT2(), nil
	case "zdt3":
		return ZDT3(), nil
	case "dtlz2":
		return DTLZ2{}, nil
	}
	return nil, fmt.Errorf("%w %q (want one of %v)", ErrUnknownProblem, name, Names())
}

// BenchResult is what one NSGA-II run on a test problem achieved.
type BenchResult struct {
	Problem     string `json:"problem"`
	Population  int    `json:"population"`
	Generations int    `json:"generations"`
	Seed        uint64 `json:"seed"`
	// Hypervolume is that of the final population's first front, normalised by the
	// problem's Bounds with reference point 1.1 in every objective: the figure pymoo and
	// DEAP report (ZDT1's best is 0.8767).
	Hypervolume float64 `json:"hypervolume"`
	// ArchiveHypervolume is the same for the archive of every non-dominated point seen.
	ArchiveHypervolume float64 `json:"archive_hypervolume"`
	// IGD is the mean distance from each of 1000 points of the true front to the nearest
	// point of the final population's first front.
	IGD         float64 `json:"igd"`
	FrontSize   int     `json:"front_size"`
	Evaluations int     `json:"evaluations"`
	Seconds     float64 `json:"seconds"`
}

// Bench runs NSGA-II with Deb's bounded operators (crossover probability 0.9, eta_c 15;
// mutation eta_m 20 with probability 1/n per variable) on the named problem for gens
// generations of pop individuals, serially (one evaluation worker), and measures it.
func Bench(ctx context.Context, name string, pop, gens int, seed uint64) (BenchResult, error) {
	p, err := Lookup(name)
	if err != nil {
		return BenchResult{}, err
	}
	start := time.Now()
	res, err := search.Minimize(ctx, p, p.Variation(), search.NSGA2{PopSize: pop},
		&search.Settings{Seed: seed, Generations: gens, Concurrent: 1}, nil)
	if err != nil {
		return BenchResult{}, err
	}
	secs := time.Since(start).Seconds()
	front := FirstFront(res.State.Population)
	ideal, nadir := p.Bounds()
	return BenchResult{
		Problem: name, Population: pop, Generations: gens, Seed: seed,
		Hypervolume:        search.NormalizedHypervolume(front, ideal, nadir),
		ArchiveHypervolume: res.Hypervolume,
		IGD:                IGD(front, p.ParetoFront(1000)),
		FrontSize:          len(front),
		Evaluations:        res.Evaluations,
		Seconds:            secs,
	}, nil
}

// FirstFront returns the objective vectors of the non-dominated individuals of pop.
func FirstFront[G any](pop []search.Individual[G]) [][]float64 {
	evals := make([]search.Eval, len(pop))
	for i, ind := range pop {
		evals[i] = ind.Eval
	}
	var front [][]float64
	if fronts := search.NonDominatedSort(evals); len(fronts) > 0 {
		for _, i := range fronts[0] {
			front = append(front, pop[i].Objectives)
		}
	}
	return front
}

// IGD returns the inverted generational distance of points to the reference front ref:
// the mean, over ref, of the Euclidean distance to the nearest of points.
func IGD(points, ref [][]float64) float64 {
	if len(points) == 0 || len(ref) == 0 {
		return math.Inf(1)
	}
	sum := 0.0
	for _, r := range ref {
		best := math.Inf(1)
		for _, p := range points {
			d := 0.0
			for m := range r {
				d += (p[m] - r[m]) * (p[m] - r[m])
			}
			best = min(best, d)
		}
		sum += math.Sqrt(best)
	}
	return sum / float64(len(ref))
}
