package rundir

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/zeronas/zeronas/search"
	"github.com/zeronas/zeronas/space"
)

// ErrNoCheckpoint reports a run that never completed a generation.
var ErrNoCheckpoint = errors.New("no checkpoint: the run never completed a generation")

// readCheckpoint reads and checks the checkpoint of dir; ErrNoCheckpoint when there is none.
func readCheckpoint(dir string) (*Checkpoint, error) {
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
	}
	return &cp, nil
}

// restore returns the state the run of dir resumes from and the recorder that goes on
// writing it. The appended files are checked, then truncated to the sizes the checkpoint
// recorded; nothing is changed when anything is wrong. A run without a checkpoint starts
// again from generation 0 (nil Resume).
func restore(dir string, cfg *Config) (*search.Resume[space.Arch], *recorder, error) {
	rec := &recorder{dir: dir, specs: cfg.Objectives, exhaustive: cfg.Strategy == Exhaustive}
	cp, err := readCheckpoint(dir)
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
