package rundir

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/zeronas/zeronas/objectives"
	"github.com/zeronas/zeronas/search/nas"
	"github.com/zeronas/zeronas/space"
)

// Run is a read-only view of a run directory as of its last complete generation: what
// export, plot and report read. A search that is still writing the directory is never
// seen half-way through a generation.
type Run struct {
	// Dir is the run directory.
	Dir string
	// Config is run.json, validated.
	Config *Config
	// Front is the front of the last complete generation.
	Front Front
	// Generations holds one line per complete generation, in order.
	Generations []GenerationLine

	archiveBytes int64 // the checkpoint's size of archive.jsonl; -1 to read it whole
}

// Open reads the run directory dir. Any problem is a *FileError naming the file and, where
// it can, the line, column and field.
func Open(dir string) (*Run, error) {
	st, err := os.Stat(dir)
	switch {
	case notExist(err):
		return nil, &FileError{File: dir, Err: errors.New("no such run directory")}
	case err != nil:
		return nil, &FileError{File: dir, Err: err}
	case !st.IsDir():
		return nil, &FileError{File: dir, Err: errors.New("not a directory (want the run directory of 'zeronas search --out')")}
	}
	cfg, err := ReadConfig(dir)
	if err != nil {
		return nil, err
	}
	r := &Run{Dir: dir, Config: cfg, archiveBytes: -1}
	gensBytes := int64(-1)
	if cfg.Strategy.generational() {
		// The checkpoint is replaced last in every generation: the state it records, and
		// the file sizes it gives, are of one complete generation.
		cp, err := readCheckpoint(dir, cfg)
		if err != nil {
			if isNoCheckpoint(err) {
				return nil, &FileError{File: dir, Err: errors.New("the run has not completed a generation yet (resume it)")}
			}
			return nil, err
		}
		r.archiveBytes, gensBytes = cp.ArchiveBytes, cp.GenerationsBytes
		r.Front = Front{Objectives: cfg.Objectives, Feasible: cp.feasible(), Generation: cp.State.Generation,
			Evaluations: cp.State.Evaluations, Front: frontEntries(cfg.Objectives, cp.Front)}
	} else if err := readJSON(filepath.Join(dir, FrontFile), &r.Front); err != nil {
		return nil, err
	}
	if err := r.checkFront(); err != nil {
		return nil, err
	}
	last := map[int]GenerationLine{} // the last record of a generation wins
	err = ReadLines(filepath.Join(dir, GenerationsFile), gensBytes, func(g GenerationLine) error {
		last[g.Generation] = g
		return nil
	})
	if err != nil && !notExist(err) {
		return nil, err
	}
	for _, g := range last {
		r.Generations = append(r.Generations, g)
	}
	sort.Slice(r.Generations, func(i, j int) bool { return r.Generations[i].Generation < r.Generations[j].Generation })
	return r, nil
}

// checkFront requires every front member to be in the run's space, with its ID and a
// finite value for every objective.
func (r *Run) checkFront() error {
	path := filepath.Join(r.Dir, FrontFile)
	if len(r.Front.Front) == 0 {
		return &FileError{File: path, Field: "front", Err: errors.New("empty: nothing was evaluated")}
	}
	for i, m := range r.Front.Front {
		bad := func(field string, err error) error {
			return &FileError{File: path, Field: fmt.Sprintf("front[%d].%s", i, field), Err: err}
		}
		if err := r.Config.Space.Validate(m.Arch); err != nil {
			return bad("arch", fmt.Errorf("not in space %s: %w", r.Config.Space.Name, err))
		}
		if m.ID != m.Arch.ID() {
			return bad("id", fmt.Errorf("%s does not match its architecture (%s)", m.ID, m.Arch.ID()))
		}
		for _, o := range r.Config.Objectives {
			v, ok := m.Values[o.Name]
			if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
				return bad("values", fmt.Errorf("no finite value for objective %q", o.Name))
			}
		}
	}
	return nil
}

// Objectives returns the run's objectives, in order.
func (r *Run) Objectives() []ObjectiveSpec { return r.Config.Objectives }

// Name names the run by its folder.
func (r *Run) Name() string {
	abs, err := filepath.Abs(r.Dir)
	if err != nil {
		return r.Dir
	}
	return filepath.Base(abs)
}

// Describe summarises the run in a few words, for example "space nas-bench-bert, strategy
// nsga2, seed 1".
func (r *Run) Describe() string { return r.Config.describe() }

// Archive passes every archived architecture of the last complete generation to each, in
// the order they were evaluated; it stops with ctx's error when ctx is done.
func (r *Run) Archive(ctx context.Context, each func(ArchiveLine) error) error {
	_, err := r.ArchiveFrom(ctx, Position{}, each)
	return err
}

// ArchiveFrom is Archive from the line at pos, the position an earlier call returned: a
// reader that follows a live run reads each generation's lines once.
func (r *Run) ArchiveFrom(ctx context.Context, pos Position, each func(ArchiveLine) error) (Position, error) {
	pos, err := readLinesFrom(filepath.Join(r.Dir, ArchiveFile), pos, r.archiveBytes, func(l ArchiveLine) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		return each(l)
	})
	if ctxErr := ctx.Err(); ctxErr != nil {
		return pos, ctxErr
	}
	if notExist(err) {
		return pos, nil
	}
	return pos, err
}

// Infeasible says why a front is infeasible: the budgets nothing met, and by how much the
// least-violating architecture misses them.
type Infeasible struct {
	// MaxParams and MaxLatencyMS are the run's budgets (0: none).
	MaxParams, MaxLatencyMS float64
	// ID and Violation are those of the least-violating architecture.
	ID        string
	Violation float64
	// Excesses are its values under the budgets it breaks; empty when they could not be
	// recomputed.
	Excesses []objectives.Excess
}

// Error says which budgets nothing met and how close the search came.
func (in *Infeasible) Error() string {
	var budgets []string
	if in.MaxParams > 0 {
		budgets = append(budgets, fmt.Sprintf("max_params %g", in.MaxParams))
	}
	if in.MaxLatencyMS > 0 {
		budgets = append(budgets, fmt.Sprintf("max_latency_ms %g", in.MaxLatencyMS))
	}
	s := fmt.Sprintf("nothing met the budgets (%s): the front holds the least-violating architectures; the least violation is %.4g (%s",
		strings.Join(budgets, ", "), in.Violation, in.ID)
	for _, e := range in.Excesses {
		s += fmt.Sprintf(", %s %.6g against %g", strings.TrimPrefix(e.Budget, "max_"), e.Value, e.Max)
	}
	return s + ")"
}

// Infeasible returns why the run's front is infeasible, or nil when it is feasible.
func (r *Run) Infeasible() *Infeasible {
	if r.Front.Feasible {
		return nil
	}
	var p *nas.Problem
	if pp, err := r.Config.Problem(r.Dir); err == nil {
		p = pp
	}
	return infeasibility(r.Config, p, r.Front.Front)
}

// infeasibility describes an infeasible front; p, if not nil, recomputes the excesses.
func infeasibility(cfg *Config, p *nas.Problem, front []FrontEntry) *Infeasible {
	in := &Infeasible{MaxParams: cfg.MaxParams, MaxLatencyMS: cfg.MaxLatency, Violation: math.Inf(1)}
	var best space.Arch
	for _, m := range front {
		if m.Violation < in.Violation {
			in.ID, in.Violation, best = m.ID, m.Violation, m.Arch
		}
	}
	if p != nil && in.ID != "" {
		in.Excesses = p.Set.Excesses(best)
	}
	return in
}
