// Package rundir keeps a search on disk: run.json (the configuration, written first),
// checkpoint.json (the last complete generation, replaced atomically), archive.jsonl (every
// evaluated architecture, appended and synced), generations.jsonl (per-generation
// statistics) and front.json (the Pareto archive, replaced atomically). A kill at any
// moment leaves a directory that resumes to the result an uninterrupted run gives.
package rundir

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/zeronas/zeronas/objectives"
	"github.com/zeronas/zeronas/objectives/latency"
	"github.com/zeronas/zeronas/proxy"
	"github.com/zeronas/zeronas/search"
	"github.com/zeronas/zeronas/search/nas"
	"github.com/zeronas/zeronas/space"
)

// File names inside a run directory.
const (
	ConfigFile      = "run.json"
	CheckpointFile  = "checkpoint.json"
	ArchiveFile     = "archive.jsonl"
	GenerationsFile = "generations.jsonl"
	FrontFile       = "front.json"
	LatencyFile     = "latency-table.json"
)

// ObjectiveSpec names an objective and its sense.
type ObjectiveSpec struct {
	Name  string           `json:"name"`
	Sense objectives.Sense `json:"sense"`
}

// LatencySpec says which latency model a run uses.
type LatencySpec struct {
	// Model is "table" (measured per-block costs, kept in the run directory as
	// LatencyFile) or "flops" (the analytic estimate).
	Model       string `json:"model"`
	Description string `json:"description"`
	// SHA256 is the digest of the table file, so a changed copy is noticed.
	SHA256 string `json:"sha256,omitempty"`
}

// Budget is how far a run may go; a resume may extend it.
type Budget struct {
	Generations int           `json:"generations,omitempty"`
	Evaluations int           `json:"max_evals,omitempty"`
	TimeLimit   time.Duration `json:"time_limit,omitempty"`
}

// Config is run.json: everything the result of a run depends on.
type Config struct {
	Version     string          `json:"version"`
	Space       *space.Space    `json:"space"`
	Objectives  []ObjectiveSpec `json:"objectives"`
	Proxy       proxy.Settings  `json:"proxy"`
	AlphaSource string          `json:"alpha_source"`
	Latency     LatencySpec     `json:"latency"`
	Strategy    string          `json:"strategy"`
	NSGA2       search.NSGA2    `json:"nsga2"`
	Seed        uint64          `json:"seed"`
	Budget      Budget          `json:"budget"`
	MaxParams   float64         `json:"max_params,omitempty"`
	MaxLatency  float64         `json:"max_latency_ms,omitempty"`
}

// Method returns the search method the configuration names.
func (c *Config) Method() (search.Method, error) {
	switch c.Strategy {
	case "nsga2":
		return c.NSGA2, nil
	case "random":
		return search.Random{BatchSize: c.NSGA2.PopSize}, nil
	case "exhaustive":
		return search.Exhaustive{}, nil
	}
	return nil, fmt.Errorf("strategy %q: want nsga2, random or exhaustive", c.Strategy)
}

// Settings returns the search settings of the configuration.
func (c *Config) Settings() search.Settings {
	return search.Settings{Seed: c.Seed, Generations: c.Budget.Generations, Evaluations: c.Budget.Evaluations, Runtime: c.Budget.TimeLimit}
}

// DevicePrefix starts the latency model of a run whose latency is measured on a device
// (hardware in the loop): "device:NAME". Only workers started for NAME evaluate it.
const DevicePrefix = "device:"

// Names returns the objective names in order.
func (c *Config) Names() []string {
	n := make([]string, len(c.Objectives))
	for i, o := range c.Objectives {
		n[i] = o.Name
	}
	return n
}

// Problem builds the search problem of the configuration in run directory dir (where the
// latency table is kept).
func (c *Config) Problem(dir string) (*nas.Problem, error) {
	z, err := proxy.NewZeroLM(c.Proxy)
	if err != nil {
		return nil, err
	}
	var lat objectives.LatencyModel
	device, measured := strings.CutPrefix(c.Latency.Model, DevicePrefix)
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
	case "":
	default:
		if !measured || device == "" {
			return nil, fmt.Errorf("latency model %q: want table, flops or %sNAME", c.Latency.Model, DevicePrefix)
		}
	}
	parseLat := lat
	if measured {
		parseLat = latency.NewAnalytic(latency.Options{}) // replaced below; there is no model
	}
	objs, err := objectives.Parse(joinNames(c.Names()), z, parseLat)
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

func joinNames(ns []string) string {
	var b bytes.Buffer
	for i, n := range ns {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(n)
	}
	return b.String()
}

// Differences lists the fields, other than the budget and version, in which c and o
// differ: a resume under different settings would not continue the same run.
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
