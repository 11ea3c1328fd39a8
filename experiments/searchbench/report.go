package main

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

func parseInts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || v <= 0 {
			return nil, fmt.Errorf("budget %q: want a positive integer", f)
		}
		if len(out) > 0 && v <= out[len(out)-1] {
			return nil, fmt.Errorf("budgets must increase")
		}
		out = append(out, v)
	}
	return out, nil
}

// ratioStat returns the mean, sd, minimum and count of a strategy's ratios at budget index
// i, of the archive or (pop) of the population.
func ratioStat(curves []curve, strategy string, i int, pop bool) (mean, sd, lo float64, n int) {
	var xs []float64
	for _, c := range curves {
		if c.strategy == strategy {
			if pop {
				xs = append(xs, c.pop[i])
			} else {
				xs = append(xs, c.ratios[i])
			}
		}
	}
	mean, sd = meanSD(xs)
	return mean, sd, floats.Min(xs), len(xs)
}

func writeResults(out, name string, budgets []int, curves []curve, vectors int, exactHV float64, exactTime time.Duration) error {
	var md strings.Builder
	fmt.Fprintf(&md, "Space %s; objectives: ZeroLM (expected, default alpha), parameters, analytic latency (FLOPs at a constant throughput, deterministic). "+
		"Exact front: %d vectors in %v, normalised hypervolume %.6f (reference 1.1 on objectives scaled to the exact front's ideal and nadir). "+
		"Each cell is one run per seed stopped at exactly that many evaluations; hypervolume / exact hypervolume under that one normalisation, mean ± sd over seeds 1 to n, and the worst seed. "+
		"Archive: every non-dominated architecture the run has seen (the search's own figure, what front.json holds); "+
		"population: the feasible members of the run's last population.\n\n", name, vectors, exactTime.Round(time.Millisecond), exactHV)
	fmt.Fprint(&md, "| evaluations | nsga2 archive | worst seed | nsga2 population | worst seed | random archive |\n|---|---|---|---|---|---|\n")
	f, err := os.Create(filepath.Join(out, name+"-results.csv"))
	if err != nil {
		return err
	}
	defer f.Close()
	w := csv.NewWriter(f)
	w.Write([]string{"space", "strategy", "seed", "evaluations", "hv_ratio", "hv_ratio_population"})
	for i, b := range budgets {
		m, sd, lo, n := ratioStat(curves, "nsga2", i, false)
		pm, psd, plo, _ := ratioStat(curves, "nsga2", i, true)
		rm, rsd, _, rn := ratioStat(curves, "random", i, false)
		fmt.Fprintf(&md, "| %d | %.4f ± %.4f (n=%d) | %.4f | %.4f ± %.4f | %.4f | %.4f ± %.4f (n=%d) |\n", b, m, sd, n, lo, pm, psd, plo, rm, rsd, rn)
		for _, c := range curves {
			w.Write([]string{name, c.strategy, strconv.Itoa(c.seed), strconv.Itoa(b),
				strconv.FormatFloat(c.ratios[i], 'f', 6, 64), strconv.FormatFloat(c.pop[i], 'f', 6, 64)})
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	fmt.Print(md.String())
	return os.WriteFile(filepath.Join(out, name+"-results.md"), []byte(md.String()), 0o644)
}

func plotCurves(path, name string, budgets []int, curves []curve) error {
	p := plot.New()
	p.Title.Text = "Search vs the exact front: " + name
	p.X.Label.Text = "evaluations"
	p.Y.Label.Text = "hypervolume / exact (mean over seeds)"
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = plot.LogTicks{Prec: -1}
	var args []any
	for _, line := range []struct {
		label, strategy string
		pop             bool
	}{{"nsga2 archive", "nsga2", false}, {"nsga2 population", "nsga2", true}, {"random archive", "random", false}} {
		pts := make(plotter.XYs, len(budgets))
		for i, b := range budgets {
			m, _, _, _ := ratioStat(curves, line.strategy, i, line.pop)
			pts[i].X, pts[i].Y = float64(b), m
		}
		args = append(args, line.label, pts)
	}
	if err := plotutil.AddLinePoints(p, args...); err != nil {
		return err
	}
	p.Legend.Top = false
	p.Legend.Left = false
	return p.Save(6*vg.Inch, 4*vg.Inch, path)
}
