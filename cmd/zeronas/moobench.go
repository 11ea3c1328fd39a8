package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/zeronas/zeronas/internal/numcheck"
	"github.com/zeronas/zeronas/search/testproblems"
)

func mooBenchCommand() *cli.Command {
	return &cli.Command{
		Name:      "moo-bench",
		Usage:     "run NSGA-II on a multi-objective test problem",
		UsageText: "zeronas moo-bench --problem zdt1|zdt2|zdt3|dtlz2 [--population N] [--generations G] [--seed S] [--format json|table]",
		Description: "Runs the NSGA-II core that searches architectures on a real-valued test problem, with Deb's bounded SBX and polynomial mutation, " +
			"and reports the hypervolume (reference point 1.1 on the problem's normalised objectives), the evaluations and the wall time.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "problem", Value: "zdt1", Usage: "test problem: " + strings.Join(testproblems.Names(), ", ")},
			&cli.IntFlag{Name: "population", Value: 100, Usage: "population size, 2 to 100000"},
			&cli.IntFlag{Name: "generations", Value: 200, Usage: "generations, 1 to 100000"},
			&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "random seed"},
			formatFlag("table", "json"),
		},
		Action: func(c *cli.Context) error {
			format, err := checkFormat(c, "table", "json")
			if err != nil {
				return err
			}
			if err := numcheck.IntRange("--population", c.Int("population"), 2, 100_000); err != nil {
				return badInput(err)
			}
			if err := numcheck.IntRange("--generations", c.Int("generations"), 1, 100_000); err != nil {
				return badInput(err)
			}
			r, err := testproblems.Bench(c.Context, c.String("problem"), c.Int("population"), c.Int("generations"), c.Uint64("seed"))
			if errors.Is(err, testproblems.ErrUnknownProblem) {
				return badInput(fmt.Errorf("--problem: %w", err))
			}
			if err != nil {
				return err
			}
			out := struct {
				testproblems.BenchResult
				HV    float64 `json:"hv"`
				Evals int     `json:"evals"`
			}{r, r.Hypervolume, r.Evaluations}
			if format == "json" {
				return writeJSON(c.App.Writer, out)
			}
			_, err = fmt.Fprintf(c.App.Writer, "%s: hv %.4f (archive %.4f), igd %.5f, front %d, %d evals in %.3f s (population %d x %d generations, seed %d)\n",
				r.Problem, r.Hypervolume, r.ArchiveHypervolume, r.IGD, r.FrontSize, r.Evaluations, r.Seconds, r.Population, r.Generations, r.Seed)
			return err
		},
	}
}
