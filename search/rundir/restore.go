package rundir

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/zeronas/zeronas/search"
	"github.com/zeronas/zeronas/space"
)

// ErrNoCheckpoint reports a run that never completed a generation.
var ErrNoCheckpoint = errors.New("no checkpoint: the run never completed a generation")

// readCheckpoint reads and checks the checkpoint of dir against the run's configuration;
// ErrNoCheckpoint when there is none.
func readCheckpoint(dir string, cfg *Config) (*Checkpoint, error) {
	path := filepath.Join(dir, CheckpointFile)
	var cp Checkpoint
	if err := readJSON(path, &cp); err != nil {
		if notExist(err) {
			return nil, fmt.Errorf("%s: %w", dir, ErrNoCheckpoint)
		}
		return nil, fmt.Errorf("%s is corrupt: %w", path, err)
	}
	switch {
	case cp.Format != checkpointFormat:
		return nil, &FileError{File: path, Field: "format", Err: fmt.Errorf("%d: this zeronas reads %d", cp.Format, checkpointFormat)}
	case cp.ArchiveBytes < 0:
		return nil, &FileError{File: path, Field: "archive_bytes", Err: fmt.Errorf("%d < 0", cp.ArchiveBytes)}
	case cp.GenerationsBytes < 0:
		return nil, &FileError{File: path, Field: "generations_bytes", Err: fmt.Errorf("%d < 0", cp.GenerationsBytes)}
	case cp.State.Generation < 0:
		return nil, &FileError{File: path, Field: "state.generation", Err: fmt.Errorf("%d < 0", cp.State.Generation)}
	case cp.State.Evaluations < 0:
		return nil, &FileError{File: path, Field: "state.evaluations", Err: fmt.Errorf("%d < 0", cp.State.Evaluations)}
	}
	if field, err := checkState(&cp, cfg); err != nil {
		return nil, &FileError{File: path, Field: field, Err: err}
	}
	return &cp, nil
}

// checkState requires every individual of a checkpoint to be an architecture of the run's
// space under its own ID, with one finite value per objective and a finite, non-negative
// violation, and the normalisation and hypervolumes to be finite and of the right size.
func checkState(cp *Checkpoint, cfg *Config) (string, error) {
	m := len(cfg.Objectives)
	for _, group := range []struct {
		name string
		inds []search.Individual[space.Arch]
	}{{"state.population", cp.State.Population}, {"front", cp.Front}} {
		for i, ind := range group.inds {
			field := fmt.Sprintf("%s[%d]", group.name, i)
			if err := cfg.Space.Validate(ind.Genome); err != nil {
				return field + ".genome", err
			}
			if ind.Key != ind.Genome.ID() {
				return field + ".key", fmt.Errorf("%q does not match its genome (%s)", ind.Key, ind.Genome.ID())
			}
			if len(ind.Objectives) != m {
				return field + ".objectives", fmt.Errorf("%d values for %d objectives", len(ind.Objectives), m)
			}
			if !finite(ind.Objectives...) || !finite(ind.Violation) || ind.Violation < 0 {
				return field, fmt.Errorf("objectives %v, violation %v: want finite values and a violation >= 0", ind.Objectives, ind.Violation)
			}
		}
	}
	for _, v := range []struct {
		name string
		xs   []float64
	}{{"state.ideal", cp.State.Ideal}, {"state.nadir", cp.State.Nadir}} {
		if len(v.xs) != m || !finite(v.xs...) {
			return v.name, fmt.Errorf("%v: want %d finite values", v.xs, m)
		}
	}
	if len(cp.State.Hypervolumes) != cp.State.Generation+1 || !finite(cp.State.Hypervolumes...) {
		return "state.hypervolumes", fmt.Errorf("%d values for %d generations, or not finite", len(cp.State.Hypervolumes), cp.State.Generation+1)
	}
	return "", nil
}

func finite(xs ...float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// restore returns the state the run of dir resumes from and the recorder that goes on
// writing it. The appended files are checked, then truncated to the sizes the checkpoint
// recorded; nothing is changed when anything is wrong. A run without a checkpoint starts
// again from generation 0 (nil Resume).
func restore(dir string, cfg *Config) (*search.Resume[space.Arch], *recorder, error) {
	rec := &recorder{dir: dir, specs: cfg.Objectives, exhaustive: cfg.Strategy == Exhaustive}
	cp, err := readCheckpoint(dir, cfg)
	if err != nil {
		if !isNoCheckpoint(err) {
			return nil, nil, err
		}
		for _, f := range []string{ArchiveFile, GenerationsFile, FrontFile} {
			if err := os.Remove(filepath.Join(dir, f)); err != nil && !notExist(err) {
				return nil, nil, fmt.Errorf("restart %s: %w", dir, err)
			}
		}
		return nil, rec, nil
	}
	res := &search.Resume[space.Arch]{State: cp.State}
	archive := filepath.Join(dir, ArchiveFile)
	err = ReadLines(archive, cp.ArchiveBytes, func(l ArchiveLine) error {
		obj, ok := minimised(cfg.Objectives, l.Values)
		if !ok {
			return fmt.Errorf("values lack an objective of %s", names(cfg.Objectives))
		}
		if l.Arch.ID() != l.ID {
			return fmt.Errorf("id %s does not match its architecture", l.ID)
		}
		res.Evaluated = append(res.Evaluated, search.Individual[space.Arch]{Genome: l.Arch, Key: l.ID,
			Eval: search.Eval{Objectives: obj, Violation: l.Violation}, Generation: l.Generation, Parents: l.Parents})
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	if err := ReadLines(filepath.Join(dir, GenerationsFile), cp.GenerationsBytes, func(GenerationLine) error { return nil }); err != nil {
		return nil, nil, err
	}
	if cfg.Strategy == Exhaustive {
		res.Evaluated = cp.Front
		rec.prevFront = map[string]bool{}
		for _, ind := range cp.Front {
			rec.prevFront[ind.Key] = true
		}
	}
	for _, f := range []struct {
		name string
		size int64
	}{{ArchiveFile, cp.ArchiveBytes}, {GenerationsFile, cp.GenerationsBytes}} {
		if err := os.Truncate(filepath.Join(dir, f.name), f.size); err != nil {
			return nil, nil, fmt.Errorf("truncate %s: %w", f.name, err)
		}
	}
	return res, rec, nil
}

func isNoCheckpoint(err error) bool { return errors.Is(err, ErrNoCheckpoint) }
