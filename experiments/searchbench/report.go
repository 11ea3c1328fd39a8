package main

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

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

// ratioStat returns the mean and sd of the ratio at budget index i for a strategy.
func ratioStat(curves []curve, strategy string, i int) (float64, float64, int) {
	var xs []float64
	for _, c := range curves {
		if c.strategy == strategy {
			xs = append(xs, c.ratios[i])
		}
	}
	m, sd := meanSD(xs)
	return m, sd, len(xs)
}

func writeResults(out, name string, budgets []int, curves []curve, vectors int, exactHV float64, exactTime time.Duration) error {
	var md strings.Builder
	fmt.Fprintf(&md, "Space %s; objectives: ZeroLM (expected, default alpha), parameters, analytic latency (FLOPs at a constant throughput, deterministic). "+
		"Exact front: %d vectors in %v, normalised hypervolume %.6f (reference 1.1 on objectives scaled to the exact front's ideal and nadir). "+
		"Cells: archive hypervolume / exact hypervolume, mean ± sd over seeds.\n\n", name, vectors, exactTime.Round(time.Millisecond), exactHV)
	fmt.Fprint(&md, "| evaluations |")
	for _, s := range []string{"nsga2", "random"} {
		fmt.Fprintf(&md, " %s |", s)
	}
	fmt.Fprint(&md, "\n|---|---|---|\n")
	f, err := os.Create(filepath.Join(out, name+"-results.csv"))
	if err != nil {
		return err
	}
	defer f.Close()
	w := csv.NewWriter(f)
	w.Write([]string{"space", "strategy", "seed", "evaluations", "hv_ratio"})
	for i, b := range budgets {
		fmt.Fprintf(&md, "| %d |", b)
		for _, s := range []string{"nsga2", "random"} {
			m, sd, n := ratioStat(curves, s, i)
			fmt.Fprintf(&md, " %.4f ± %.4f (n=%d) |", m, sd, n)
		}
		fmt.Fprintln(&md)
		for _, c := range curves {
			w.Write([]string{name, c.strategy, strconv.Itoa(c.seed), strconv.Itoa(b), strconv.FormatFloat(c.ratios[i], 'f', 6, 64)})
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
	p.Y.Label.Text = "hypervolume / exact"
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = plot.LogTicks{Prec: -1}
	var args []any
	for _, s := range []string{"nsga2", "random"} {
		pts := make(plotter.XYs, len(budgets))
		for i, b := range budgets {
			m, _, _ := ratioStat(curves, s, i)
			pts[i].X, pts[i].Y = float64(b), m
		}
		args = append(args, s, pts)
	}
	if err := plotutil.AddLinePoints(p, args...); err != nil {
		return err
	}
	p.Legend.Top = false
	p.Legend.Left = false
	return p.Save(6*vg.Inch, 4*vg.Inch, path)
}
