package main

import (
	"encoding/json"
	"fmt"
	"math/rand"

	"github.com/urfave/cli/v2"

	"github.com/zeronas/zeronas/space"
)

func spaceCommand() *cli.Command {
	spaceFlag := &cli.StringFlag{Name: "space", Value: space.Default, Usage: "space: nas-bench-bert, flexibert-tiny, flexibert-small, flexibert, gpt2, or a YAML file"}
	return &cli.Command{
		Name:        "space",
		Usage:       "describe, sample or count a search space",
		Description: "Inspects a space: its choices (describe), uniform random architectures in canonical JSON Lines (sample), and its exact size (count).",
		Subcommands: []*cli.Command{
			{
				Name:        "describe",
				Usage:       "print the choices of a space",
				UsageText:   "zeronas space describe [--space S] [--format json|table]",
				Description: "Prints every choice of the space and its size.",
				Flags:       []cli.Flag{spaceFlag, formatFlag("table", "json")},
				Action: func(c *cli.Context) error {
					format, sp, err := formatAndSpace(c)
					if err != nil {
						return err
					}
					if format == "json" {
						return writeJSON(c.App.Writer, struct {
							*space.Space
							Size string `json:"size"`
						}{sp, sp.Count().String()})
					}
					ops := ""
					for _, o := range sp.Ops {
						ops += o.Op + "-" + o.Param + " "
					}
					rows := [][]string{
						{"name", sp.Name}, {"hidden", fmt.Sprint(sp.Hidden)}, {"depths", fmt.Sprint(sp.Depths)},
						{"heads", fmt.Sprint(sp.Heads)}, {"operations", ops}, {"ff counts", fmt.Sprint(sp.FFCounts)},
						{"ff widths", fmt.Sprint(sp.FFWidths)}, {"shared hidden", fmt.Sprint(sp.SharedHidden)},
						{"uniform ff", fmt.Sprint(sp.UniformFF)}}
					for _, e := range sp.Embeds {
						rows = append(rows, []string{"embedding", string(mustMarshal(e))})
					}
					return writeTable(c.App.Writer, []string{"choice", "values"}, append(rows, []string{"size", sp.Count().String()}))
				},
			},
			{
				Name:        "sample",
				Usage:       "draw uniform random architectures",
				UsageText:   "zeronas space sample [--space S] [--n N] [--seed S]",
				Description: "Prints N architectures drawn uniformly from the space, one canonical JSON object per line with its id.",
				Flags: []cli.Flag{spaceFlag, &cli.IntFlag{Name: "n", Value: 1, Usage: "how many"},
					&cli.Int64Flag{Name: "seed", Value: 0, Usage: "random seed"}},
				Action: func(c *cli.Context) error {
					sp, err := loadSpace(c)
					if err != nil {
						return err
					}
					if c.Int("n") < 0 {
						return badInput(fmt.Errorf("--n %d: must not be negative", c.Int("n")))
					}
					rng := rand.New(rand.NewSource(c.Int64("seed")))
					for i := 0; i < c.Int("n"); i++ {
						a := sp.Sample(rng)
						fmt.Fprintf(c.App.Writer, "{\"id\":%q,\"layers\":%s}\n", a.ID(), a.Canonical()[len(`{"layers":`):len(a.Canonical())-1])
					}
					return nil
				},
			},
			{
				Name:        "count",
				Usage:       "print the number of architectures",
				UsageText:   "zeronas space count [--space S] [--format json|table]",
				Description: "Prints the exact number of architectures of the space.",
				Flags:       []cli.Flag{spaceFlag, formatFlag("table", "json")},
				Action: func(c *cli.Context) error {
					format, sp, err := formatAndSpace(c)
					if err != nil {
						return err
					}
					if format == "json" {
						// A string: the count may exceed what JSON numbers hold exactly.
						return writeJSON(c.App.Writer, map[string]string{"space": sp.Name, "count": sp.Count().String()})
					}
					fmt.Fprintln(c.App.Writer, sp.Count().String())
					return nil
				},
			},
		},
	}
}

// formatAndSpace reads --format (table or json) and --space.
func formatAndSpace(c *cli.Context) (string, *space.Space, error) {
	format, err := checkFormat(c, "table", "json")
	if err != nil {
		return "", nil, err
	}
	sp, err := loadSpace(c)
	return format, sp, err
}

// mustMarshal encodes v, which holds only numbers, strings and slices of them.
func mustMarshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
