package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/urfave/cli/v2"
	"go.uber.org/zap"

	"github.com/zeronas/zeronas/search"
	"github.com/zeronas/zeronas/search/export"
	"github.com/zeronas/zeronas/search/plot"
	"github.com/zeronas/zeronas/search/rundir"
)

func searchCommand() *cli.Command {
	flags := append(proxyFlags(), latencyChoiceFlags()...)
	flags = append(flags,
		&cli.StringFlag{Name: "out", Required: true, Usage: "run directory to create (a new or empty folder)"},
		&cli.BoolFlag{Name: "force", Usage: "start over in a directory that holds a run or other files, replacing only a run's own files"},
		&cli.StringFlag{Name: "objectives", Value: "proxy,params,latency", Usage: "objectives: proxy (maximised), params, latency, flops (minimised)"},
		&cli.StringFlag{Name: "strategy", Value: string(rundir.NSGA2), Usage: "nsga2, random (uniform sampling, same budget), exhaustive (every architecture) or exact (layer-wise Pareto programme)"},
		&cli.IntFlag{Name: "population", Value: 100, Usage: fmt.Sprintf("population size, 2 to %d (random: batch size)", rundir.MaxPopulation)},
		&cli.IntFlag{Name: "generations", Usage: fmt.Sprintf("generations to run, at least 1 (default %d when no budget is given)", search.DefaultGenerations)},
		&cli.IntFlag{Name: "max-evals", Usage: "evaluations to run, at least 1 (default: no limit)"},
		&cli.DurationFlag{Name: "time-limit", Usage: "wall time of this call, e.g. 10m (default: no limit)"},
		&cli.Float64Flag{Name: "max-params", Usage: "parameter budget, > 0 (default: none)"},
		&cli.Float64Flag{Name: "max-latency-ms", Usage: "latency budget in ms, > 0 (default: none)"},
		&cli.BoolFlag{Name: "all", Usage: "exact: list every architecture attaining each front vector (up to 1000 each)"},
		formatFlag("table", "json"),
		reportFlag())
	flags = append(flags, natsFlags()...)
	return &cli.Command{
		Name:      "search",
		Usage:     "search a space for the Pareto front of proxy, parameters and latency",
		UsageText: "zeronas search --out DIR [--space S] [--objectives proxy,params,latency] [--strategy nsga2|random|exhaustive|exact] [--population N] [--generations G | --max-evals E | --time-limit D] [--max-params P] [--max-latency-ms L] [--seed N] [proxy and latency flags]",
		Description: "Runs a multi-objective search and keeps it in DIR: run.json, checkpoint.json, archive.jsonl, generations.jsonl and front.json, " +
			"persisted every generation. The first SIGINT or SIGTERM stops at the next generation boundary, a second at once; 'zeronas resume DIR' continues either.",
		Flags:  flags,
		Action: runSearchCommand,
	}
}

func runSearchCommand(c *cli.Context) error {
	format, log, err := formatAndLogger(c, "table", "json")
	if err != nil {
		return err
	}
	if err := positiveIfSet(c, "generations", "max-evals", "time-limit", "max-params", "max-latency-ms"); err != nil {
		return err
	}
	sp, err := loadSpace(c)
	if err != nil {
		return err
	}
	set, alphaSrc, err := proxySettings(c, sp)
	if err != nil {
		return err
	}
	strategy, err := rundir.ParseStrategy(c.String("strategy"))
	if err != nil {
		return badInput(fmt.Errorf("--strategy: %w", err))
	}
	objs, err := rundir.Specs(c.String("objectives"))
	if err != nil {
		return badInput(fmt.Errorf("--objectives: %w", err))
	}
	spec := rundir.Spec{Config: rundir.Config{Version: version, Space: sp, Objectives: objs, Proxy: set, AlphaSource: alphaSrc,
		Strategy: strategy, NSGA2: search.NSGA2{PopSize: c.Int("population")}, Seed: c.Uint64("seed"),
		Budget:    rundir.Budget{Generations: c.Int("generations"), Evaluations: c.Int("max-evals"), TimeLimit: c.Duration("time-limit")},
		MaxParams: c.Float64("max-params"), MaxLatency: c.Float64("max-latency-ms"), ExactAll: c.Bool("all"),
		Latency: rundir.LatencySpec{Model: latencyChoice(c).Model}},
		LatencyTable: c.String("latency-table")}
	if device, ok := strings.CutPrefix(spec.Latency.Model, rundir.DevicePrefix); ok {
		if spec.Latency, err = deviceLatency(c, device); err != nil {
			return err
		}
	}
	opts, finish := runOptions(c, log, spec.Budget, c.String("out"))
	out, err := rundir.Start(hardContext(c.Context), c.String("out"), spec, opts)
	finish()
	if err != nil {
		return runError(err)
	}
	if out.Exact != nil {
		if err := reportAfter(c, out.Dir); err != nil {
			return err
		}
	}
	return writeOutcome(c.App.Writer, c.App.ErrWriter, format, out)
}

// runOptions returns the options of a search or resume and a function that ends its
// progress display. The first signal cancels c.Context: the search stops at the next
// generation boundary.
func runOptions(c *cli.Context, log *zap.Logger, b rundir.Budget, dir string) (rundir.Options, func()) {
	prog := newProgress(c, b, log)
	return rundir.Options{Workers: c.Int("workers"), Stop: c.Context, Force: c.Bool("force"), Recorder: withReport(c, dir, prog), Log: log,
		Notify: func(s string) { fmt.Fprintln(c.App.ErrWriter, s) }, Evaluator: natsEvaluator(c, log)}, prog.finish
}

// positiveIfSet refuses an explicit zero or negative value of the named budget flags: each
// means "no limit" only when left out, so that a typo never silently lifts a budget.
func positiveIfSet(c *cli.Context, names ...string) error {
	return positiveOr(c, "leave it out for no limit", names...)
}

// positiveOr refuses an explicit zero or negative value of the named flags, saying what
// leaving the flag out means.
func positiveOr(c *cli.Context, omitted string, names ...string) error {
	for _, n := range names {
		if !c.IsSet(n) {
			continue
		}
		var v float64
		switch c.Value(n).(type) {
		case int:
			v = float64(c.Int(n))
		case time.Duration:
			v = float64(c.Duration(n))
		default:
			v = c.Float64(n)
		}
		if !(v > 0) {
			return badInput(fmt.Errorf("--%s %v: must be positive (%s)", n, c.Value(n), omitted))
		}
	}
	return nil
}

// summary is the output of search and resume; its JSON keys are a contract.
type summary struct {
	Dir            string  `json:"dir"`
	Status         string  `json:"status"`
	Generation     int     `json:"generation"`
	Evaluations    int     `json:"evaluations"`
	NewEvaluations int     `json:"new_evaluations"`
	FrontSize      int     `json:"front_size"`
	Feasible       bool    `json:"feasible"`
	Hypervolume    float64 `json:"hypervolume"`
	Seconds        float64 `json:"seconds"`
	EvalsPerSec    float64 `json:"evals_per_sec"`
	Front          string  `json:"front"`
	Warning        string  `json:"warning,omitempty"`
}

// writeOutcome prints what a search or resume did; a warning (nothing met the budgets)
// is the last line on stderr, where a script's log shows it.
func writeOutcome(w, ew io.Writer, format string, oc *rundir.Outcome) error {
	if oc.Exact != nil {
		return writeExact(w, format, oc)
	}
	r := oc.Search
	front := oc.Dir + "/" + rundir.FrontFile
	s := summary{Dir: oc.Dir, Status: r.Status.String(), Generation: r.State.Generation, Evaluations: r.Evaluations,
		NewEvaluations: r.NewEvaluations, FrontSize: len(r.Front), Feasible: r.Feasible, Hypervolume: r.Hypervolume,
		Seconds: r.Runtime.Seconds(), EvalsPerSec: r.EvalsPerSecond, Front: front}
	if oc.Infeasible != nil {
		s.Warning = oc.Infeasible.Error()
	}
	if oc.AlreadyComplete {
		fmt.Fprintf(ew, "%s is already complete (%s at generation %d); nothing to do. Extend it with --generations or --max-evals.\n",
			oc.Dir, r.Status, r.State.Generation)
	}
	var err error
	switch {
	case format == "json":
		err = writeJSON(w, s)
	case r.State.Generation < 0:
		_, err = fmt.Fprintf(w, "%s before generation 0 completed: nothing is on the front yet\n", s.Status)
	default:
		_, err = fmt.Fprintf(w, "%s after generation %d: %d evaluations (%d new, %.0f/s, %s), front of %d, hypervolume %.4f\nfront: %s\n",
			s.Status, s.Generation, s.Evaluations, s.NewEvaluations, s.EvalsPerSec, r.Runtime.Round(time.Millisecond), s.FrontSize, s.Hypervolume, front)
	}
	if err != nil {
		return err
	}
	if r.Status == search.Canceled {
		if r.State.Generation < 0 {
			return fmt.Errorf("stopped before generation 0 completed; 'zeronas resume %s' starts it again: %w", oc.Dir, context.Canceled)
		}
		return fmt.Errorf("stopped at generation %d, checkpoint complete; continue with 'zeronas resume %s': %w", r.State.Generation, oc.Dir, context.Canceled)
	}
	if s.Warning != "" {
		fmt.Fprintf(ew, "warning: %s\n", s.Warning)
	}
	return nil
}

// writeExact prints the outcome of the exact strategy.
func writeExact(w io.Writer, format string, oc *rundir.Outcome) error {
	res := oc.Exact
	if format == "json" {
		return writeJSON(w, res)
	}
	_, err := fmt.Fprintf(w, "exact front of %s: %d vectors attained by %s architectures (%d partial architectures kept), hypervolume %.4f\nfront: %s/%s\n",
		oc.Config.Space.Name, res.Vectors, res.Architectures, res.Nodes, res.Hypervolume, oc.Dir, rundir.FrontFile)
	return err
}

// flagOf names the flag that sets a run.json field, for error messages.
var flagOf = map[string]string{
	"nsga2.pop_size": "--population", "budget.generations": "--generations", "budget.max_evals": "--max-evals",
	"budget.time_limit": "--time-limit", "max_params": "--max-params", "max_latency_ms": "--max-latency-ms",
	"workers": "--workers", "strategy": "--strategy", "objectives": "--objectives", "space": "--space",
	"latency.model": "--latency", "latency_table": "--latency-table", "proxy": "proxy settings",
}

// runError turns the errors of the run directory into exit codes: bad settings and files
// are input errors, a settings mismatch is a mismatch; each names the flag it came from.
func runError(err error) error {
	var se *rundir.SpecError
	var fe *rundir.FileError
	var ie *export.InfeasibleError
	switch {
	case errors.As(err, &se):
		if f, ok := flagOf[se.Field]; ok && !strings.Contains(se.Field, "[") {
			return badInput(fmt.Errorf("%s %v: %w", f, se.Value, se.Err))
		}
		return badInput(err)
	case errors.As(err, &ie):
		return badInput(fmt.Errorf("%s: %v; refusing to export it as a front (give --allow-infeasible to export it, each member marked feasible false with its violation)", ie.Dir, ie.Reason))
	case errors.Is(err, rundir.ErrMismatch):
		return mismatchError{err}
	case errors.As(err, &fe), errors.Is(err, rundir.ErrExists), errors.Is(err, rundir.ErrNotEmpty), errors.Is(err, rundir.ErrNoCheckpoint),
		errors.Is(err, export.ErrExists), errors.Is(err, plot.ErrFormat):
		return badInput(err)
	}
	return err
}
