package export

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"github.com/zeronas/zeronas/proxy"
	"github.com/zeronas/zeronas/space"
)

// Files of a run directory.
const (
	RunFile         = "run.json"
	FrontFile       = "front.json"
	GenerationsFile = "generations.jsonl"
	ArchiveFile     = "archive.jsonl"
)

// Senses of an objective.
const (
	Max = "max"
	Min = "min"
)

// Objective is one objective of a run: its name and whether it is maximised or minimised.
type Objective struct {
	Name  string `json:"name"`
	Sense string `json:"sense"`
}

// Label names o with its sense, for example "params (min)".
func (o Objective) Label() string { return o.Name + " (" + o.Sense + ")" }

// RunConfig is what export reads of a run's run.json: the zeronas version, the space's
// name, the objectives, the seed (kept as written) and the strategy. Every other key is
// left alone.
type RunConfig struct {
	Version string `json:"version"`
	Space   struct {
		Name string `json:"name"`
	} `json:"space"`
	Objectives []Objective     `json:"objectives"`
	Seed       json.RawMessage `json:"seed"`
	Strategy   string          `json:"strategy"`
	// Proxy holds the run's ZeroLM settings (build, init, seed), for the PyTorch export.
	Proxy *proxy.Settings `json:"proxy"`
}

// Describe summarises c in a few words, for example "space nas-bench-bert, strategy
// nsga2, seed 1"; empty when run.json said none of it.
func (c RunConfig) Describe() string {
	var parts []string
	if c.Space.Name != "" {
		parts = append(parts, "space "+c.Space.Name)
	}
	if c.Strategy != "" {
		parts = append(parts, "strategy "+c.Strategy)
	}
	if len(c.Seed) > 0 {
		parts = append(parts, "seed "+string(c.Seed))
	}
	return strings.Join(parts, ", ")
}

// Run is what a run directory holds for export: its configuration and its final front.
type Run struct {
	// Dir is the run directory.
	Dir string
	// Config is run.json; its zero value when the run has none.
	Config RunConfig
	// Objectives are front.json's objectives, in order.
	Objectives []Objective
	// Front lists the front's architectures in front.json's order.
	Front []Member
}

// Name names the run by its folder.
func (r *Run) Name() string {
	abs, err := filepath.Abs(r.Dir)
	if err != nil {
		return r.Dir
	}
	return filepath.Base(abs)
}

// RunError locates a problem with a file of a run directory.
type RunError struct {
	// File is the path of the file (or of the directory).
	File string
	// Line and Column locate the problem from 1; 0 when unknown.
	Line, Column int
	// Field is the JSON path of the offending value, for example "front[2].values"; empty
	// when unknown.
	Field string
	// Err says what is wrong.
	Err error
}

// Error says where the problem is and what it is, on one line.
func (e *RunError) Error() string {
	s := e.File
	if e.Line > 0 {
		s += fmt.Sprintf(":%d", e.Line)
		if e.Column > 0 {
			s += fmt.Sprintf(":%d", e.Column)
		}
	}
	if e.Field != "" {
		s += ": " + e.Field
	}
	return s + ": " + e.Err.Error()
}

// Unwrap returns Err.
func (e *RunError) Unwrap() error { return e.Err }

// ReadRun reads the configuration (run.json, optional) and the front (front.json) of the
// run directory dir. Any problem is a *RunError naming the file and, where it can, the
// line, column and field.
func ReadRun(dir string) (*Run, error) {
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, &RunError{File: dir, Err: errors.New("no such run directory")}
	case err != nil:
		return nil, &RunError{File: dir, Err: err}
	case !st.IsDir():
		return nil, &RunError{File: dir, Err: errors.New("not a directory (want the run directory of 'zeronas search --out')")}
	}
	r := &Run{Dir: dir}
	data, err := os.ReadFile(filepath.Join(dir, RunFile))
	if err == nil {
		err = decodeJSON(filepath.Join(dir, RunFile), data, &r.Config)
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if err := r.readFront(); err != nil {
		return nil, err
	}
	if err := r.checkSpace(); err != nil {
		return nil, err
	}
	return r, nil
}

// checkSpace validates the front against the run's space when it is a built-in one.
func (r *Run) checkSpace() error {
	name := r.Config.Space.Name
	if !slices.Contains(space.Names(), name) {
		return nil
	}
	sp, err := space.Load(name)
	if err != nil {
		return fmt.Errorf("space %s: %w", name, err)
	}
	for i, m := range r.Front {
		if err := sp.Validate(m.Arch); err != nil {
			return &RunError{File: filepath.Join(r.Dir, FrontFile), Field: fmt.Sprintf("front[%d].arch", i),
				Err: fmt.Errorf("not in space %s: %w", name, err)}
		}
	}
	return nil
}

// readFront reads and checks front.json.
func (r *Run) readFront() error {
	path := filepath.Join(r.Dir, FrontFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &RunError{File: path, Err: fmt.Errorf("no such file (is %s a run directory of 'zeronas search --out'?)", r.Dir)}
	}
	if err != nil {
		return &RunError{File: path, Err: err}
	}
	var f struct {
		Objectives *[]Objective `json:"objectives"`
		Front      *[]Member    `json:"front"`
	}
	if err := decodeJSON(path, data, &f); err != nil {
		return err
	}
	bad := func(field, format string, args ...any) error {
		return &RunError{File: path, Field: field, Err: fmt.Errorf(format, args...)}
	}
	switch {
	case f.Objectives == nil:
		return bad("objectives", "missing")
	case f.Front == nil:
		return bad("front", "missing")
	case len(*f.Front) == 0:
		return bad("front", "empty: nothing to export")
	}
	r.Objectives, r.Front = *f.Objectives, *f.Front
	if err := checkObjectives(r.Objectives); err != nil {
		return &RunError{File: path, Field: "objectives", Err: err}
	}
	for i := range r.Front {
		m := &r.Front[i]
		if field, err := m.check(r.Objectives); err != nil {
			return bad(fmt.Sprintf("front[%d]%s", i, field), "%w", err)
		}
	}
	return nil
}

// checkObjectives requires named, distinct objectives with a sense of max or min.
func checkObjectives(objs []Objective) error {
	if len(objs) == 0 {
		return errors.New("none")
	}
	seen := map[string]bool{}
	for i, o := range objs {
		switch {
		case o.Name == "":
			return fmt.Errorf("objective %d has no name", i)
		case seen[o.Name]:
			return fmt.Errorf("objective %q appears twice", o.Name)
		case o.Sense != Max && o.Sense != Min:
			return fmt.Errorf("objective %q: sense %q (want max or min)", o.Name, o.Sense)
		}
		seen[o.Name] = true
	}
	return nil
}

// decodeJSON decodes data into v; a syntax or type error becomes a *RunError with the
// line and column of the problem.
func decodeJSON(path string, data []byte, v any) error {
	err := json.Unmarshal(data, v)
	if err == nil {
		return nil
	}
	re := &RunError{File: path, Err: err}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		re.Line, re.Column = position(data, se.Offset)
		re.Err = errors.New(se.Error())
	case errors.As(err, &te):
		re.Line, re.Column = position(data, te.Offset)
		re.Field = te.Field
		re.Err = fmt.Errorf("%s where %s expected", te.Value, jsonKind(te.Type))
	}
	return re
}

// position returns the line and column, from 1, of byte offset off in data.
func position(data []byte, off int64) (line, col int) {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	return 1 + bytes.Count(before, []byte("\n")), int(off) - bytes.LastIndexByte(before, '\n')
}

// jsonKind names the JSON kind that decodes into t.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Float32, reflect.Float64:
		return "a number"
	}
	if t.ConvertibleTo(reflect.TypeFor[int64]()) {
		return "an integer"
	}
	return t.String()
}
