package main

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime"

	"github.com/urfave/cli/v2"

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
		cal, err := readAlphaFile(c.String("alpha-file"))
		if err != nil {
			return set, "", badInput(err)
		}
		set.Alpha, alphaSource = cal.Alpha, c.String("alpha-file")
	default:
		d := proxy.DefaultAlphaFor(sp)
		set.Alpha = d.Alpha
		alphaSource = fmt.Sprintf("default: %s strategy on %d records of %s, seed %d", d.Strategy, d.Sample, d.Source, d.Seed)
	}
	return set, alphaSource, nil
}

func readAlphaFile(path string) (proxy.Calibrated, error) {
	var cal proxy.Calibrated
	data, err := os.ReadFile(path)
	if err != nil {
		return cal, fmt.Errorf("--alpha-file: %w", err)
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(data, &probe); err != nil {
		return cal, fmt.Errorf("%s: %w", path, err)
	}
	if _, ok := probe["alpha"]; !ok {
		return cal, fmt.Errorf("%s: missing field alpha", path)
	}
	if err := json.Unmarshal(data, &cal); err != nil {
		return cal, fmt.Errorf("%s: %w", path, err)
	}
	return cal, nil
}

// loadSpace reads --space.
func loadSpace(c *cli.Context) (*space.Space, error) {
	s, err := space.Load(c.String("space"))
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
	recs, err := space.ReadRecords(path, sp)
	return recs, badInput(err)
}

// parallel calls f(i) for i in [0, n) on workers goroutines; each i is written by one
// call, so the results do not depend on scheduling.
func parallel(n, workers int, f func(i int)) {
	if workers < 1 {
		workers = 1
	}
	next := make(chan int)
	done := make(chan struct{})
	for w := 0; w < workers; w++ {
		go func() {
			for i := range next {
				f(i)
			}
			done <- struct{}{}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	for w := 0; w < workers; w++ {
		<-done
	}
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
		if data, err := os.ReadFile(bench); err == nil && space.IsLTSFile(data) {
			s, err := space.Load("gpt2")
			return s, badInput(err)
		}
	}
	return loadSpace(c)
}
