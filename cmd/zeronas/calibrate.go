package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/zeronas/zeronas/proxy"
	"github.com/zeronas/zeronas/space"
)

func calibrateCommand() *cli.Command {
	return &cli.Command{
		Name:      "calibrate",
		Usage:     "choose the ZeroLM balance alpha",
		UsageText: "zeronas calibrate --bench FILE [--strategy sampling|heuristic] [--sample K] [--seed N] [--grid-from A --grid-to B --grid-step S] [proxy flags] [--format json|table]",
		Description: "sampling: K labelled records drawn with the seed; every grid alpha ranked by |Kendall tau-b| on them; alpha is the mean of the best two. " +
			"heuristic: label-free; alpha balances the spread of the two sub-module sums over K architectures drawn from the space. " +
			"Both report rho and tau on the records not used for calibration (held out).",
		Flags: append(proxyFlags(),
			&cli.StringFlag{Name: "bench", Usage: "benchmark file", Required: true},
			&cli.StringFlag{Name: "strategy", Value: "sampling", Usage: "sampling or heuristic"},
			&cli.IntFlag{Name: "sample", Value: 50, Usage: "records (sampling) or space samples (heuristic) to calibrate on"},
			&cli.Float64Flag{Name: "grid-from", Value: proxy.DefaultGrid().From, Usage: "first alpha of the grid"},
			&cli.Float64Flag{Name: "grid-to", Value: proxy.DefaultGrid().To, Usage: "last alpha of the grid"},
			&cli.Float64Flag{Name: "grid-step", Value: proxy.DefaultGrid().Step, Usage: "grid step"},
			formatFlag("table", "json")),
		Action: func(c *cli.Context) error {
			in, err := readScoringInputs(c, "table", "json")
			if err != nil {
				return err
			}
			opts := calibrateOptions{bench: c.String("bench"), strategy: c.String("strategy"), sample: c.Int("sample"),
				seed: c.Uint64("seed"), grid: proxy.Grid{From: c.Float64("grid-from"), To: c.Float64("grid-to"), Step: c.Float64("grid-step")}}
			out, err := runCalibrate(c.Context, opts, in.space, in.records, in.settings, c.Int("workers"))
			if err != nil {
				return err
			}
			return writeCalibration(c.App.Writer, in.format, out)
		},
	}
}

type calibrateOptions struct {
	bench    string
	strategy string
	sample   int
	seed     uint64
	grid     proxy.Grid
}

// calibration is the output of `zeronas calibrate`; it is also an --alpha-file.
type calibration struct {
	proxy.Calibrated
	Grid      []gridPoint `json:"grid,omitempty"`
	SampleIDs []string    `json:"sample_ids,omitempty"`
	proxy.HeldOut
}

type gridPoint struct {
	Alpha  float64 `json:"alpha"`
	Tau    float64 `json:"tau"`
	AbsTau float64 `json:"abs_tau"`
}

func runCalibrate(ctx context.Context, o calibrateOptions, sp *space.Space, recs []space.Record, set proxy.Settings, workers int) (calibration, error) {
	y, err := proxy.Labels(o.bench, recs)
	if err != nil {
		return calibration{}, badInput(err)
	}
	z, err := proxy.NewZeroLM(set)
	if err != nil {
		return calibration{}, badInput(err)
	}
	scores, err := proxy.ScoreAll(ctx, z, archsOf(recs), workers)
	if err != nil {
		return calibration{}, err
	}
	parts := proxy.PartsOf(scores)
	var cal proxy.Calibration
	switch o.strategy {
	case "sampling":
		cal, err = proxy.CalibrateSampling(parts, y, o.sample, o.seed, o.grid)
	case "heuristic":
		cal, err = proxy.CalibrateHeuristic(z, sp, o.sample, o.seed)
	default:
		return calibration{}, badInput(fmt.Errorf("--strategy %q: want sampling or heuristic", o.strategy))
	}
	if err != nil {
		return calibration{}, badInput(err)
	}
	set.Alpha = cal.Alpha
	out := calibration{Calibrated: proxy.Calibrated{Alpha: cal.Alpha, Strategy: cal.Strategy, Sample: o.sample,
		Seed: o.seed, Source: filepath.ToSlash(filepath.Base(o.bench)), Settings: set}, HeldOut: proxy.ScoreHeldOut(parts, y, cal)}
	for _, i := range cal.Sample {
		out.SampleIDs = append(out.SampleIDs, recs[i].ID)
	}
	for _, g := range cal.Grid {
		out.Grid = append(out.Grid, gridPoint{g.Alpha, g.Tau, math.Abs(g.Tau)})
	}
	return out, nil
}

func writeCalibration(w io.Writer, format string, c calibration) error {
	if format == "json" {
		return writeJSON(w, c)
	}
	fmt.Fprintf(w, "alpha %.4f (%s, sample %d, seed %d; held out n=%d: spearman %.4f, kendall %.4f)\n",
		c.Alpha, c.Strategy, c.Sample, c.Seed, c.N, c.Spearman, c.Kendall)
	if len(c.Grid) == 0 {
		return nil
	}
	rows := make([][]string, len(c.Grid))
	for i, g := range c.Grid {
		rows[i] = []string{fmt.Sprintf("%.2f", g.Alpha), fmt.Sprintf("%.4f", g.Tau), fmt.Sprintf("%.4f", g.AbsTau)}
	}
	return writeTable(w, []string{"alpha", "tau", "|tau|"}, rows)
}
