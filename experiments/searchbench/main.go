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
	out := flag.String("out", "experiments/searchbench", "output folder")
	flag.Parse()
	budgets, err := parseInts(*budgetsFlag)
	if err == nil {
		err = run(*spaceName, budgets, *seeds, *pop, *out)
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
	z, err := proxy.NewZeroLM(proxy.DefaultSettings())
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

// curve is the hypervolume of one run after each budget.
type curve struct {
	strategy string
	seed     int
	ratios   []float64 // at each budget
	seconds  float64
}

// hvRecorder notes the archive hypervolume after every generation.
type hvRecorder struct{ evals, hv []float64 }

func (r *hvRecorder) Init(search.RunInfo) error { return nil }
func (r *hvRecorder) Record(rep *search.Report[space.Arch]) error {
	r.evals = append(r.evals, float64(rep.Evaluations))
	r.hv = append(r.hv, rep.Hypervolume)
	return nil
}

// at returns the hypervolume once budget evaluations were spent.
func (r *hvRecorder) at(budget int) float64 {
	v := 0.0
	for i, e := range r.evals {
		if e <= float64(budget) {
			v = r.hv[i]
		}
	}
	return v
}

func run(name string, budgets []int, seeds, pop int, out string) error {
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
	maxBudget := budgets[len(budgets)-1]
	var curves []curve
	for _, m := range []search.Method{search.NSGA2{PopSize: pop}, search.Random{BatchSize: pop}} {
		strategy := m.String()
		for seed := 1; seed <= seeds; seed++ {
			rec := &hvRecorder{}
			t0 := time.Now()
			_, err := search.Minimize(ctx, bounded, p, m, &search.Settings{Seed: uint64(seed), Evaluations: maxBudget},
				&search.Options[space.Arch]{Recorder: rec})
			if err != nil {
				return err
			}
			c := curve{strategy: strategy, seed: seed, seconds: time.Since(t0).Seconds()}
			for _, b := range budgets {
				c.ratios = append(c.ratios, rec.at(b)/exactHV)
			}
			curves = append(curves, c)
			fmt.Printf("%s seed %d: %v (%.1fs)\n", strategy, seed, c.ratios, c.seconds)
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
