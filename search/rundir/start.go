package rundir

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/zeronas/zeronas/internal/atomicfile"
	"github.com/zeronas/zeronas/internal/runlock"
	"github.com/zeronas/zeronas/objectives/latency"
	"github.com/zeronas/zeronas/search"
	"github.com/zeronas/zeronas/search/nas"
	"github.com/zeronas/zeronas/space"
)

// ErrExists reports a directory that already holds a run.
var ErrExists = errors.New("holds a run")

// ErrNotEmpty reports a directory that holds files but no run: a user's, never replaced
// unless forced, and then only by the run's own files.
var ErrNotEmpty = errors.New("is not empty and holds no run")

// ErrMismatch reports a Continue whose settings differ from the run's.
var ErrMismatch = errors.New("settings differ from run.json")

// Spec is what Start needs to begin a run: its Config and where its latency costs come
// from. Config.Latency is filled by Start.
type Spec struct {
	Config
	// LatencyTable is a table file for the table latency model; if empty, this machine's
	// table is read from the cache or measured once.
	LatencyTable string
}

// Options are what a call to Start or Continue needs beyond the run's settings; none of
// them changes the result.
type Options struct {
	// Workers is the number of parallel evaluation workers; if 0, one per core.
	Workers int
	// Stop, when cancelled, stops the search at the next generation boundary; the ctx
	// given to Start or Continue stops it at once. Either way the checkpoint is whole.
	// May be nil.
	Stop context.Context
	// Force lets Start replace the run files in a directory that holds a run or other
	// files, and lets Continue change the run's settings.
	Force bool
	// Recorder, if not nil, is also told about every generation (a progress bar).
	Recorder search.Recorder[space.Arch]
	// Log receives progress; if nil, nothing is logged.
	Log *zap.Logger
	// Notify, if not nil, is told what takes long before it starts (a latency
	// calibration).
	Notify func(string)
	// Evaluator, if not nil, returns the evaluator of a generational run in dir (workers
	// elsewhere: search/distributed) and what releases it; otherwise this process
	// evaluates with Workers goroutines. The result is the same either way.
	Evaluator func(dir string, cfg *Config) (search.Evaluator[space.Arch], func(), error)
}

// Outcome is the result of Start or Continue.
type Outcome struct {
	Dir    string
	Config *Config
	// Search is the result of a generational strategy; nil for Exact.
	Search *search.Result[space.Arch]
	// Exact is the result of the Exact strategy; nil otherwise.
	Exact *ExactResult
	// AlreadyComplete reports a Continue that found nothing left to do.
	AlreadyComplete bool
	// Infeasible, when not nil, says which budgets nothing met.
	Infeasible *Infeasible
}

// Start begins the run spec describes in dir and runs it to its budget. The directory is
// created if need be; one that holds a run, or any file a run writes, is refused with
// ErrExists unless o.Force, and Force replaces the run's own files only. Every setting is
// validated (a *SpecError) before anything is written.
func Start(ctx context.Context, dir string, spec Spec, o Options) (*Outcome, error) {
	cfg := spec.Config
	if cfg.Strategy == "" {
		cfg.Strategy = NSGA2
	}
	if cfg.Strategy.defaultBudget() && cfg.Budget == (Budget{}) {
		cfg.Budget.Generations = search.DefaultGenerations
	}
	switch {
	case cfg.needsLatency() && cfg.Latency.Model == "" && spec.LatencyTable == "":
		cfg.Latency.Model = latency.DefaultModel(cfg.Space)
	case cfg.needsLatency() && cfg.Latency.Model == "":
		cfg.Latency.Model = latency.ModelTable
	case !cfg.needsLatency():
		cfg.Latency = LatencySpec{} // a model chosen for nothing is no setting of the run
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := o.checkWorkers(); err != nil {
		return nil, err
	}
	if err := checkTarget(dir, o.Force); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", dir, err)
	}
	lock, err := runlock.Acquire(dir)
	if err != nil {
		return nil, err
	}
	defer lock.Release()
	// Another writer may have finished a run here while this one waited for nothing:
	// the check counts only under the lock.
	if err := checkTarget(dir, o.Force); err != nil {
		return nil, err
	}
	log := o.logger()
	// Measuring a latency table takes seconds: only once the cheap checks have passed.
	var table []byte
	if _, measured := strings.CutPrefix(cfg.Latency.Model, DevicePrefix); measured {
		if o.Evaluator == nil {
			return nil, specError("latency.model", cfg.Latency.Model, "latency measured on a device needs workers on it (an evaluator)")
		}
	} else if cfg.needsLatency() {
		chosen, err := latency.Choose(ctx, cfg.Space, latency.Choice{Model: cfg.Latency.Model, Table: spec.LatencyTable}, log, o.Notify)
		if err != nil {
			return nil, err
		}
		cfg.Latency = LatencySpec{Model: chosen.Name, Description: chosen.Description, SHA256: chosen.SHA256}
		table = chosen.Table
	} else if spec.LatencyTable != "" {
		return nil, specError("latency_table", spec.LatencyTable, "the run has no latency objective or budget")
	}
	if err := create(dir, &cfg, table); err != nil {
		return nil, err
	}
	p, err := cfg.Problem(dir)
	if err != nil {
		return nil, err
	}
	if cfg.Strategy == Exact {
		res, err := solveExact(ctx, dir, &cfg, p)
		if err != nil {
			if derr := discard(dir); derr != nil {
				return nil, derr
			}
			return nil, &SpecError{Field: "strategy", Value: Exact, Err: err}
		}
		return &Outcome{Dir: dir, Config: &cfg, Exact: res}, nil
	}
	log.Info("search", zap.String("dir", dir), zap.String("run", cfg.describe()))
	return minimize(ctx, dir, &cfg, p, nil, &recorder{dir: dir, specs: cfg.Objectives, exhaustive: cfg.Strategy == Exhaustive}, o)
}

// Overrides are the settings a Continue may change: a new total budget (which extends a
// finished run), this call's time limit, and the seed (which needs Options.Force).
type Overrides struct {
	Generations *int
	Evaluations *int
	TimeLimit   *time.Duration
	Seed        *uint64
}

// Continue resumes the run in dir from its last complete generation (generation 0 if none
// completed) to its budget, or to the new totals of ov. A complete run is left as it is
// (Outcome.AlreadyComplete) and nothing is written. Settings that differ from run.json
// are refused with ErrMismatch unless o.Force.
func Continue(ctx context.Context, dir string, ov Overrides, o Options) (*Outcome, error) {
	if _, err := ReadConfig(dir); err != nil {
		return nil, err // before locking: a folder that is no run gets no lock file
	}
	lock, err := runlock.Acquire(dir)
	if err != nil {
		if errors.Is(err, runlock.ErrBusy) {
			return nil, err
		}
		// A run that cannot be written (a read-only copy) may still be complete.
		if oc := completeAsItIs(dir, ov); oc != nil {
			return oc, nil
		}
		return nil, err
	}
	defer lock.Release()
	stored, err := ReadConfig(dir)
	if err != nil {
		return nil, err
	}
	if err := o.checkWorkers(); err != nil {
		return nil, err
	}
	cfg := *stored
	if ov.Seed != nil {
		cfg.Seed = *ov.Seed
	}
	if diffs := stored.Differences(&cfg); len(diffs) > 0 && !o.Force {
		return nil, fmt.Errorf("%s: %w (use force to resume anyway): %s", dir, ErrMismatch, strings.Join(diffs, "; "))
	}
	if cfg.Strategy == Exact {
		return &Outcome{Dir: dir, Config: stored, AlreadyComplete: true}, nil
	}
	if ov.Generations != nil {
		cfg.Budget.Generations = *ov.Generations
	}
	if ov.Evaluations != nil {
		cfg.Budget.Evaluations = *ov.Evaluations
	}
	// A stored time limit belongs to a call that never reached it (one that does turns
	// it into a generation budget), so it applies again unless replaced.
	if ov.TimeLimit != nil {
		cfg.Budget.TimeLimit = *ov.TimeLimit
	}
	if err := cfg.Budget.validate(); err != nil {
		return nil, err
	}
	if cfg.Strategy.defaultBudget() && cfg.Budget == (Budget{}) {
		return nil, specError("budget", "none", "the run has no generation or evaluation budget left to resume to; give a new total")
	}
	p, err := cfg.Problem(dir)
	if err != nil {
		return nil, &FileError{File: dir, Err: err}
	}
	res, rec, err := restore(dir, &cfg)
	if err != nil {
		return nil, err
	}
	if stored.Differences(&cfg) != nil || cfg.Budget != stored.Budget {
		rec.saveConfig = &cfg // saved with the first generation this call completes
	}
	return minimize(ctx, dir, &cfg, p, res, rec, o)
}

// minimize runs the generational search of cfg from res (nil: from the start).
func minimize(ctx context.Context, dir string, cfg *Config, p *nas.Problem, res *search.Resume[space.Arch], rec *recorder, o Options) (*Outcome, error) {
	method, err := cfg.Method()
	if err != nil {
		return nil, err
	}
	prob, _, err := nas.WithBounds(ctx, p)
	if err != nil {
		return nil, err
	}
	settings := cfg.Settings()
	settings.Concurrent = o.Workers
	if o.Stop != nil {
		settings.Termination = search.CanceledBy(o.Stop)
	}
	var r search.Recorder[space.Arch] = rec
	if o.Recorder != nil {
		r = search.Recorders[space.Arch](rec, o.Recorder)
	}
	so := &search.Options[space.Arch]{Recorder: r, Resume: res}
	if o.Evaluator != nil {
		if cfg.Strategy == Exhaustive {
			return nil, specError("strategy", cfg.Strategy, "evaluates in this process; use nsga2 or random with workers elsewhere")
		}
		ev, release, err := o.Evaluator(dir, cfg)
		if err != nil {
			return nil, err
		}
		defer release()
		so.Evaluator = ev
	}
	out, err := search.Minimize(ctx, prob, p, method, &settings, so)
	if err != nil {
		return nil, err
	}
	if cfg.Budget.TimeLimit > 0 && out.Status == search.RuntimeLimit {
		// The time limit is spent: what it bought becomes the run's budget, so a plain
		// Continue finds the run complete rather than running the limit again.
		done := *cfg
		done.Budget = Budget{Generations: out.State.Generation}
		if out.State.Generation == 0 { // a generation budget of 0 is none
			done.Budget = Budget{Evaluations: out.State.Evaluations}
		}
		if err := writeJSONAtomic(filepath.Join(dir, ConfigFile), &done); err != nil {
			return nil, err
		}
		cfg = &done
	}
	oc := &Outcome{Dir: dir, Config: cfg, Search: out, AlreadyComplete: res != nil && out.Generations == 0 && out.Status != search.Canceled}
	if !out.Feasible && len(out.Front) > 0 {
		oc.Infeasible = infeasibility(cfg, p, frontEntries(cfg.Objectives, out.Front))
	}
	return oc, nil
}

func (o Options) checkWorkers() error {
	if o.Workers < 0 || o.Workers > MaxWorkers {
		return specError("workers", o.Workers, "must be from 1 to %d (0: one per core)", MaxWorkers)
	}
	return nil
}

func (o Options) logger() *zap.Logger {
	if o.Log == nil {
		return zap.NewNop()
	}
	return o.Log
}

// checkTarget refuses a directory that holds a run, or any file a run writes, unless force.
func checkTarget(dir string, force bool) error {
	if force {
		return nil
	}
	if HoldsRun(dir) {
		return fmt.Errorf("%s %w (resume it, or start over with force)", dir, ErrExists)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		if notExist(err) {
			return nil
		}
		return fmt.Errorf("%s: %w", dir, err)
	}
	for _, e := range entries {
		if e.Name() != runlock.FileName {
			return fmt.Errorf("%s %w (it holds %s): choose an empty or new folder, or force to write the run's files beside the others",
				dir, ErrNotEmpty, e.Name())
		}
	}
	return nil
}

// HoldsRun reports whether dir holds a run (a run.json).
func HoldsRun(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, ConfigFile))
	return err == nil
}

// create starts the run directory: the run's files are removed, then the latency table and
// run.json are written.
func create(dir string, cfg *Config, latencyTable []byte) error {
	if err := discard(dir); err != nil {
		return err
	}
	if latencyTable != nil {
		if err := atomicfile.Write(filepath.Join(dir, LatencyFile), latencyTable); err != nil {
			return err
		}
	}
	return writeJSONAtomic(filepath.Join(dir, ConfigFile), cfg)
}

// discard removes the run's files from dir, and nothing else.
func discard(dir string) error {
	for _, f := range runFiles {
		if err := os.Remove(filepath.Join(dir, f)); err != nil && !notExist(err) {
			return fmt.Errorf("start over in %s: %w", dir, err)
		}
	}
	return nil
}

// completeAsItIs returns the outcome of a Continue of dir that has nothing to do: a run
// whose checkpoint has reached its generation or evaluation budget (the stored one, or
// the new totals of ov) and that ov does not change otherwise. It returns nil when it
// cannot tell without running.
func completeAsItIs(dir string, ov Overrides) *Outcome {
	cfg, err := ReadConfig(dir)
	if err != nil || ov.Seed != nil && *ov.Seed != cfg.Seed {
		return nil
	}
	if cfg.Strategy == Exact {
		return &Outcome{Dir: dir, Config: cfg, AlreadyComplete: true}
	}
	cp, err := readCheckpoint(dir, cfg)
	if err != nil {
		return nil
	}
	b := cfg.Budget
	if ov.Generations != nil {
		b.Generations = *ov.Generations
	}
	if ov.Evaluations != nil {
		b.Evaluations = *ov.Evaluations
	}
	var status search.Status
	switch {
	case b.Generations > 0 && cp.State.Generation >= b.Generations:
		status = search.GenerationLimit
	case b.Evaluations > 0 && cp.State.Evaluations >= b.Evaluations:
		status = search.EvaluationLimit
	default:
		return nil
	}
	res := &search.Result[space.Arch]{Status: status, State: cp.State, Front: cp.Front,
		Feasible: cp.feasible()}
	res.Evaluations = cp.State.Evaluations
	if n := len(cp.State.Hypervolumes); n > 0 {
		res.Hypervolume = cp.State.Hypervolumes[n-1]
	}
	return &Outcome{Dir: dir, Config: cfg, Search: res, AlreadyComplete: true}
}
