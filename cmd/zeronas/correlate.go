package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/zeronas/zeronas/internal/parallel"
	"github.com/zeronas/zeronas/proxy"
	"github.com/zeronas/zeronas/proxy/rank"
	"github.com/zeronas/zeronas/space"
)

func correlateCommand() *cli.Command {
	return &cli.Command{
		Name:        "correlate",
		Usage:       "rank-correlate a proxy with a benchmark's trained scores",
		UsageText:   "zeronas correlate --bench FILE [--proxy zerolm|params|flops|attn|ffn] [--alpha A] [proxy flags] [--format json|table]",
		Description: "Prints Spearman's rho (average ranks) and Kendall's tau-b between a proxy and the benchmark's target (scores.glue for NAS-Bench-BERT) over every record.",
		Flags: append(proxyFlags(),
			&cli.StringFlag{Name: "bench", Usage: "benchmark file", Required: true},
			&cli.StringFlag{Name: "proxy", Value: "zerolm", Usage: "proxy: " + strings.Join(proxy.ProxyNames(), ", ")},
			formatFlag("table", "json")),
		Action: func(c *cli.Context) error {
			in, err := readScoringInputs(c, "table", "json")
			if err != nil {
				return err
			}
			recs, set, src := in.records, in.settings, in.alphaSource
			p, err := proxy.New(c.String("proxy"), set)
			if err != nil {
				return badInput(err)
			}
			res, err := correlate(c.Context, c.String("bench"), recs, p, c.Int("workers"))
			if err != nil {
				return err
			}
			res.Alpha, res.AlphaSource, res.Settings, res.Note = set.Alpha, src, set, set.Note()
			return writeCorrelation(c.App.Writer, in.format, res)
		},
	}
}

// correlation is the output of `zeronas correlate`; its JSON keys are a contract.
type correlation struct {
	N           int            `json:"n"`
	Spearman    float64        `json:"spearman"`
	Kendall     float64        `json:"kendall"`
	Proxy       string         `json:"proxy"`
	Target      string         `json:"target"`
	Alpha       float64        `json:"alpha"`
	AlphaSource string         `json:"alpha_source"`
	Settings    proxy.Settings `json:"settings"`
	Note        string         `json:"note"`
}

func correlate(ctx context.Context, file string, recs []space.Record, p proxy.Proxy, workers int) (correlation, error) {
	y, err := proxy.Labels(file, recs)
	if err != nil {
		return correlation{}, badInput(err)
	}
	x := make([]float64, len(recs))
	err = parallel.For(ctx, len(recs), workers, func(_, i int) error {
		x[i] = p.Value(recs[i].Arch)
		return nil
	})
	if err != nil {
		return correlation{}, err
	}
	rho, err := rank.Spearman(x, y)
	if err != nil {
		return correlation{}, badInput(fmt.Errorf("%s: %w", file, err))
	}
	tau, _ := rank.KendallTauB(x, y)
	return correlation{N: len(recs), Spearman: rho, Kendall: tau, Proxy: p.Name(), Target: "scores." + proxy.Target}, nil
}

func writeCorrelation(w io.Writer, format string, r correlation) error {
	if format == "json" {
		return writeJSON(w, r)
	}
	return writeTable(w, []string{"proxy", "n", "spearman", "kendall", "alpha", "build", "init", "stat", "mode"},
		[][]string{{r.Proxy, fmt.Sprint(r.N), fmt.Sprintf("%.4f", r.Spearman), fmt.Sprintf("%.4f", r.Kendall),
			fmt.Sprintf("%.3f", r.Alpha), r.Settings.Build.String(), string(r.Settings.Init), string(r.Settings.Stat), string(r.Settings.Mode)}})
}
