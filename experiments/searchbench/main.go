// Command searchbench judges the search strategies against the exact Pareto front: on a space
// whose objectives split into per-layer terms (expected-mode ZeroLM, parameters, analytic
// latency) the exact front is known, and every search's archive hypervolume is reported as a
// ratio to it, at several evaluation budgets and over several seeds. It writes results.md,
// results.csv and curve.png into -out.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"gonum.org/v1/gonum/stat"

	"github.com/zeronas/zeronas/objectives"
	"github.com/zeronas/zeronas/objectives/latency"
	"github.com/zeronas/zeronas/proxy"
	"github.com/zeronas/zeronas/search"
	"github.com/zeronas/zeronas/search/nas"
	"github.com/zeronas/zeronas/space"
)

func main() {
	spaceName := flag.String("space", "flexibert", "space")
	budgetsFlag := flag.String("budgets", "1000,2000,5000,10000,20000", "evaluation budgets")
	seeds := flag.Int("seeds", 5, "seeds per strategy")
	pop := flag.Int("population", 100, "NSGA-II population")
	cx := flag.Float64("crossover", 0, "NSGA-II crossover probability (0: the default)")
	mut := flag.Float64("mutation", 0, "NSGA-II mutation probability (0: the default)")
	out := flag.String("out", "experiments/searchbench", "output folder")
	flag.Parse()
	budgets, err := parseInts(*budgetsFlag)
	if err == nil {
		err = run(*spaceName, budgets, *seeds, search.NSGA2{PopSize: *pop, CrossoverProb: *cx, MutationProb: *mut}, *out)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "searchbench:", err)
		os.Exit(1)
	}
}

// problem returns the benchmark problem: default ZeroLM, parameters and analytic latency,
// all three decomposable, so the exact front exists.
func problem(name string) (*nas.Problem, error) {
	sp, err := space.Load(name)
	if err != nil {
		return nil, err
	}
	ps := proxy.DefaultSettings()
	ps.Alpha = proxy.DefaultAlphaFor(sp).Alpha // the space family's own default
	z, err := proxy.NewZeroLM(ps)
	if err != nil {
		return nil, err
	}
	lat := latency.NewAnalytic(latency.Options{})
	objs := []objectives.Objective{objectives.NewProxy(z), objectives.NewParams(), objectives.NewLatency(lat)}
	set, err := objectives.NewSet(objs, 0, 0, nil)
	if err != nil {
		return nil, err
	}
	return &nas.Problem{Space: sp, Set: set}, nil
}

// curve is the hypervolume of one seed's runs, one run per budget, as ratios to the exact
// front's.
type curve struct {
	strategy string
	seed     int
	ratios   []float64 // of the archive (every non-dominated architecture seen), per budget
	pop      []float64 // of the final population's feasible members, per budget
	seconds  float64   // of the run of the largest budget
}

// popHypervolume returns the hypervolume of the feasible members of a run's last
// population, normalised by ideal and nadir with the reference point of the search's own.
func popHypervolume(res *search.Result[space.Arch], ideal, nadir []float64) float64 {
	var pts [][]float64
	for _, ind := range res.State.Population {
		if ind.Violation == 0 {
			pts = append(pts, ind.Objectives)
		}
	}
	return search.NormalizedHypervolume(pts, ideal, nadir)
}

func run(name string, budgets []int, seeds int, ga search.NSGA2, out string) error {
	ctx := context.Background()
	p, err := problem(name)
	if err != nil {
		return err
	}
	start := time.Now()
	bounded, front, err := nas.WithBounds(ctx, p)
	if err != nil {
		return err
	}
	if front == nil {
		return fmt.Errorf("%s: objectives do not split; no exact front", name)
	}
	exactTime := time.Since(start)
	ideal, nadir := bounded.(search.Bounded).Bounds()
	var pts [][]float64
	for _, pt := range front.Points {
		pts = append(pts, p.Set.Minimised(pt.Values))
	}
	exactHV := search.NormalizedHypervolume(pts, ideal, nadir)
	fmt.Printf("%s: exact front of %d vectors in %v, hypervolume %.6f\n", name, len(front.Points), exactTime.Round(time.Millisecond), exactHV)
	var curves []curve
	for _, m := range []search.Method{ga, search.Random{BatchSize: ga.PopSize}} {
		strategy := m.String()
		for seed := 1; seed <= seeds; seed++ {
			c := curve{strategy: strategy, seed: seed}
			// One run per budget, stopped at exactly that many evaluations (its last
			// generation cut), as --max-evals stops a user's run; reading a longer run at
			// the last generation boundary below the budget would count fewer.
			for _, b := range budgets {
				t0 := time.Now()
				res, err := search.Minimize(ctx, bounded, p, m, &search.Settings{Seed: uint64(seed), Evaluations: b}, nil)
				if err != nil {
					return err
				}
				if res.State.Evaluations != b {
					return fmt.Errorf("%s seed %d: %d evaluations for a budget of %d", strategy, seed, res.State.Evaluations, b)
				}
				c.seconds = time.Since(t0).Seconds()
				c.ratios = append(c.ratios, res.Hypervolume/exactHV)
				c.pop = append(c.pop, popHypervolume(res, ideal, nadir)/exactHV)
			}
			curves = append(curves, c)
			fmt.Printf("%s seed %d: archive %.4f, population %.4f (%.1fs)\n", strategy, seed, c.ratios, c.pop, c.seconds)
		}
	}
	if err := writeResults(out, name, budgets, curves, len(front.Points), exactHV, exactTime); err != nil {
		return err
	}
	return plotCurves(filepath.Join(out, name+"-curve.png"), name, budgets, curves)
}

// meanSD returns the mean and the sample standard deviation (0 for one value).
func meanSD(x []float64) (float64, float64) {
	if len(x) < 2 {
		return stat.Mean(x, nil), 0
	}
	return stat.MeanStdDev(x, nil)
}
