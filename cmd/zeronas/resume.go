package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/zeronas/zeronas/search/rundir"
)

func resumeCommand() *cli.Command {
	return &cli.Command{
		Name:      "resume",
		Usage:     "continue a stopped, crashed or finished search",
		UsageText: "zeronas resume DIR [--generations N | --max-evals E | --time-limit D] [--seed N] [--force]",
		Description: "Continues the run in DIR from its last complete generation to its stored budget, or to a new total given here " +
			"(which extends a finished run). The result equals an uninterrupted run's, byte for byte. A complete run is left as it is. " +
			"Settings that would change the run (here: --seed) are refused unless --force.",
		Flags: append([]cli.Flag{
			&cli.IntFlag{Name: "generations", Usage: "new total of generations"},
			&cli.IntFlag{Name: "max-evals", Usage: "new total of evaluations"},
			&cli.DurationFlag{Name: "time-limit", Usage: "wall time of this call"},
			&cli.Uint64Flag{Name: "seed", Usage: "the run's seed (must match run.json unless --force)"},
			&cli.BoolFlag{Name: "force", Usage: "resume even with settings that differ from run.json"},
			&cli.IntFlag{Name: "workers", Value: defaultWorkers(), Usage: "parallel evaluation workers (never changes the result)"},
			formatFlag("table", "json"),
		}, natsFlags()...),
		Action: runResume,
	}
}

func runResume(c *cli.Context) error {
	format, log, err := formatAndLogger(c, "table", "json")
	if err != nil {
		return err
	}
	dir, err := runDirArg(c)
	if err != nil {
		return err
	}
	stored, err := rundir.ReadConfig(dir)
	if err != nil {
		return badInput(err)
	}
	cfg := *stored
	if c.IsSet("seed") {
		cfg.Seed = c.Uint64("seed")
	}
	if diffs := stored.Differences(&cfg); len(diffs) > 0 && !c.Bool("force") {
		return mismatchError{fmt.Errorf("%s: settings differ from run.json (use --force to resume anyway): %s", dir, strings.Join(diffs, "; "))}
	}
	if cfg.Strategy == "exact" {
		fmt.Fprintf(c.App.Writer, "%s is complete: the exact strategy leaves nothing to resume\n", dir)
		return nil
	}
	extended := false
	if c.IsSet("generations") {
		cfg.Budget.Generations, extended = c.Int("generations"), true
	}
	if c.IsSet("max-evals") {
		cfg.Budget.Evaluations, extended = c.Int("max-evals"), true
	}
	if c.IsSet("time-limit") {
		cfg.Budget.TimeLimit = c.Duration("time-limit")
	}
	p, err := cfg.Problem(dir)
	if err != nil {
		return badInput(fmt.Errorf("%s: %w", dir, err))
	}
	res, rec, err := rundir.Resume(dir, &cfg)
	if err != nil {
		return badInput(err)
	}
	if extended || cfg.Seed != stored.Seed {
		if err := rundir.UpdateConfig(dir, &cfg); err != nil {
			return err
		}
	}
	return minimize(c, dir, &cfg, p, rec, res, format, log)
}
