package main

import (
	"errors"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/zeronas/zeronas/search/plot"
)

func plotCommand() *cli.Command {
	return &cli.Command{
		Name:      "plot",
		Usage:     "draw the fronts and the hypervolume history of a run",
		UsageText: "zeronas plot DIR --out FILE.png|FILE.svg [--force]",
		Description: "Draws the run directory DIR (written by 'zeronas search --out DIR') into one PNG or SVG image: a " +
			"scatter panel per pair of objectives with every evaluated architecture in grey and the final front in red, " +
			"and the hypervolume against the number of evaluations. The extension of --out chooses the format. An " +
			"existing file is never replaced without --force.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Usage: "image file to write: .png or .svg (required)"},
			&cli.BoolFlag{Name: "force", Usage: "replace an existing image file"},
		},
		Action: func(c *cli.Context) error {
			dir, err := runDirArg(c)
			if err != nil {
				return err
			}
			out := c.String("out")
			if out == "" {
				return badInput(errors.New("give --out FILE.png or --out FILE.svg"))
			}
			if _, err := plot.FormatOf(out); err != nil {
				return badInput(fmt.Errorf("--out %w", err))
			}
			log, err := newLogger(c)
			if err != nil {
				return err
			}
			if err := plot.Render(c.Context, dir, out, plot.Options{Force: c.Bool("force")}); err != nil {
				return runError(err)
			}
			log.Sugar().Infow("plotted", "run", dir, "out", out)
			_, err = fmt.Fprintf(c.App.Writer, "plotted %s to %s\n", dir, out)
			return err
		},
	}
}
