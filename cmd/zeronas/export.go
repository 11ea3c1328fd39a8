package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/urfave/cli/v2"
	"go.uber.org/zap"

	"github.com/zeronas/zeronas/objectives/latency"
	"github.com/zeronas/zeronas/search/export"
	"github.com/zeronas/zeronas/space"
)

func exportCommand() *cli.Command {
	return &cli.Command{
		Name:      "export",
		Usage:     "export the final front of a run as JSON, CSV or Hugging Face configs",
		UsageText: "zeronas export DIR --out PATH [--format json|hf|csv] [--force] [--measure [--batch N] [--seq-len N] [--reps N] [--warmup N] [--threads N]]",
		Description: "Exports the front of the run directory DIR (written by 'zeronas search --out DIR'): json writes one file " +
			"listing each architecture's id, canonical architecture and objective values; csv one row per architecture; " +
			"hf a folder with one sub-folder per architecture holding a Hugging Face style config.json and arch.json. " +
			"--measure times every architecture's forward pass on this machine and adds the median latency with the " +
			"device, batch, sequence length and repetitions. An existing output is never replaced without --force.",
		Flags: []cli.Flag{
			formatFlag(export.Formats()...),
			&cli.StringFlag{Name: "out", Usage: "output path: a file for json and csv, a folder for hf (required)"},
			&cli.BoolFlag{Name: "force", Usage: "replace an existing output file, or a folder holding a previous hf export"},
			&cli.BoolFlag{Name: "allow-infeasible", Usage: "export a front of which nothing meets the run's budgets (each member marked feasible false, with its violation)"},
			&cli.BoolFlag{Name: "measure", Usage: "measure every architecture's forward-pass latency on this machine"},
			&cli.IntFlag{Name: "batch", Value: latency.DefaultBatch, Usage: "batch size of the measured forward pass"},
			&cli.IntFlag{Name: "seq-len", Value: latency.DefaultSeqLen, Usage: "sequence length of the measured forward pass"},
			&cli.IntFlag{Name: "reps", Value: latency.DefaultReps, Usage: "timed repetitions per architecture"},
			&cli.IntFlag{Name: "warmup", Value: latency.DefaultWarmup, Usage: "untimed repetitions before timing"},
			&cli.IntFlag{Name: "threads", Value: latency.DefaultThreads, Usage: "cores used while timing"},
		},
		Action: func(c *cli.Context) error {
			dir, err := runDirArg(c)
			if err != nil {
				return err
			}
			format, err := checkFormat(c, export.Formats()...)
			if err != nil {
				return err
			}
			if c.String("out") == "" {
				return badInput(errors.New("give --out PATH"))
			}
			log, err := newLogger(c)
			if err != nil {
				return err
			}
			opts := export.Options{Format: export.Format(format), Out: c.String("out"), Force: c.Bool("force"),
				AllowInfeasible: c.Bool("allow-infeasible"), Log: log}
			if c.Bool("measure") {
				lo := latency.Options{Batch: c.Int("batch"), SeqLen: c.Int("seq-len"), Reps: c.Int("reps"),
					Warmup: c.Int("warmup"), Threads: c.Int("threads"), Statistic: latency.StatMedian}
				lo, err := lo.Explicit()
				if err != nil {
					return badInput(fmt.Errorf("--measure: %w", err))
				}
				opts.Measure = measureLatency(lo, log)
			}
			return runExport(c.Context, c.App.Writer, dir, opts)
		},
	}
}

// runExport exports the front of dir and says what it wrote.
func runExport(ctx context.Context, w io.Writer, dir string, opts export.Options) error {
	front, err := export.Write(ctx, dir, opts)
	if err != nil {
		return runError(err)
	}
	_, err = fmt.Fprintf(w, "exported %d architectures of %s to %s (%s)\n", len(front), dir, opts.Out, opts.Format)
	return err
}

// measureLatency measures architectures with the latency package, interleaving them.
func measureLatency(o latency.Options, log *zap.Logger) export.MeasureFunc {
	return func(ctx context.Context, archs []space.Arch) ([]export.Measurement, error) {
		o.Progress = func(done, total int) { log.Info("measuring latency", zap.Int("done", done), zap.Int("of", total)) }
		rs, err := latency.MeasureArchs(ctx, archs, o)
		if err != nil {
			return nil, err
		}
		out := make([]export.Measurement, len(rs))
		for i, r := range rs {
			out[i] = export.Measurement{MedianMS: r.MedianMS, P10MS: r.P10MS, P90MS: r.P90MS, Reps: r.Reps,
				Warmup: r.Warmup, Batch: r.Batch, SeqLen: r.SeqLen, Device: r.Device.String()}
		}
		return out, nil
	}
}

// runDirArg returns the command's one argument, the run directory. main's interspersed
// has already moved any flags written after it in front of it.
func runDirArg(c *cli.Context) (string, error) {
	switch c.NArg() {
	case 0:
		return "", badInput(fmt.Errorf("give the run directory: %s", c.Command.UsageText))
	case 1:
		return c.Args().First(), nil
	}
	return "", badInput(fmt.Errorf("give one run directory, not %d: %q", c.NArg(), c.Args().Slice()))
}
