package main

import (
	"fmt"
	"runtime"

	"github.com/urfave/cli/v2"

	"github.com/zeronas/zeronas/internal/input"
	"github.com/zeronas/zeronas/objectives/latency"
	"github.com/zeronas/zeronas/proxy"
	"github.com/zeronas/zeronas/space"
)

// proxyFlags are the settings every scoring command shares.
func proxyFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "space", Value: space.Default, Usage: "space: nas-bench-bert, flexibert-tiny, flexibert-small, flexibert, gpt2, or a YAML file"},
		&cli.StringFlag{Name: "build", Value: "faithful", Usage: "proxy model build: faithful, legacy or as-trained (FlexiBERT); faithful or transformer-xl (GPT-2)"},
		&cli.StringFlag{Name: "init", Value: string(proxy.Normal), Usage: "weight init: normal (N(0, 0.02)), xavier or torch"},
		&cli.StringFlag{Name: "stat", Value: string(proxy.Frob), Usage: "capacity statistic: frob, nuclear, stable-rank or entropy"},
		&cli.StringFlag{Name: "mode", Value: string(proxy.Expected), Usage: "sampled (seeded real weights) or expected (the expectation over the init)"},
		&cli.Float64Flag{Name: "alpha", Usage: "attention weight alpha (default: the alpha calibrated on the embedded benchmark)"},
		&cli.StringFlag{Name: "alpha-file", Usage: "read alpha from the JSON output of 'zeronas calibrate'"},
		&cli.Float64Flag{Name: "embed", Usage: "weight of the embedding sub-module added to the score (0: embeddings excluded, as ZeroLM)"},
		&cli.Uint64Flag{Name: "seed", Value: 0, Usage: "seed of the sampled weights (and of any sampling)"},
		&cli.IntFlag{Name: "workers", Value: defaultWorkers(), Usage: "parallel workers (never changes the result)"},
	}
}

// proxySettings reads the shared flags for space sp; alphaSource says where alpha came from.
func proxySettings(c *cli.Context, sp *space.Space) (set proxy.Settings, alphaSource string, err error) {
	b, err := space.ParseBuild(c.String("build"))
	if err != nil {
		return set, "", badInput(fmt.Errorf("--build: %w", err))
	}
	if err := sp.CheckBuild(b); err != nil {
		return set, "", badInput(fmt.Errorf("--build: %w", err))
	}
	set = proxy.Settings{Build: b, Init: proxy.Init(c.String("init")), Stat: proxy.Stat(c.String("stat")),
		Mode: proxy.Mode(c.String("mode")), Seed: c.Uint64("seed"), Embed: c.Float64("embed")}
	if err := set.Validate(); err != nil {
		return set, "", badInput(err)
	}
	switch {
	case c.IsSet("alpha") && c.IsSet("alpha-file"):
		return set, "", badInput(fmt.Errorf("give --alpha or --alpha-file, not both"))
	case c.IsSet("alpha"):
		set.Alpha, alphaSource = c.Float64("alpha"), "--alpha"
	case c.IsSet("alpha-file"):
		cal, err := proxy.ReadCalibrated(c.Context, c.String("alpha-file"))
		if err != nil {
			return set, "", badInput(fmt.Errorf("--alpha-file: %w", err))
		}
		set.Alpha, alphaSource = cal.Alpha, c.String("alpha-file")
	default:
		d := proxy.DefaultAlphaFor(sp)
		set.Alpha = d.Alpha
		alphaSource = fmt.Sprintf("default: %s strategy on %d records of %s, seed %d", d.Strategy, d.Sample, d.Source, d.Seed)
	}
	return set, alphaSource, nil
}

// loadSpace reads --space.
func loadSpace(c *cli.Context) (*space.Space, error) {
	s, err := space.LoadContext(c.Context, c.String("space"))
	return s, badInput(err)
}

// readInput reads the records of --bench or --arch (exactly one of them).
func readInput(c *cli.Context, sp *space.Space) ([]space.Record, error) {
	bench, arch := c.String("bench"), c.String("arch")
	switch {
	case bench != "" && arch != "":
		return nil, badInput(fmt.Errorf("give --bench or --arch, not both"))
	case bench == "" && arch == "":
		return nil, badInput(fmt.Errorf("give --bench FILE or --arch FILE"))
	}
	path := bench + arch
	recs, err := space.ReadRecordsContext(c.Context, path, sp)
	return recs, badInput(err)
}

// archsOf returns the architectures of records.
func archsOf(recs []space.Record) []space.Arch {
	archs := make([]space.Arch, len(recs))
	for i, r := range recs {
		archs[i] = r.Arch
	}
	return archs
}

// latencyChoiceFlags choose the latency model of score and search.
func latencyChoiceFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "latency", Usage: "latency model: table (measured per-block costs on this machine, cached; the default for every space) or flops (analytic, deterministic)"},
		&cli.StringFlag{Name: "latency-table", Usage: "a latency table file (see 'zeronas latency calibrate'), e.g. measured on your target device"},
	}
}

// latencyChoice reads --latency and --latency-table; an empty model is the space's default.
func latencyChoice(c *cli.Context) latency.Choice {
	return latency.Choice{Model: c.String("latency"), Table: c.String("latency-table")}
}

// defaultWorkers is one worker per core.
func defaultWorkers() int { return runtime.GOMAXPROCS(0) }

// scoringInputs are what score, correlate and calibrate read first: the output format, the
// space, the records of --bench or --arch, and the proxy settings.
type scoringInputs struct {
	format      string
	space       *space.Space
	records     []space.Record
	settings    proxy.Settings
	alphaSource string
}

func readScoringInputs(c *cli.Context, formats ...string) (in scoringInputs, err error) {
	if in.format, err = checkFormat(c, formats...); err != nil {
		return in, err
	}
	if in.space, err = loadSpaceFor(c, c.String("bench")); err != nil {
		return in, err
	}
	if in.records, err = readInput(c, in.space); err != nil {
		return in, err
	}
	in.settings, in.alphaSource, err = proxySettings(c, in.space)
	return in, err
}

// loadSpaceFor reads --space, or, when it is not given and bench is a file of
// LiteTransformerSearch records, the gpt2 space.
func loadSpaceFor(c *cli.Context, bench string) (*space.Space, error) {
	if !c.IsSet("space") && bench != "" {
		data, err := input.ReadFile(c.Context, bench, 0)
		if err != nil {
			return nil, badInput(err)
		}
		if space.IsLTSFile(data) {
			s, err := space.Load("gpt2")
			return s, badInput(err)
		}
	}
	return loadSpace(c)
}
