package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/zeronas/zeronas/search"
	reportpage "github.com/zeronas/zeronas/search/report"
	"github.com/zeronas/zeronas/space"
)

func reportCommand() *cli.Command {
	return &cli.Command{
		Name:      "report",
		Usage:     "write an interactive HTML page of a run, or one comparing runs",
		UsageText: "zeronas report DIR [DIR...] [--out FILE.html] [--force] [--no-exact]",
		Description: "Writes one self-contained HTML page (scripts, styles and data inline; it loads nothing from the network) of the " +
			"run directory DIR: the front over every evaluated architecture, each front member's layers and export configuration, " +
			"hypervolume, front size and evaluations per second per generation, the settings, and a table of the front that budgets " +
			"filter and that downloads as the CSV of 'zeronas export --format csv'. Several directories of the same space and " +
			"objectives give a page comparing their fronts and hypervolume curves (--out required). The default --out is " +
			"DIR/report.html. A file that is not a zeronas report is never replaced without --force.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Usage: "HTML file to write (default DIR/report.html for one run)"},
			&cli.BoolFlag{Name: "force", Usage: "replace an existing file that is not a zeronas report"},
			&cli.BoolFlag{Name: "no-exact", Usage: "do not solve the space's exact front to compare the run with"},
		},
		Action: func(c *cli.Context) error {
			dirs := c.Args().Slice()
			if len(dirs) == 0 {
				return badInput(fmt.Errorf("give a run directory: %s", c.Command.UsageText))
			}
			out := c.String("out")
			if out == "" && len(dirs) > 1 {
				return badInput(errors.New("comparing runs: give --out FILE.html"))
			}
			if out == "" {
				out = filepath.Join(dirs[0], reportFile)
			}
			p, err := reportpage.Build(dirs, reportpage.Options{NoExact: c.Bool("no-exact")})
			if err != nil {
				return badInput(err)
			}
			if err := reportpage.WriteFile(out, p, c.Bool("force")); err != nil {
				if errors.Is(err, reportpage.ErrExists) {
					return badInput(err)
				}
				return err
			}
			_, err = fmt.Fprintf(c.App.Writer, "report of %s: %s\n", strings.Join(dirs, ", "), out)
			return err
		},
	}
}

// reportFile is the page 'zeronas report DIR' and --report write inside a run directory.
const reportFile = "report.html"

// reportFlag is search's and resume's --report.
func reportFlag() cli.Flag {
	return &cli.BoolFlag{Name: "report", Usage: "rewrite DIR/" + reportFile + " (see 'zeronas report') after every generation"}
}

// withReport adds the live report recorder after rec when --report is set.
func withReport(c *cli.Context, dir string, rec search.Recorder[space.Arch]) search.Recorder[space.Arch] {
	if !c.Bool("report") {
		return rec
	}
	return search.Recorders[space.Arch](rec, reportpage.NewRecorder(dir, filepath.Join(dir, reportFile)))
}

// reportAfter writes the page of dir once, when --report is set: for a run that has no
// generations to record, the exact strategy's.
func reportAfter(c *cli.Context, dir string) error {
	if !c.Bool("report") {
		return nil
	}
	p, err := reportpage.Build([]string{dir}, reportpage.Options{})
	if err != nil {
		return err
	}
	return reportpage.WriteFile(filepath.Join(dir, reportFile), p, false)
}
