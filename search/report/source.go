package report

// This file is the only one that reads a run directory. It uses today's rundir API; when
// rundir offers a read-only view of a run, this file is what changes.

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
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

// source reads a run directory, and re-reads it after each generation of a live run reading
// only what the append-only files gained.
type source struct {
	dir string
	// live is set when the source follows a search in the same process, right after its
	// run directory recorded a generation: the files are complete, so their sizes are the
	// checkpoint's, and the checkpoint (megabytes for large populations) need not be read.
	live    bool
	cfg     *rundir.Config
	archive []archived
	history []Generation
	// offsets of archive.jsonl and generations.jsonl read so far, and lines read.
	archiveOff, historyOff     int64
	archiveLines, historyLines int
	norm                       string
}

// openSource reads the run directory dir's configuration.
func openSource(dir string) (*source, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("run directory %s: %w", dir, err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("%s: not a directory (want the run directory of 'zeronas search --out')", dir)
	}
	cfg, err := rundir.ReadConfig(dir)
	if err != nil {
		return nil, err
	}
	return &source{dir: dir, cfg: cfg}, nil
}

// read returns the run as it stands: the front, and the append-only files up to the sizes
// the checkpoint recorded (all of them for an exact run, which has no checkpoint).
func (s *source) read() (*snapshot, error) {
	archiveSize, historySize, err := s.sizes()
	if err != nil {
		return nil, err
	}
	f, err := rundir.ReadFront(s.dir)
	if err != nil {
		return nil, err
	}
	if len(f.Front) == 0 {
		return nil, fmt.Errorf("%s: front: empty", filepath.Join(s.dir, rundir.FrontFile))
	}
	if err := s.readArchive(archiveSize); err != nil {
		return nil, err
	}
	if err := s.readHistory(historySize); err != nil {
		return nil, err
	}
	cfg := s.cfg
	sn := &snapshot{spaceKey: mustJSON(cfg.Space), archive: s.archive, history: s.history, norm: s.norm,
		problem: func() (*nas.Problem, error) { return cfg.Problem(s.dir) }}
	for _, o := range cfg.Objectives {
		sn.objectives = append(sn.objectives, Objective{Name: o.Name, Sense: string(o.Sense)})
		sn.defs = append(sn.defs, definition(cfg, o.Name))
	}
	sn.run = &Run{Name: runName(s.dir), Dir: s.dir, Space: cfg.Space.Name, Strategy: cfg.Strategy, Seed: cfg.Seed,
		Generation: f.Generation, Evaluations: f.Evaluations, Feasible: f.Feasible,
		MaxParams: cfg.MaxParams, MaxLatencyMS: cfg.MaxLatency, Settings: settings(cfg)}
	er := &export.Run{Dir: s.dir, Config: export.RunConfig{Version: cfg.Version, Seed: json.RawMessage(strconv.FormatUint(cfg.Seed, 10)),
		Strategy: cfg.Strategy}}
	er.Config.Space.Name = cfg.Space.Name
	for _, o := range f.Objectives {
		er.Objectives = append(er.Objectives, export.Objective{Name: o.Name, Sense: string(o.Sense)})
	}
	er.Config.Objectives = er.Objectives
	for i, m := range f.Front {
		for _, o := range cfg.Objectives {
			if _, ok := m.Values[o.Name]; !ok {
				return nil, fmt.Errorf("%s: front[%d].values: no value for objective %q", filepath.Join(s.dir, rundir.FrontFile), i, o.Name)
			}
		}
		if len(m.Arch.Layers) == 0 {
			return nil, fmt.Errorf("%s: front[%d].arch.layers: missing or empty", filepath.Join(s.dir, rundir.FrontFile), i)
		}
		er.Front = append(er.Front, export.Member{ID: m.ID, Arch: m.Arch, Values: m.Values, Count: m.Count})
	}
	// The export package writes the CSV rows and the configs, so that the page's download
	// and copy are the export's.
	rows, err := csvRows(er)
	if err != nil {
		return nil, err
	}
	sn.csvHeader = rows[0]
	for i, m := range er.Front {
		c, err := json.Marshal(export.NewHFConfig(m, er))
		if err != nil {
			return nil, fmt.Errorf("%s: front[%d]: %w", s.dir, i, err)
		}
		sn.front = append(sn.front, frontMember{id: m.ID, arch: m.Arch, values: m.Values, violation: f.Front[i].Violation,
			count: m.Count, config: string(c), csv: rows[i+1]})
	}
	return sn, nil
}

// sizes returns the sizes of archive.jsonl and generations.jsonl that the checkpoint
// covers; -1 (everything) for a run without one.
func (s *source) sizes() (archive, history int64, err error) {
	if s.live {
		return fileSize(filepath.Join(s.dir, rundir.ArchiveFile)), fileSize(filepath.Join(s.dir, rundir.GenerationsFile)), nil
	}
	path := filepath.Join(s.dir, rundir.CheckpointFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if s.cfg.Strategy != "exact" {
			return 0, 0, fmt.Errorf("%s: no checkpoint yet: the run has not completed a generation", s.dir)
		}
		return -1, -1, nil
	}
	if err != nil {
		return 0, 0, fmt.Errorf("read %s: %w", path, err)
	}
	var cp struct {
		ArchiveBytes     int64 `json:"archive_bytes"`
		GenerationsBytes int64 `json:"generations_bytes"`
	}
	if err := json.Unmarshal(data, &cp); err != nil {
		return 0, 0, fmt.Errorf("%s is corrupt: %w", path, err)
	}
	return cp.ArchiveBytes, cp.GenerationsBytes, nil
}

func (s *source) readArchive(size int64) error {
	path := filepath.Join(s.dir, rundir.ArchiveFile)
	return readLines(path, &s.archiveOff, &s.archiveLines, size, func(line int, data []byte) error {
		var a archived
		if err := json.Unmarshal(data, &a); err != nil {
			return fmt.Errorf("%s: line %d: %w", path, line, err)
		}
		for _, o := range s.cfg.Objectives {
			if _, ok := a.Values[o.Name]; !ok {
				return fmt.Errorf("%s: line %d: values: no value for objective %q", path, line, o.Name)
			}
		}
		s.archive = append(s.archive, a)
		return nil
	})
}

func (s *source) readHistory(size int64) error {
	path := filepath.Join(s.dir, rundir.GenerationsFile)
	return readLines(path, &s.historyOff, &s.historyLines, size, func(line int, data []byte) error {
		var g rundir.GenerationLine
		if err := json.Unmarshal(data, &g); err != nil {
			return fmt.Errorf("%s: line %d: %w", path, line, err)
		}
		// A recorder times its previous save; a new one (a fresh run or a resume) has none.
		resumed := len(s.history) > 0 && g.Seconds.Persist == 0
		for len(s.history) > 0 && s.history[len(s.history)-1].Generation >= g.Generation {
			s.history = s.history[:len(s.history)-1] // a repeated generation: the last record wins
		}
		s.history = append(s.history, Generation{Generation: g.Generation, Evaluations: g.Evaluations, NewEvaluations: g.NewEvaluations,
			FrontSize: g.FrontSize, Feasible: g.Feasible, Hypervolume: g.Hypervolume, EvalsPerSec: g.EvalsPerSec, Resumed: resumed})
		s.norm = mustJSON([][]float64{g.Ideal, g.Nadir, g.ReferencePoint})
		return nil
	})
}

// readLines passes each line of path from byte *off up to byte size (to the end if size is
// negative) to each, numbered from *lines+1, and advances *off and *lines. A file shorter
// than size was truncated behind the checkpoint's back: an error.
func readLines(path string, off *int64, lines *int, size int64, each func(line int, data []byte) error) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) && size <= 0 {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	defer f.Close()
	if _, err := f.Seek(*off, io.SeekStart); err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	var data []byte
	if size < 0 {
		data, err = io.ReadAll(f)
		if i := bytes.LastIndexByte(data, '\n'); i >= 0 { // an incomplete last line waits
			data = data[:i+1]
		} else {
			data = nil
		}
	} else if size > *off {
		data = make([]byte, size-*off)
		var n int
		n, err = io.ReadFull(f, data)
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return fmt.Errorf("%s: %d bytes, but the checkpoint recorded %d: the file was truncated", path, *off+int64(n), size)
		}
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		*lines++
		*off += int64(len(line)) + 1
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		if err := each(*lines, line); err != nil {
			return err
		}
	}
	if size >= 0 {
		*off = size
	}
	return nil
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

// fileSize returns the size of path; -1 (read everything) when it cannot tell.
func fileSize(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return -1
	}
	return st.Size()
}

// csvRows returns the lines of the CSV export of er's front, header first, each without
// its line end: the export package writes them, so the page's download is the export.
func csvRows(er *export.Run) ([]string, error) {
	var buf bytes.Buffer
	if err := export.WriteCSV(&buf, er.Objectives, er.Front); err != nil {
		return nil, fmt.Errorf("%s: csv: %w", er.Dir, err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: csv: %w", er.Dir, err)
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

// runName names a run by its folder.
func runName(dir string) string {
	if abs, err := filepath.Abs(dir); err == nil {
		return filepath.Base(abs)
	}
	return filepath.Base(dir)
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
