package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/zeronas/zeronas/objectives"
	"github.com/zeronas/zeronas/search/exact"
	"github.com/zeronas/zeronas/search/nas"
	"github.com/zeronas/zeronas/search/rundir"
)

// parseObjectiveSpecs reads --objectives.
func parseObjectiveSpecs(list string) ([]rundir.ObjectiveSpec, error) {
	var out []rundir.ObjectiveSpec
	seen := map[string]bool{}
	for _, n := range strings.Split(list, ",") {
		n = strings.TrimSpace(n)
		sense, err := objectives.SenseOf(n)
		if err != nil {
			return nil, badInput(fmt.Errorf("--objectives: %w", err))
		}
		if seen[n] {
			return nil, badInput(fmt.Errorf("--objectives: %q given twice", n))
		}
		seen[n] = true
		out = append(out, rundir.ObjectiveSpec{Name: n, Sense: sense})
	}
	if len(out) < 2 {
		return nil, badInput(fmt.Errorf("--objectives %q: a multi-objective search needs at least two", list))
	}
	return out, nil
}

// runExact solves the space exactly and writes the run directory.
func runExact(c *cli.Context, cfg *rundir.Config, p *nas.Problem, format string) error {
	f, err := exact.Solve(c.Context, nas.ExactProblem(p), exact.Options{All: c.Bool("all")})
	if err != nil {
		if derr := rundir.Discard(c.String("out")); derr != nil {
			return derr
		}
		return badInput(fmt.Errorf("--strategy exact: %w", err))
	}
	res, err := rundir.WriteExact(c.String("out"), cfg, p.Set, f)
	if err != nil {
		return err
	}
	if format == "json" {
		return writeJSON(c.App.Writer, res)
	}
	_, err = fmt.Fprintf(c.App.Writer, "exact front of %s: %d vectors attained by %s architectures (%d partial architectures kept), hypervolume %.4f\nfront: %s/%s\n",
		cfg.Space.Name, res.Vectors, res.Architectures, f.Nodes, res.Hypervolume, c.String("out"), rundir.FrontFile)
	return err
}
