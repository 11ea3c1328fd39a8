package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/zeronas/zeronas/search/rundir"
)

func resumeCommand() *cli.Command {
	return &cli.Command{
		Name:      "resume",
		Usage:     "continue a stopped, crashed or finished search",
		UsageText: "zeronas resume DIR [--generations N | --max-evals E | --time-limit D] [--seed N] [--force]",
		Description: "Continues the run in DIR from its last complete generation (from generation 0 if none completed) to its stored budget, " +
			"or to a new total given here (which extends a finished run). The result equals an uninterrupted run's, byte for byte. " +
			"A complete run is left as it is. Settings that would change the run (here: --seed) are refused unless --force.",
		Flags: append([]cli.Flag{
			&cli.IntFlag{Name: "generations", Usage: "new total of generations, at least 1"},
			&cli.IntFlag{Name: "max-evals", Usage: "new total of evaluations, at least 1"},
			&cli.DurationFlag{Name: "time-limit", Usage: "wall time of this call, e.g. 10m"},
			&cli.Uint64Flag{Name: "seed", Usage: "the run's seed (must match run.json unless --force)"},
			&cli.BoolFlag{Name: "force", Usage: "resume even with settings that differ from run.json"},
			&cli.IntFlag{Name: "workers", Value: defaultWorkers(), Usage: fmt.Sprintf("parallel evaluation workers, 1 to %d (never changes the result)", rundir.MaxWorkers)},
			formatFlag("table", "json"),
			reportFlag(),
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
	if err := positiveIfSet(c, "generations", "max-evals", "time-limit"); err != nil {
		return err
	}
	var ov rundir.Overrides
	if c.IsSet("generations") {
		n := c.Int("generations")
		ov.Generations = &n
	}
	if c.IsSet("max-evals") {
		n := c.Int("max-evals")
		ov.Evaluations = &n
	}
	if c.IsSet("time-limit") {
		d := c.Duration("time-limit")
		ov.TimeLimit = &d
	}
	if c.IsSet("seed") {
		s := c.Uint64("seed")
		ov.Seed = &s
	}
	budget := rundir.Budget{}
	if ov.Generations != nil {
		budget.Generations = *ov.Generations
	}
	if ov.Evaluations != nil {
		budget.Evaluations = *ov.Evaluations
	}
	if budget == (rundir.Budget{}) {
		if cfg, err := rundir.ReadConfig(dir); err == nil {
			budget = cfg.Budget
		}
	}
	opts, finish := runOptions(c, log, budget, dir)
	out, err := rundir.Continue(hardContext(c.Context), dir, ov, opts)
	finish()
	if err != nil {
		return runError(err)
	}
	if out.Search == nil {
		_, err := fmt.Fprintf(c.App.Writer, "%s is complete: the exact strategy leaves nothing to resume\n", dir)
		return err
	}
	return writeOutcome(c.App.Writer, c.App.ErrWriter, format, out)
}
