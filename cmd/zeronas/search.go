package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/big"
	"time"

	"github.com/urfave/cli/v2"
	"go.uber.org/zap"

	"github.com/zeronas/zeronas/search"
	"github.com/zeronas/zeronas/search/nas"
	"github.com/zeronas/zeronas/search/rundir"
	"github.com/zeronas/zeronas/space"
)

func searchCommand() *cli.Command {
	flags := append(proxyFlags(), latencyChoiceFlags()...)
	flags = append(flags,
		&cli.StringFlag{Name: "out", Required: true, Usage: "run directory to create"},
		&cli.BoolFlag{Name: "force", Usage: "start over in a directory that already holds a run"},
		&cli.StringFlag{Name: "objectives", Value: "proxy,params,latency", Usage: "objectives: proxy (maximised), params, latency, flops (minimised)"},
		&cli.StringFlag{Name: "strategy", Value: "nsga2", Usage: "nsga2, random (uniform sampling, same budget), exhaustive (every architecture) or exact (layer-wise Pareto programme)"},
		&cli.IntFlag{Name: "population", Value: 100, Usage: "population size (random: batch size)"},
		&cli.IntFlag{Name: "generations", Usage: "generations to run (0: no limit; default 50 when no budget is given)"},
		&cli.IntFlag{Name: "max-evals", Usage: "evaluations to run (0: no limit)"},
		&cli.DurationFlag{Name: "time-limit", Usage: "wall time of this call, e.g. 10m (0: no limit)"},
		&cli.Float64Flag{Name: "max-params", Usage: "parameter budget (0: none)"},
		&cli.Float64Flag{Name: "max-latency-ms", Usage: "latency budget in ms (0: none)"},
		&cli.BoolFlag{Name: "all", Usage: "exact: list every architecture attaining each front vector (up to 1000 each)"},
		formatFlag("table", "json"))
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
	sp, err := loadSpace(c)
	if err != nil {
		return err
	}
	set, alphaSrc, err := proxySettings(c)
	if err != nil {
		return err
	}
	if out := c.String("out"); rundir.HoldsRun(out) && !c.Bool("force") {
		return badInput(fmt.Errorf("%s %w (resume it with 'zeronas resume %s', or start over with --force)", out, rundir.ErrExists, out))
	}
	cfg := &rundir.Config{Version: version, Space: sp, Proxy: set, AlphaSource: alphaSrc, Strategy: c.String("strategy"),
		NSGA2: search.NSGA2{PopSize: c.Int("population")}, Seed: c.Uint64("seed"),
		Budget:    rundir.Budget{Generations: c.Int("generations"), Evaluations: c.Int("max-evals"), TimeLimit: c.Duration("time-limit")},
		MaxParams: c.Float64("max-params"), MaxLatency: c.Float64("max-latency-ms")}
	if c.Int("population") < 2 {
		return badInput(fmt.Errorf("--population %d: need at least 2", c.Int("population")))
	}
	if cfg.Budget == (rundir.Budget{}) && cfg.Strategy != "exhaustive" && cfg.Strategy != "exact" {
		cfg.Budget.Generations = 50
	}
	objs, err := parseObjectiveSpecs(c.String("objectives"))
	if err != nil {
		return err
	}
	cfg.Objectives = objs
	if cfg.Strategy != "exact" {
		if _, err := cfg.Method(); err != nil {
			return badInput(fmt.Errorf("--strategy: %w", err))
		}
	}
	if n := sp.Count(); cfg.Strategy == "exhaustive" && n.Cmp(big.NewInt(maxExhaustive)) > 0 {
		return badInput(fmt.Errorf("--strategy exhaustive: space %s has %s architectures, over the limit of %d; use --strategy exact (for objectives that split into per-layer terms) or nsga2",
			sp.Name, n, int64(maxExhaustive)))
	}
	// Measuring a latency table takes seconds: only once the cheap checks have passed.
	var table []byte
	if needsLatency(cfg) {
		if _, cfg.Latency, table, err = chooseLatency(c.Context, c, sp, log); err != nil {
			return err
		}
	}
	// The problem is built from the configuration as a resume will build it.
	rec, err := rundir.Create(c.String("out"), cfg, table, c.Bool("force"))
	if err != nil {
		if errors.Is(err, rundir.ErrExists) {
			return badInput(err)
		}
		return err
	}
	p, err := cfg.Problem(c.String("out"))
	if err != nil {
		return badInput(err)
	}
	if cfg.Strategy == "exact" {
		return runExact(c, cfg, p, format)
	}
	log.Info("search", zap.String("out", c.String("out")), zap.String("strategy", cfg.Strategy), zap.Uint64("seed", cfg.Seed))
	return minimize(c, c.String("out"), cfg, p, rec, nil, format, log)
}

// maxExhaustive is the largest space --strategy exhaustive enumerates: NAS-Bench-BERT's
// 10.6M take about 30 s on 2 cores, so 1e9 would take about an hour.
const maxExhaustive = 1_000_000_000

// needsLatency reports whether a latency model is needed: an objective or a budget.
func needsLatency(cfg *rundir.Config) bool {
	for _, o := range cfg.Objectives {
		if o.Name == "latency" {
			return true
		}
	}
	return cfg.MaxLatency > 0
}

// minimize runs (or resumes) the search of cfg and prints its summary.
func minimize(c *cli.Context, dir string, cfg *rundir.Config, p *nas.Problem, rec *rundir.Recorder, res *search.Resume[space.Arch], format string, log *zap.Logger) error {
	method, err := cfg.Method()
	if err != nil {
		return badInput(err)
	}
	prob, _ := nas.WithBounds(c.Context, p)
	settings := cfg.Settings()
	settings.Concurrent = c.Int("workers")
	settings.Termination = search.CanceledBy(c.Context) // first signal: stop at the boundary
	prog := newProgress(c, cfg, log)
	opts := &search.Options[space.Arch]{Recorder: search.Recorders[space.Arch](rec, prog), Resume: res}
	ev, closeNATS, err := natsEvaluator(c, dir, cfg, log)
	if err != nil {
		if res == nil { // a fresh run that could not start leaves no run behind
			rundir.Discard(dir)
		}
		return err
	}
	defer closeNATS()
	opts.Evaluator = ev
	out, err := search.Minimize(hardContext(c.Context), prob, p, method, &settings, opts)
	prog.finish()
	if err != nil {
		return err
	}
	if res != nil && out.Generations == 0 && out.Status != search.Canceled {
		fmt.Fprintf(c.App.ErrWriter, "%s is already complete (%s at generation %d); nothing to do. Extend it with --generations or --max-evals.\n",
			dir, out.Status, out.State.Generation)
	}
	if err := writeSummary(c.App.Writer, format, dir, out); err != nil {
		return err
	}
	if out.Status == search.Canceled {
		return fmt.Errorf("stopped at generation %d, checkpoint complete: %w", out.State.Generation, context.Canceled)
	}
	return nil
}

// summary is the output of search and resume.
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
}

func writeSummary(w io.Writer, format, dir string, r *search.Result[space.Arch]) error {
	s := summary{Dir: dir, Status: r.Status.String(), Generation: r.State.Generation, Evaluations: r.Evaluations,
		NewEvaluations: r.NewEvaluations, FrontSize: len(r.Front), Feasible: r.Feasible, Hypervolume: r.Hypervolume,
		Seconds: r.Runtime.Seconds(), EvalsPerSec: r.EvalsPerSecond, Front: dir + "/" + rundir.FrontFile}
	if format == "json" {
		return writeJSON(w, s)
	}
	note := ""
	if !r.Feasible {
		note = " (nothing met the budgets: the front holds the least-violating architectures)"
	}
	if r.Status == search.Canceled {
		note += fmt.Sprintf("; stopped: continue with 'zeronas resume %s'", dir)
	}
	_, err := fmt.Fprintf(w, "%s after generation %d: %d evaluations (%d new, %.0f/s, %s), front of %d, hypervolume %.4f%s\nfront: %s\n",
		s.Status, s.Generation, s.Evaluations, s.NewEvaluations, s.EvalsPerSec, r.Runtime.Round(time.Millisecond), s.FrontSize, s.Hypervolume, note, s.Front)
	return err
}
