package rundir

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/zeronas/zeronas/objectives"
	"github.com/zeronas/zeronas/objectives/latency"
	"github.com/zeronas/zeronas/proxy"
	"github.com/zeronas/zeronas/search"
	"github.com/zeronas/zeronas/search/nas"
	"github.com/zeronas/zeronas/space"
)

// Strategy is how a run searches its space.
type Strategy string

// Strategies.
const (
	// NSGA2 is the evolutionary search (search.NSGA2).
	NSGA2 Strategy = "nsga2"
	// Random samples the space at NSGA2's budget: the baseline.
	Random Strategy = "random"
	// Exhaustive evaluates every architecture of a space of at most MaxExhaustive.
	Exhaustive Strategy = "exhaustive"
	// Exact solves the layer-wise Pareto programme (search/exact) for objectives that split
	// into per-layer terms; it evaluates nothing and completes in one step.
	Exact Strategy = "exact"
)

// Strategies lists the strategies, the default first.
func Strategies() []Strategy { return []Strategy{NSGA2, Random, Exhaustive, Exact} }

// ParseStrategy returns the strategy called s.
func ParseStrategy(s string) (Strategy, error) {
	if st := Strategy(s); slices.Contains(Strategies(), st) {
		return st, nil
	}
	return "", fmt.Errorf("unknown strategy %q (want nsga2, random, exhaustive or exact)", s)
}

// generational reports whether the strategy runs generation by generation under a budget
// and resumes from a checkpoint (every strategy but Exact).
func (s Strategy) generational() bool { return s != Exact }

// defaultBudget reports whether a run of the strategy without a budget gets
// search.DefaultGenerations (Exhaustive ends when the space does, Exact at once).
func (s Strategy) defaultBudget() bool { return s == NSGA2 || s == Random }

// MaxExhaustive is the largest space the Exhaustive strategy enumerates: NAS-Bench-BERT's
// 10.6M take about 30 s on 2 cores, so 1e9 would take about an hour.
const MaxExhaustive = 1_000_000_000

// Limits on settings: beyond them a run cannot fit in memory or a typo went unnoticed.
const (
	// MaxPopulation bounds the population (NSGA2) or batch (Random) size.
	MaxPopulation = 100_000
	// MaxWorkers bounds the parallel evaluation workers.
	MaxWorkers = 4096
)

// LatencySpec says which latency model a run uses; the table model's table is kept in the
// run directory (LatencyFile), with its SHA-256 here.
type LatencySpec struct {
	// Model is "table", "flops" or empty when the run needs no latency.
	Model       string `json:"model"`
	Description string `json:"description"`
	// SHA256 is the hex SHA-256 of the table file; empty for the flops model.
	SHA256 string `json:"sha256,omitempty"`
}

// Budget bounds a run; zero fields are no bound.
type Budget struct {
	Generations int           `json:"generations,omitempty"`
	Evaluations int           `json:"max_evals,omitempty"`
	TimeLimit   time.Duration `json:"time_limit,omitempty"`
}

// Config is run.json: everything a run's result depends on, and its budget.
type Config struct {
	Version     string          `json:"version"`
	Space       *space.Space    `json:"space"`
	Objectives  []ObjectiveSpec `json:"objectives"`
	Proxy       proxy.Settings  `json:"proxy"`
	AlphaSource string          `json:"alpha_source"`
	Latency     LatencySpec     `json:"latency"`
	Strategy    Strategy        `json:"strategy"`
	NSGA2       search.NSGA2    `json:"nsga2"`
	Seed        uint64          `json:"seed"`
	Budget      Budget          `json:"budget"`
	// MaxParams and MaxLatency are the budgets of the constrained search; 0 is none.
	MaxParams  float64 `json:"max_params,omitempty"`
	MaxLatency float64 `json:"max_latency_ms,omitempty"`
	// ExactAll lists every architecture attaining each exact front vector (up to
	// exact.MaxListed), not one.
	ExactAll bool `json:"exact_all,omitempty"`
}

// SpecError reports an invalid setting of a Config, naming its run.json field.
type SpecError struct {
	// Field is the run.json path of the setting, for example "nsga2.pop_size".
	Field string
	// Value is the offending value.
	Value any
	// Err says what is wrong.
	Err error
}

// Error names the field, its value and the problem.
func (e *SpecError) Error() string { return fmt.Sprintf("%s %v: %v", e.Field, e.Value, e.Err) }

// Unwrap returns Err.
func (e *SpecError) Unwrap() error { return e.Err }

func specError(field string, value any, format string, args ...any) error {
	return &SpecError{Field: field, Value: value, Err: fmt.Errorf(format, args...)}
}

// Validate checks every setting of c, naming the first invalid one in a *SpecError. A valid
// Config builds a Problem and a search method without error or panic.
func (c *Config) Validate() error {
	if c.Space == nil {
		return specError("space", "null", "missing")
	}
	if err := c.Space.Check(); err != nil {
		return &SpecError{Field: "space", Value: c.Space.Name, Err: err}
	}
	if len(c.Objectives) < 2 {
		return specError("objectives", len(c.Objectives), "a multi-objective search needs at least two")
	}
	for i, o := range c.Objectives {
		sense, err := objectives.SenseOf(o.Name)
		switch {
		case err != nil:
			return &SpecError{Field: fmt.Sprintf("objectives[%d].name", i), Value: o.Name, Err: err}
		case sense != o.Sense:
			return specError(fmt.Sprintf("objectives[%d].sense", i), o.Sense, "%s is %s", o.Name, sense)
		}
	}
	if _, err := objectives.ParseNames(names(c.Objectives)); err != nil {
		return &SpecError{Field: "objectives", Value: names(c.Objectives), Err: err}
	}
	if err := c.Proxy.Validate(); err != nil {
		return &SpecError{Field: "proxy", Value: c.Proxy, Err: err}
	}
	if _, err := ParseStrategy(string(c.Strategy)); err != nil {
		return &SpecError{Field: "strategy", Value: c.Strategy, Err: err}
	}
	if n := c.NSGA2.PopSize; n < 2 || n > MaxPopulation {
		return specError("nsga2.pop_size", n, "must be from 2 to %d", MaxPopulation)
	}
	for _, p := range []struct {
		field string
		v     float64
	}{{"nsga2.crossover_prob", c.NSGA2.CrossoverProb}, {"nsga2.mutation_prob", c.NSGA2.MutationProb}} {
		if math.IsNaN(p.v) || p.v > 1 || p.v < -1 {
			return specError(p.field, p.v, "must be a probability (negative: disabled)")
		}
	}
	if t := c.NSGA2.Tournament; t != search.ByDominance && t != search.ByRank {
		return specError("nsga2.tournament", t, "unknown tournament")
	}
	if err := c.Budget.validate(); err != nil {
		return err
	}
	for _, b := range []struct {
		field string
		v     float64
	}{{"max_params", c.MaxParams}, {"max_latency_ms", c.MaxLatency}} {
		if math.IsNaN(b.v) || math.IsInf(b.v, 0) || b.v < 0 {
			return specError(b.field, b.v, "must be a finite number >= 0 (0: no budget)")
		}
	}
	needs := c.needsLatency()
	device, measured := strings.CutPrefix(c.Latency.Model, DevicePrefix)
	switch {
	case measured && device == "":
		return specError("latency.model", fmt.Sprintf("%q", c.Latency.Model), "name the device: %sNAME", DevicePrefix)
	case measured && c.MaxLatency > 0:
		return specError("max_latency_ms", c.MaxLatency, "a budget needs a latency model; with %s latency is only measured", c.Latency.Model)
	case needs && c.Latency.Model != "table" && c.Latency.Model != "flops" && !measured:
		return specError("latency.model", fmt.Sprintf("%q", c.Latency.Model), "want table, flops or %sNAME", DevicePrefix)
	case !needs && c.Latency.Model != "":
		return specError("latency.model", fmt.Sprintf("%q", c.Latency.Model), "the run has no latency objective or budget")
	}
	if c.Strategy == Exhaustive {
		if n := c.Space.Count(); n.Cmp(bigInt(MaxExhaustive)) > 0 {
			return specError("strategy", c.Strategy, "space %s has %s architectures, over the limit of %d; use exact (for objectives that split into per-layer terms) or nsga2",
				c.Space.Name, n, MaxExhaustive)
		}
	}
	return nil
}

func (b Budget) validate() error {
	switch {
	case b.Generations < 0:
		return specError("budget.generations", b.Generations, "must be >= 0 (0: no limit)")
	case b.Evaluations < 0:
		return specError("budget.max_evals", b.Evaluations, "must be >= 0 (0: no limit)")
	case b.TimeLimit < 0:
		return specError("budget.time_limit", b.TimeLimit, "must be >= 0 (0: no limit)")
	}
	return nil
}

// needsLatency reports whether a latency model is needed: an objective or a budget.
func (c *Config) needsLatency() bool {
	return slices.ContainsFunc(c.Objectives, func(o ObjectiveSpec) bool { return o.Name == "latency" }) || c.MaxLatency > 0
}

// Method returns the search method of a generational strategy.
func (c *Config) Method() (search.Method, error) {
	switch c.Strategy {
	case NSGA2:
		return c.NSGA2, nil
	case Random:
		return search.Random{BatchSize: c.NSGA2.PopSize}, nil
	case Exhaustive:
		return search.Exhaustive{}, nil
	}
	return nil, fmt.Errorf("strategy %q has no search method", c.Strategy)
}

// Settings returns the search settings of c's seed and budget.
func (c *Config) Settings() search.Settings {
	return search.Settings{Seed: c.Seed, Generations: c.Budget.Generations, Evaluations: c.Budget.Evaluations, Runtime: c.Budget.TimeLimit}
}

// DevicePrefix starts the latency model of a run whose latency is measured on a device
// (hardware in the loop): "device:NAME". Only workers started for NAME evaluate it.
const DevicePrefix = "device:"

// Problem builds the search problem of c; a table latency model reads dir's LatencyFile.
func (c *Config) Problem(dir string) (*nas.Problem, error) {
	z, err := proxy.NewZeroLM(c.Proxy)
	if err != nil {
		return nil, err
	}
	var lat objectives.LatencyModel
	switch c.Latency.Model {
	case "table":
		t, err := latency.ReadTable(filepath.Join(dir, LatencyFile))
		if err != nil {
			return nil, err
		}
		if err := t.Check(c.Space); err != nil {
			return nil, err
		}
		lat = t
	case "flops":
		lat = latency.NewAnalytic(latency.Options{})
	}
	device, measured := strings.CutPrefix(c.Latency.Model, DevicePrefix)
	parseLat := lat
	if measured {
		parseLat = latency.NewAnalytic(latency.Options{}) // replaced below: nothing predicts it
	}
	objs, err := objectives.Parse(names(c.Objectives), z, parseLat)
	if err != nil {
		return nil, err
	}
	for i, o := range objs {
		if measured && o.Name() == "latency" {
			objs[i] = &objectives.Measured{Device: device}
		}
	}
	set, err := objectives.NewSet(objs, c.MaxParams, c.MaxLatency, lat)
	if err != nil {
		return nil, err
	}
	return &nas.Problem{Space: c.Space, Set: set}, nil
}

// Differences lists the settings in which o differs from c, the budget and version aside:
// a resume with any of them would not continue the same run.
func (c *Config) Differences(o *Config) []string {
	var diffs []string
	a, b := *c, *o
	a.Budget, b.Budget, a.Version, b.Version = Budget{}, Budget{}, "", ""
	fields := []struct {
		name string
		x, y any
	}{
		{"space", a.Space, b.Space}, {"objectives", a.Objectives, b.Objectives}, {"proxy", a.Proxy, b.Proxy},
		{"latency", a.Latency, b.Latency}, {"strategy", a.Strategy, b.Strategy}, {"nsga2", a.NSGA2, b.NSGA2},
		{"seed", a.Seed, b.Seed}, {"max_params", a.MaxParams, b.MaxParams}, {"max_latency_ms", a.MaxLatency, b.MaxLatency},
	}
	for _, f := range fields {
		x, _ := json.Marshal(f.x)
		y, _ := json.Marshal(f.y)
		if !bytes.Equal(x, y) {
			diffs = append(diffs, fmt.Sprintf("%s: run has %s, asked %s", f.name, x, y))
		}
	}
	return diffs
}

// ReadConfig reads and validates the run.json of dir.
func ReadConfig(dir string) (*Config, error) {
	path := filepath.Join(dir, ConfigFile)
	var c Config
	if err := readJSON(path, &c); err != nil {
		if notExist(err) {
			return nil, &FileError{File: dir, Err: fmt.Errorf("not a run directory: no %s", ConfigFile)}
		}
		return nil, err
	}
	if err := c.Validate(); err != nil {
		var se *SpecError
		if errors.As(err, &se) {
			return nil, &FileError{File: path, Field: se.Field, Err: fmt.Errorf("%v: %w", se.Value, se.Err)}
		}
		return nil, &FileError{File: path, Err: err}
	}
	return &c, nil
}

// describe summarises c in a few words, for example "space nas-bench-bert, strategy nsga2,
// seed 1".
func (c *Config) describe() string {
	return strings.Join([]string{"space " + c.Space.Name, "strategy " + string(c.Strategy), fmt.Sprintf("seed %d", c.Seed)}, ", ")
}

func bigInt(n int64) *big.Int { return big.NewInt(n) }
