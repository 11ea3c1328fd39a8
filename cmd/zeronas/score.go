package main

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/urfave/cli/v2"

	"github.com/zeronas/zeronas/objectives"
	"github.com/zeronas/zeronas/proxy"
	"github.com/zeronas/zeronas/space"
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
			lat, latSpec, _, err := chooseLatency(c.Context, c, sp, log)
			if err != nil {
				return err
			}
			log.Sugar().Infow("scoring", "records", len(recs), "settings", set, "alpha_source", src, "note", set.Note(), "latency", latSpec.Description)
			// The settings and the alpha's provenance go with every score, on stderr so
			// that stdout stays a clean table, CSV or JSON.
			fmt.Fprintf(c.App.ErrWriter, "zerolm: build %s, init %s, stat %s, alpha %g (%s); %s; latency: %s\n",
				set.Build, set.Init, set.Stat, set.Alpha, src, set.Note(), latSpec.Description)
			rows, err := scoreRecords(c.Context, recs, set, lat, c.Int("workers"))
			if err != nil {
				return err
			}
			return writeScores(c.App.Writer, format, rows)
		},
	}
}

// scoreRow is one line of `zeronas score`; its JSON keys are a contract.
type scoreRow struct {
	ID     string `json:"id"`
	ArchID string `json:"arch_id"`
	Params int64  `json:"params"`
	// The parameters by role in the scored build: attention, feed-forward, embeddings
	// (with a GPT-2 softmax's own parameters); params less these three is LayerNorms,
	// projections between hidden sizes and other small tensors.
	ParamsAttn      int64   `json:"params_attn"`
	ParamsFFN       int64   `json:"params_ffn"`
	ParamsEmbedding int64   `json:"params_embedding"`
	FLOPs           float64 `json:"flops"`
	Attn            float64 `json:"s_attn"`
	FFN             float64 `json:"s_ffn"`
	Score           float64 `json:"score"`
	LatencyMS       float64 `json:"latency_ms"`
	// MemoryMB is the analytic peak inference memory (space.PeakMemoryMB) of the scored
	// build at batch 1 and the FLOPs sequence length.
	MemoryMB float64 `json:"memory_mb"`
}

func scoreRecords(ctx context.Context, recs []space.Record, set proxy.Settings, lat objectives.LatencyModel, workers int) ([]scoreRow, error) {
	z, err := proxy.NewZeroLM(set)
	if err != nil {
		return nil, badInput(err)
	}
	rows := make([]scoreRow, len(recs))
	parallel(len(recs), workers, func(i int) {
		if ctx.Err() != nil {
			return
		}
		a := recs[i].Arch
		s := z.Score(a)
		p := space.ParamsByRole(a, set.Build)
		rows[i] = scoreRow{ID: recs[i].ID, ArchID: a.ID(), Params: p.Total(), ParamsAttn: p.Attention, ParamsFFN: p.FeedForward, ParamsEmbedding: p.Embedding,
			FLOPs: space.FLOPs(a, set.Build, proxy.FLOPsSeqLen), Attn: s.Attn, FFN: s.FFN, Score: s.Score, LatencyMS: objectives.Sum(lat, a),
			MemoryMB: space.PeakMemoryMB(a, set.Build, objectives.MemoryBatch, proxy.FLOPsSeqLen)}
	})
	return rows, ctx.Err()
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
