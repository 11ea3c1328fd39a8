package report

// This file is the only one that reads a run directory, through rundir.Open, and the only one
// that uses the rundir and export APIs.

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/zeronas/zeronas/search/export"
	"github.com/zeronas/zeronas/search/nas"
	"github.com/zeronas/zeronas/search/rundir"
	"github.com/zeronas/zeronas/space"
)

// snapshot is what a page is built from: a run's configuration, its front with what the
// export package makes of it, and everything evaluated up to its last complete generation.
// Nothing outside this file depends on the rundir or export APIs.
type snapshot struct {
	run        *Run          // settings and identity filled; front, archive and history not
	objectives []Objective   // with senses; labels filled by the builder
	spaceKey   string        // the space definition, to tell whether runs compare
	defs       []string      // what each objective measures, to tell whether runs compare
	front      []frontMember // in front.json's order
	csvHeader  string        // the header of the front's CSV export
	archive    []archived    // every evaluated architecture
	history    []Generation  // one per generation
	norm       string        // the last generation's ideal, nadir and reference point
	problem    func() (*nas.Problem, error)
}

// frontMember is a member of the front with what the export package makes of it.
type frontMember struct {
	id        string
	arch      space.Arch
	values    map[string]float64
	violation float64
	count     int64
	config    string // config.json of the HF export, compact
	csv       string // its row of the CSV export, without the line end
}

// archived is what the page needs of one line of archive.jsonl.
type archived struct {
	ID        string             `json:"id"`
	Values    map[string]float64 `json:"values"`
	Violation float64            `json:"violation"`
}

// source reads a run directory through rundir.Open, and re-reads it after each generation
// of a live run, reading only the archive lines the generation added.
type source struct {
	dir     string
	archive []archived
	pos     rundir.Position // how far archive.jsonl has been read
}

// openSource returns a source of the run directory dir, which must exist.
func openSource(dir string) (*source, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("run directory %s: %w", dir, err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("%s: not a directory (want the run directory of 'zeronas search --out')", dir)
	}
	return &source{dir: dir}, nil
}

// read returns the run as of its last complete generation.
func (s *source) read() (*snapshot, error) {
	run, err := rundir.Open(s.dir)
	if err != nil {
		return nil, err
	}
	cfg := run.Config
	if err := s.readArchive(run); err != nil {
		return nil, err
	}
	sn := &snapshot{spaceKey: mustJSON(cfg.Space), archive: s.archive,
		problem: func() (*nas.Problem, error) { return cfg.Problem(s.dir) }}
	for _, o := range cfg.Objectives {
		sn.objectives = append(sn.objectives, Objective{Name: o.Name, Sense: string(o.Sense)})
		sn.defs = append(sn.defs, definition(cfg, o.Name))
	}
	sn.run = &Run{Name: run.Name(), Dir: s.dir, Space: cfg.Space.Name, Strategy: string(cfg.Strategy), Seed: cfg.Seed,
		Generation: run.Front.Generation, Evaluations: run.Front.Evaluations, Feasible: run.Front.Feasible,
		MaxParams: cfg.MaxParams, MaxLatencyMS: cfg.MaxLatency, Settings: settings(cfg)}
	history(run, sn)
	// The export package writes the CSV rows and the configs, so that the page's download
	// and copy are the export's.
	members := export.Members(run)
	rows, err := csvRows(run, members)
	if err != nil {
		return nil, err
	}
	sn.csvHeader = rows[0]
	for i, m := range members {
		cfg, err := export.ConfigOf(m, run)
		if err != nil {
			return nil, fmt.Errorf("%s: front[%d]: %w", s.dir, i, err)
		}
		c, err := json.Marshal(cfg)
		if err != nil {
			return nil, fmt.Errorf("%s: front[%d]: %w", s.dir, i, err)
		}
		sn.front = append(sn.front, frontMember{id: m.ID, arch: m.Arch, values: m.Values, violation: m.Violation,
			count: m.Count, config: string(c), csv: rows[i+1]})
	}
	return sn, nil
}

// history fills sn's generations, the normalisation of the last one and the run's overall
// evaluation rate. A generation line's evals_per_sec is the rate of its call (search or
// resume) up to it, so each call's last line gives that call's rate.
func history(run *rundir.Run, sn *snapshot) {
	var evals, secs float64
	flush := func(newEvals int, eps float64) {
		if eps > 0 {
			evals += float64(newEvals)
			secs += float64(newEvals) / eps
		}
	}
	callEvals := 0
	for i, g := range run.Generations {
		// A recorder times its previous save; a new one (a fresh run or a resume) has none.
		resumed := i > 0 && g.Seconds.Persist == 0
		if resumed {
			flush(callEvals, run.Generations[i-1].EvalsPerSec)
			callEvals = 0
		}
		callEvals += g.NewEvaluations
		sn.history = append(sn.history, Generation{Generation: g.Generation, Evaluations: g.Evaluations, NewEvaluations: g.NewEvaluations,
			FrontSize: g.FrontSize, Feasible: g.Feasible, Hypervolume: g.Hypervolume, EvalsPerSec: g.EvalsPerSec, Resumed: resumed})
		sn.norm = mustJSON([][]float64{g.Ideal, g.Nadir, g.ReferencePoint})
	}
	if n := len(run.Generations); n > 0 {
		flush(callEvals, run.Generations[n-1].EvalsPerSec)
	}
	if secs > 0 {
		sn.run.EvalsPerSec = evals / secs
	}
}

// readArchive reads what archive.jsonl gained since the last read, as of the run's last
// complete generation.
func (s *source) readArchive(run *rundir.Run) error {
	var err error
	s.pos, err = run.ArchiveFrom(context.Background(), s.pos, func(l rundir.ArchiveLine) error {
		for _, o := range run.Config.Objectives {
			if _, ok := l.Values[o.Name]; !ok {
				return fmt.Errorf("values: no value for objective %q", o.Name)
			}
		}
		s.archive = append(s.archive, archived{ID: l.ID, Values: l.Values, Violation: l.Violation})
		return nil
	})
	return err
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

// csvRows returns the lines of the CSV export of members, header first, each without its
// line end: the export package writes them, so the page's download is the export.
func csvRows(run *rundir.Run, members []export.Member) ([]string, error) {
	var buf bytes.Buffer
	if err := export.WriteCSV(&buf, run.Objectives(), members); err != nil {
		return nil, fmt.Errorf("%s: csv: %w", run.Dir, err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: csv: %w", run.Dir, err)
	}
	rows := make([]string, len(recs))
	for i, rec := range recs {
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		if err := w.Write(rec); err != nil {
			return nil, err
		}
		w.Flush()
		rows[i] = strings.TrimSuffix(b.String(), "\n")
	}
	return rows, nil
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
	if c.Strategy == "nsga2" || c.Strategy == "random" {
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
