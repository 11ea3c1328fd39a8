package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/urfave/cli/v2"
	"go.uber.org/zap"

	"github.com/zeronas/zeronas/objectives/latency"
	"github.com/zeronas/zeronas/space"
)

// latencyCommand is `zeronas latency`: measure forward passes, calibrate the measured
// latency table and validate a latency model against measurement.
func latencyCommand() *cli.Command {
	return &cli.Command{
		Name:  "latency",
		Usage: "measure latency, calibrate the latency table, validate the latency model",
		Description: "Latency is measured, not guessed: a pure-Go float32 forward pass of each architecture's faithful encoder (or GPT-2 decoder), " +
			"timed with warm-up runs and a fixed number of threads. The search predicts latency from a table of measured " +
			"costs per block (embeddings, mixing blocks, feed-forward stacks, projections), built once per machine and space.",
		Subcommands: []*cli.Command{latencyMeasureCommand(), latencyCalibrateCommand(), latencyValidateCommand()},
	}
}

// latMeasurementFlags are the measurement settings every latency subcommand shares.
func latMeasurementFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "space", Value: space.Default, Usage: "space: nas-bench-bert, flexibert-tiny, flexibert-small, flexibert, gpt2, or a YAML file"},
		&cli.IntFlag{Name: "batch", Value: latency.DefaultBatch, Usage: "batch size"},
		&cli.IntFlag{Name: "seq-len", Value: latency.DefaultSeqLen, Usage: "sequence length (at most 512)"},
		&cli.IntFlag{Name: "reps", Value: latency.DefaultReps, Usage: "timed repetitions"},
		&cli.IntFlag{Name: "warmup", Value: latency.DefaultWarmup, Usage: "untimed warm-up runs"},
		&cli.IntFlag{Name: "threads", Value: latency.DefaultThreads, Usage: "GOMAXPROCS while timing"},
		&cli.StringFlag{Name: "statistic", Value: latency.StatP10, Usage: "statistic of the repetitions the table and comparisons use: p10, median or min"},
	}
}

// latOptionsOf reads latMeasurementFlags; a flag left unset is 0 (its default), so that a
// table's own settings can fill it.
func latOptionsOf(c *cli.Context) (latency.Options, error) {
	if err := positiveOr(c, "leave it out for the default", "batch", "seq-len", "reps", "threads"); err != nil {
		return latency.Options{}, err
	}
	if c.IsSet("warmup") && c.Int("warmup") < 0 {
		return latency.Options{}, badInput(fmt.Errorf("--warmup %d: must be 0 or more", c.Int("warmup")))
	}
	num := func(name string) int {
		if c.IsSet(name) {
			return c.Int(name)
		}
		return 0
	}
	o := latency.Options{Batch: num("batch"), SeqLen: num("seq-len"), Reps: num("reps"), Warmup: num("warmup"), Threads: num("threads")}
	if c.IsSet("warmup") && o.Warmup == 0 {
		o.Warmup = -1 // explicitly none
	}
	if c.IsSet("statistic") {
		o.Statistic = c.String("statistic")
	}
	return o, nil
}

// latFormatLogger reads --format (table or json) and the logging flags.
func latFormatLogger(c *cli.Context) (string, *zap.Logger, error) {
	format, err := checkFormat(c, "table", "json")
	if err != nil {
		return "", nil, err
	}
	log, err := newLogger(c)
	return format, log, err
}

// latProgress logs the advance of a long measurement.
func latProgress(log *zap.Logger, what string) func(done, total int) {
	return func(done, total int) { log.Info(what, zap.Int("done", done), zap.Int("of", total)) }
}

// latSettings are the settings reported with every measurement.
type latSettings struct {
	Space     string         `json:"space"`
	Batch     int            `json:"batch"`
	SeqLen    int            `json:"seq_len"`
	Reps      int            `json:"reps"`
	Warmup    int            `json:"warmup"`
	Threads   int            `json:"threads"`
	Statistic string         `json:"statistic"`
	Device    latency.Device `json:"device"`
}

func latSettingsOf(sp string, o latency.Options) latSettings {
	o = o.WithDefaults()
	return latSettings{Space: sp, Batch: o.Batch, SeqLen: o.SeqLen, Reps: o.Reps, Warmup: o.Warmup, Threads: o.Threads,
		Statistic: o.Statistic, Device: latency.ThisDevice(o.Threads)}
}

func (s latSettings) String() string {
	return fmt.Sprintf("space %s, batch %d, seq_len %d, %d reps after %d warm-up, statistic %s, on %s",
		s.Space, s.Batch, s.SeqLen, s.Reps, s.Warmup, s.Statistic, s.Device)
}

func latCheckOptions(o latency.Options) error {
	if err := o.Validate(); err != nil {
		return badInput(fmt.Errorf("latency settings: %w", err))
	}
	return nil
}

func latencyMeasureCommand() *cli.Command {
	return &cli.Command{
		Name:      "measure",
		Usage:     "time the forward pass of architectures",
		UsageText: "zeronas latency measure --bench FILE | --arch FILE [--space S] [--batch B] [--seq-len L] [--reps R] [--warmup W] [--threads T] [--format json|table]",
		Description: "Builds the faithful encoder of every architecture of a benchmark or architecture file (random seeded weights, " +
			"not timed) and times its forward pass: the median, p10 and p90 of the repetitions in milliseconds, with the device. " +
			"Architectures take turns, one pass each, so that they share the machine's load fairly.",
		Flags: append(latMeasurementFlags(),
			&cli.StringFlag{Name: "bench", Usage: "benchmark file (NAS-Bench-BERT JSON list or JSON Lines)"},
			&cli.StringFlag{Name: "arch", Usage: "architecture file (canonical JSON: one object, a list, or JSON Lines)"},
			formatFlag("table", "json")),
		Action: func(c *cli.Context) error {
			format, log, err := latFormatLogger(c)
			if err != nil {
				return err
			}
			opts, err := latOptionsOf(c)
			if err != nil {
				return err
			}
			return runLatencyMeasure(c.Context, latencyMeasureOptions{space: c.String("space"), bench: c.String("bench"),
				arch: c.String("arch"), opts: opts, format: format, log: log}, c.App.Writer)
		},
	}
}

type latencyMeasureOptions struct {
	space, bench, arch string
	opts               latency.Options
	format             string
	log                *zap.Logger
}

// latMeasureRow is one architecture of `zeronas latency measure`; its JSON keys are a contract.
type latMeasureRow struct {
	ID       string  `json:"id"`
	ArchID   string  `json:"arch_id"`
	MedianMS float64 `json:"median_ms"`
	P10MS    float64 `json:"p10_ms"`
	P90MS    float64 `json:"p90_ms"`
	MinMS    float64 `json:"min_ms"`
	Reps     int     `json:"reps"`
}

func runLatencyMeasure(ctx context.Context, o latencyMeasureOptions, w io.Writer) error {
	if err := latCheckOptions(o.opts); err != nil {
		return err
	}
	sp, err := space.LoadContext(ctx, o.space)
	if err != nil {
		return badInput(err)
	}
	if (o.bench == "") == (o.arch == "") {
		return badInput(fmt.Errorf("give --bench FILE or --arch FILE (exactly one)"))
	}
	recs, err := space.ReadRecordsContext(ctx, o.bench+o.arch, sp)
	if err != nil {
		return badInput(err)
	}
	o.opts = o.opts.ForSpace(sp)
	archs := make([]space.Arch, len(recs))
	for i, r := range recs {
		archs[i] = r.Arch
	}
	log := latLogger(o.log)
	o.opts.Progress = latProgress(log, "measured architectures")
	log.Info("measuring", zap.Int("architectures", len(archs)), zap.Stringer("settings", latSettingsOf(sp.Name, o.opts)))
	res, err := latency.MeasureArchs(ctx, archs, o.opts)
	if err != nil {
		return latencyError(err)
	}
	rows := make([]latMeasureRow, len(res))
	for i, r := range res {
		rows[i] = latMeasureRow{ID: recs[i].ID, ArchID: r.ArchID, MedianMS: r.MedianMS, P10MS: r.P10MS, P90MS: r.P90MS, MinMS: r.MinMS, Reps: r.Reps}
	}
	set := latSettingsOf(sp.Name, o.opts)
	if o.format == "json" {
		return writeJSON(w, struct {
			Settings latSettings     `json:"settings"`
			Results  []latMeasureRow `json:"results"`
		}{set, rows})
	}
	fmt.Fprintln(w, set)
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = []string{r.ID, r.ArchID, latMS(r.MedianMS), latMS(r.P10MS), latMS(r.P90MS), strconv.Itoa(r.Reps)}
	}
	return writeTable(w, []string{"id", "arch_id", "median_ms", "p10_ms", "p90_ms", "reps"}, out)
}

func latMS(v float64) string { return strconv.FormatFloat(v, 'f', 3, 64) }

func latLogger(log *zap.Logger) *zap.Logger {
	if log == nil {
		return zap.NewNop()
	}
	return log
}

func latencyCalibrateCommand() *cli.Command {
	return &cli.Command{
		Name:      "calibrate",
		Usage:     "build the measured latency table of a space",
		UsageText: "zeronas latency calibrate [--space S] [--batch B] [--seq-len L] [--reps R] [--warmup W] [--threads T] [--statistic S] [--out TABLE.json]",
		Description: "Times every distinct block of the space on this machine (the embeddings per hidden size, the mixing block per " +
			"operation, hidden size and heads, the feed-forward stacks whole or by their linears, the projections; for GPT-2, the " +
			"attention per d_model and n_head, the MLP on a grid of d_inner and the adaptive embedding and softmax on a grid of " +
			"d_model, interpolated between) and writes the table atomically: to --out, or, without it, to the cache the search reads. " +
			"A reference kernel timed between groups of blocks catches a machine whose speed drifts: such groups are timed again " +
			"and the drift is recorded in the table. Last, three whole networks are timed and every cost is scaled by the median " +
			"ratio of their measured to their summed time, so that the table predicts whole forward passes (the scale is recorded).",
		Flags: append(latMeasurementFlags(), &cli.StringFlag{Name: "out", Usage: "table file to write (default: the cache under the user cache directory)"},
			&cli.BoolFlag{Name: "force", Usage: "replace an existing --out file"}),
		Action: func(c *cli.Context) error {
			log, err := newLogger(c)
			if err != nil {
				return err
			}
			if out := c.String("out"); out != "" && !c.Bool("force") {
				if _, err := os.Stat(out); err == nil {
					return badInput(fmt.Errorf("%s exists; refusing to replace it without --force", out))
				}
			}
			opts, err := latOptionsOf(c)
			if err != nil {
				return err
			}
			return runLatencyCalibrate(c.Context, latencyCalibrateOptions{space: c.String("space"), opts: opts, out: c.String("out"), log: log}, c.App.Writer)
		},
	}
}

type latencyCalibrateOptions struct {
	space string
	opts  latency.Options
	out   string
	log   *zap.Logger
}

func runLatencyCalibrate(ctx context.Context, o latencyCalibrateOptions, w io.Writer) error {
	if err := latCheckOptions(o.opts); err != nil {
		return err
	}
	sp, err := space.LoadContext(ctx, o.space)
	if err != nil {
		return badInput(err)
	}
	o.opts = o.opts.ForSpace(sp)
	path := o.out
	if path == "" {
		if path, err = latency.DefaultTablePath(sp, o.opts); err != nil {
			return err
		}
	}
	log := latLogger(o.log)
	o.opts.Progress = latProgress(log, "calibrated blocks")
	t, err := latency.Calibrate(ctx, sp, o.opts, log)
	if err != nil {
		return latencyError(err)
	}
	if err := t.Write(path); err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "wrote %s: %d blocks of space %s in %.1f s (%s); %s; %s\n", path, len(t.Entries), sp.Name, t.CalibrationSeconds,
		latSettingsOf(sp.Name, o.opts), t.Reference, t.Network)
	return err
}

func latencyValidateCommand() *cli.Command {
	return &cli.Command{
		Name:      "validate",
		Usage:     "compare the latency model with measurement",
		UsageText: "zeronas latency validate [--space S] [--samples N] [--seed N] [--latency-table FILE | --latency flops] [measurement flags] [--format json|table]",
		Description: "Draws N architectures uniformly from the space (seeded), predicts their latency with the model (the table of " +
			"--latency-table, else the cached table, calibrated on first use; or, with --latency flops, the analytic FLOPs model) and measures them: " +
			"prints the Spearman rank correlation and the median relative error with the settings. A table's batch, sequence " +
			"length and statistic are used unless given.",
		Flags: append(latMeasurementFlags(),
			&cli.IntFlag{Name: "samples", Value: 30, Usage: "architectures to measure"},
			&cli.Int64Flag{Name: "seed", Value: 0, Usage: "seed of the architecture sample"},
			&cli.StringFlag{Name: "latency-table", Usage: "latency table file (default: the cached table of the space)"},
			&cli.StringFlag{Name: "latency", Value: latency.ModelTable, Usage: "latency model to validate: table or flops (analytic), as in score and search"},
			formatFlag("table", "json")),
		Action: func(c *cli.Context) error {
			format, log, err := latFormatLogger(c)
			if err != nil {
				return err
			}
			opts, err := latOptionsOf(c)
			if err != nil {
				return err
			}
			return runLatencyValidate(c.Context, latencyValidateOptions{space: c.String("space"), samples: c.Int("samples"),
				seed: c.Int64("seed"), table: c.String("latency-table"), model: c.String("latency"), opts: opts,
				format: format, log: log}, c.App.Writer)
		},
	}
}

type latencyValidateOptions struct {
	space        string
	samples      int
	seed         int64
	table, model string
	opts         latency.Options
	format       string
	log          *zap.Logger
}

func runLatencyValidate(ctx context.Context, o latencyValidateOptions, w io.Writer) error {
	sp, err := space.LoadContext(ctx, o.space)
	if err != nil {
		return badInput(err)
	}
	if o.samples < 2 {
		return badInput(fmt.Errorf("--samples %d: need at least 2", o.samples))
	}
	log := latLogger(o.log)
	m, err := latency.ValidationModel(ctx, sp, latency.Choice{Model: o.model, Table: o.table}, &o.opts, log)
	if err != nil {
		return badInput(err)
	}
	if err := latCheckOptions(o.opts); err != nil {
		return err
	}
	o.opts.Progress = latProgress(log, "measured architectures")
	v, err := latency.Validate(ctx, sp, m, o.samples, o.seed, o.opts, log)
	if err != nil {
		return latencyError(err)
	}
	if o.format == "json" {
		return writeJSON(w, v)
	}
	set := latSettingsOf(sp.Name, o.opts)
	drift, moved, scale := "none recorded", "n/a", "none recorded (costs are sums of blocks)"
	if v.TableReference != nil {
		drift = fmt.Sprintf("%.4f (%s)", v.TableReference.Drift, v.TableReference)
	}
	if v.TableNetwork != nil {
		scale = fmt.Sprintf("%.4f (%d whole networks at calibration)", v.TableNetwork.Scale, len(v.TableNetwork.Networks))
	}
	if v.ReferenceMoved != nil {
		moved = fmt.Sprintf("%.4f", *v.ReferenceMoved)
	}
	return writeTable(w, []string{"setting", "value"}, [][]string{
		{"table_drift", drift}, {"network_scale", scale}, {"reference_ms", fmt.Sprintf("%.4f", v.ReferenceMS)}, {"reference_moved", moved},
		{"n", strconv.Itoa(v.N)}, {"spearman", fmt.Sprintf("%.4f", v.Spearman)},
		{"median_rel_error", fmt.Sprintf("%.4f", v.MedianRelError)}, {"median_ratio", fmt.Sprintf("%.4f", v.MedianRatio)},
		{"spread", fmt.Sprintf("%.4f", v.Spread)}, {"model", v.Model}, {"space", sp.Name},
		{"seed", strconv.FormatInt(o.seed, 10)}, {"batch", strconv.Itoa(set.Batch)}, {"seq_len", strconv.Itoa(set.SeqLen)},
		{"reps", strconv.Itoa(set.Reps)}, {"warmup", strconv.Itoa(set.Warmup)}, {"threads", strconv.Itoa(set.Threads)},
		{"statistic", set.Statistic}, {"device", set.Device.String()}})
}

// latencyError marks a measurement refused for its memory as an input error.
func latencyError(err error) error {
	var me *latency.MemoryError
	if errors.As(err, &me) {
		return badInput(err)
	}
	return err
}
