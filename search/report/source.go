package report

// This file is the only one that reads a run directory, through rundir.Open.

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/zeronas/zeronas/search/export"
	"github.com/zeronas/zeronas/search/nas"
	"github.com/zeronas/zeronas/search/rundir"
)

// snapshot is what a page is built from: a run as rundir.Open reads it, its front as the
// export package writes it, and everything evaluated up to its last complete generation.
type snapshot struct {
	run        *Run            // settings and identity filled; front, archive and history not
	objectives []Objective     // with senses; labels filled by the builder
	spaceKey   string          // the space definition, to tell whether runs compare
	defs       []string        // what each objective measures, to tell whether runs compare
	dir        *rundir.Run     // the run directory's view
	front      []export.Member // its front, as 'zeronas export' writes it
	archive    []archived      // every evaluated architecture
	history    []Generation    // one per generation
	norm       string          // the last generation's ideal, nadir and reference point
	problem    func() (*nas.Problem, error)
}

// archived is what the page needs of one line of archive.jsonl.
type archived struct {
	ID        string
	Values    map[string]float64
	Violation float64
}

// source reads a run directory through rundir.Open, and re-reads it after each generation
// of a live run, reading only the archive lines the generation added.
type source struct {
	dir     string
	archive []archived
	pos     rundir.Position // how far archive.jsonl has been read
}

// openSource checks that dir holds a run.
func openSource(dir string) (*source, error) {
	if _, err := rundir.ReadConfig(dir); err != nil {
		return nil, err
	}
	return &source{dir: dir}, nil
}

// read returns the run as of its last complete generation.
func (s *source) read() (*snapshot, error) {
	r, err := rundir.Open(s.dir)
	if err != nil {
		return nil, err
	}
	cfg := r.Config
	s.pos, err = r.ArchiveFrom(context.Background(), s.pos, func(l rundir.ArchiveLine) error {
		for _, o := range cfg.Objectives {
			if _, ok := l.Values[o.Name]; !ok {
				return fmt.Errorf("values: no value for objective %q", o.Name)
			}
		}
		s.archive = append(s.archive, archived{ID: l.ID, Values: l.Values, Violation: l.Violation})
		return nil
	})
	if err != nil {
		return nil, err
	}
	sn := &snapshot{spaceKey: mustJSON(cfg.Space), archive: s.archive, dir: r, front: export.Members(r),
		problem: func() (*nas.Problem, error) { return cfg.Problem(s.dir) }}
	for i, g := range r.Generations {
		// A recorder times its previous save; a new one (a fresh run or a resume) has none.
		resumed := i > 0 && g.Seconds.Persist == 0
		sn.history = append(sn.history, Generation{Generation: g.Generation, Evaluations: g.Evaluations, NewEvaluations: g.NewEvaluations,
			FrontSize: g.FrontSize, Feasible: g.Feasible, Hypervolume: g.Hypervolume, EvalsPerSec: g.EvalsPerSec, Resumed: resumed})
		sn.norm = mustJSON([][]float64{g.Ideal, g.Nadir, g.ReferencePoint})
	}
	for _, o := range cfg.Objectives {
		sn.objectives = append(sn.objectives, Objective{Name: o.Name, Sense: string(o.Sense)})
		sn.defs = append(sn.defs, definition(cfg, o.Name))
	}
	sn.run = &Run{Name: r.Name(), Dir: s.dir, Space: cfg.Space.Name, Strategy: string(cfg.Strategy), Seed: cfg.Seed,
		Generation: r.Front.Generation, Evaluations: r.Front.Evaluations, Feasible: r.Front.Feasible,
		MaxParams: cfg.MaxParams, MaxLatencyMS: cfg.MaxLatency, Settings: settings(cfg)}
	return sn, nil
}

// definition says what the objective name measures in cfg's run: the proxy's settings, the
// latency model and table; two runs whose objectives are defined alike compare.
func definition(cfg *rundir.Config, name string) string {
	switch name {
	case "proxy":
		p := cfg.Proxy
		return fmt.Sprintf("ZeroLM build %s, init %s, stat %s, mode %s, alpha %g", p.Build, p.Init, p.Stat, p.Mode, p.Alpha)
	case "latency":
		if cfg.Latency.Model == "table" {
			return fmt.Sprintf("a measured table (SHA-256 %.12s…)", cfg.Latency.SHA256)
		}
		return "the " + cfg.Latency.Model + " model"
	}
	return name
}

// settings lists what a run was asked to do, in the words of the command line.
func settings(c *rundir.Config) []Setting {
	var out []Setting
	add := func(name, format string, args ...any) { out = append(out, Setting{name, fmt.Sprintf(format, args...)}) }
	add("space", "%s (%s architectures)", c.Space.Name, groupDigits(c.Space.Count().String()))
	var objs []string
	for _, o := range c.Objectives {
		objs = append(objs, fmt.Sprintf("%s (%s)", o.Name, o.Sense))
	}
	add("objectives", "%s", strings.Join(objs, ", "))
	add("strategy", "%s", c.Strategy)
	if c.Strategy == rundir.NSGA2 || c.Strategy == rundir.Random {
		add("population", "%d", c.NSGA2.PopSize)
	}
	add("seed", "%d", c.Seed)
	p := c.Proxy
	add("proxy", "ZeroLM: build %s, init %s, stat %s, mode %s, alpha %g", p.Build, p.Init, p.Stat, p.Mode, p.Alpha)
	add("alpha source", "%s", orNone(c.AlphaSource))
	switch c.Latency.Model {
	case "table":
		add("latency", "%s (table SHA-256 %.12s…, kept in the run directory)", c.Latency.Description, c.Latency.SHA256)
	case "":
		add("latency", "not used")
	default:
		add("latency", "%s: %s", c.Latency.Model, orNone(c.Latency.Description))
	}
	var budget []string
	if b := c.Budget; b.Generations > 0 {
		budget = append(budget, fmt.Sprintf("%d generations", b.Generations))
	}
	if b := c.Budget; b.Evaluations > 0 {
		budget = append(budget, fmt.Sprintf("%d evaluations", b.Evaluations))
	}
	if b := c.Budget; b.TimeLimit > 0 {
		budget = append(budget, "time limit "+b.TimeLimit.Round(time.Second).String())
	}
	if len(budget) == 0 {
		budget = append(budget, "none (the whole space)")
	}
	add("search budget", "%s", strings.Join(budget, ", "))
	cons := "none"
	if c.MaxParams > 0 || c.MaxLatency > 0 {
		var cs []string
		if c.MaxParams > 0 {
			cs = append(cs, "params ≤ "+strconv.FormatFloat(c.MaxParams, 'f', -1, 64))
		}
		if c.MaxLatency > 0 {
			cs = append(cs, "latency ≤ "+strconv.FormatFloat(c.MaxLatency, 'f', -1, 64)+" ms")
		}
		cons = strings.Join(cs, ", ")
	}
	add("constraints", "%s", cons)
	add("zeronas version", "%s", orNone(c.Version))
	return out
}

func orNone(s string) string {
	if s == "" {
		return "(not recorded)"
	}
	return s
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
