package main

import (
	"fmt"
	"io"
	"strconv"

	"github.com/urfave/cli/v2"

	"github.com/zeronas/zeronas/objectives"
	"github.com/zeronas/zeronas/objectives/latency"
	"github.com/zeronas/zeronas/proxy"
)

func scoreCommand() *cli.Command {
	return &cli.Command{
		Name:        "score",
		Usage:       "score architectures with the ZeroLM proxy",
		UsageText:   "zeronas score --bench FILE | --arch FILE [--space S] [--build B] [--init I] [--stat S] [--mode M] [--alpha A] [--seed N] [--format json|csv|table]",
		Description: "Scores every architecture of a benchmark or architecture file: parameters, analytic FLOPs, the two ZeroLM sub-module sums, the score and the predicted latency (the measured per-block table of this machine by default, or --latency flops).",
		Flags: append(append(proxyFlags(), latencyChoiceFlags()...),
			&cli.StringFlag{Name: "bench", Usage: "benchmark file (NAS-Bench-BERT JSON list or JSON Lines)"},
			&cli.StringFlag{Name: "arch", Usage: "architecture file (canonical JSON: one object, a list, or JSON Lines)"},
			formatFlag("table", "json", "csv")),
		Action: func(c *cli.Context) error {
			in, err := readScoringInputs(c, "table", "json", "csv")
			if err != nil {
				return err
			}
			format, sp, recs, set, src := in.format, in.space, in.records, in.settings, in.alphaSource
			log, err := newLogger(c)
			if err != nil {
				return err
			}
			lat, err := latency.Choose(c.Context, sp, latencyChoice(c), log, func(s string) { fmt.Fprintln(c.App.ErrWriter, s) })
			if err != nil {
				return badInput(err)
			}
			z, err := proxy.NewZeroLM(set)
			if err != nil {
				return badInput(err)
			}
			log.Sugar().Infow("scoring", "records", len(recs), "settings", set, "alpha_source", src, "note", set.Note(), "latency", lat.Description)
			// The settings and the alpha's provenance go with every score, on stderr so
			// that stdout stays a clean table, CSV or JSON.
			fmt.Fprintf(c.App.ErrWriter, "zerolm: build %s, init %s, stat %s, alpha %g (%s); %s; latency: %s\n",
				set.Build, set.Init, set.Stat, set.Alpha, src, set.Note(), lat.Description)
			scores, err := objectives.ScoreArchs(c.Context, archsOf(recs), z, lat.Model, c.Int("workers"))
			if err != nil {
				return err
			}
			rows := make([]scoreRow, len(recs))
			for i, r := range recs {
				rows[i] = scoreRow{ID: r.ID, Scores: scores[i]}
			}
			return writeScores(c.App.Writer, format, rows)
		},
	}
}

// scoreRow is one line of `zeronas score`; its JSON keys are a contract.
type scoreRow struct {
	ID string `json:"id"`
	objectives.Scores
}

func writeScores(w io.Writer, format string, rows []scoreRow) error {
	if format == "json" {
		return writeJSON(w, rows)
	}
	header := []string{"id", "arch_id", "params", "flops", "s_attn", "s_ffn", "score", "latency_ms"}
	out := make([][]string, len(rows))
	g := func(v float64) string { return strconv.FormatFloat(v, 'g', 8, 64) }
	for i, r := range rows {
		out[i] = []string{r.ID, r.ArchID, strconv.FormatInt(r.Params, 10), g(r.FLOPs), g(r.Attn), g(r.FFN), g(r.Score), fmt.Sprintf("%.3f", r.LatencyMS)}
	}
	if format == "csv" {
		return writeCSV(w, header, out)
	}
	return writeTable(w, header, out)
}
