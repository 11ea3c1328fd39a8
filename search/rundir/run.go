package rundir

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/zeronas/zeronas/internal/atomicfile"
	"github.com/zeronas/zeronas/search"
	"github.com/zeronas/zeronas/space"
)

// ErrExists is returned when a directory already holds a run and the caller did not force.
var ErrExists = errors.New("holds a run")

// ErrNoCheckpoint is returned by Resume for a run that never completed a generation.
var ErrNoCheckpoint = errors.New("no checkpoint: the run never completed a generation")

// runFiles are the files a run writes; Create with force removes exactly these.
var runFiles = []string{ConfigFile, CheckpointFile, ArchiveFile, GenerationsFile, FrontFile, LatencyFile}

// HoldsRun reports whether dir holds a run.
func HoldsRun(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, ConfigFile))
	return err == nil
}

// Create makes dir a new run with configuration cfg and returns its recorder. A directory
// that holds a run is refused unless force; then only the run's own files are removed.
// latencyTable, if not empty, is copied into the run so resume and export use the same
// costs on any machine.
func Create(dir string, cfg *Config, latencyTable []byte, force bool) (*Recorder, error) {
	if HoldsRun(dir) && !force {
		return nil, fmt.Errorf("%s %w (resume it with 'zeronas resume %s', or start over with --force)", dir, ErrExists, dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", dir, err)
	}
	for _, f := range runFiles {
		if err := os.Remove(filepath.Join(dir, f)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("start over in %s: %w", dir, err)
		}
	}
	if latencyTable != nil {
		if err := atomicfile.Write(filepath.Join(dir, LatencyFile), latencyTable); err != nil {
			return nil, err
		}
	}
	if err := writeJSONAtomic(filepath.Join(dir, ConfigFile), cfg); err != nil {
		return nil, err
	}
	return &Recorder{dir: dir, specs: cfg.Objectives}, nil
}

// Discard removes the files of a run that could not start, so that the directory can be
// used again without --force. It removes nothing but the run's own files.
func Discard(dir string) error {
	for _, f := range runFiles {
		if err := os.Remove(filepath.Join(dir, f)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("discard %s: %w", dir, err)
		}
	}
	return nil
}

// ReadConfig reads the run.json of dir.
func ReadConfig(dir string) (*Config, error) {
	path := filepath.Join(dir, ConfigFile)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s is not a run directory: %w", dir, err)
	}
	var c Config
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if c.Space == nil || len(c.Objectives) < 2 {
		return nil, fmt.Errorf("%s: missing space or objectives", path)
	}
	return &c, nil
}

// ReadFront reads the front.json of dir.
func ReadFront(dir string) (*Front, error) {
	path := filepath.Join(dir, FrontFile)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	var f Front
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &f, nil
}

// Resume reads everything a run needs to continue: the checkpoint and every architecture
// evaluated up to it. It checks everything before it changes anything; then it truncates
// the append-only files to the checkpoint (dropping a generation a kill interrupted) and
// returns the resume point and a recorder that continues the files.
func Resume(dir string, cfg *Config) (*search.Resume[space.Arch], *Recorder, error) {
	path := filepath.Join(dir, CheckpointFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil, fmt.Errorf("%s: %w", dir, ErrNoCheckpoint)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", path, err)
	}
	var cp Checkpoint
	if err := json.Unmarshal(data, &cp); err != nil {
		return nil, nil, fmt.Errorf("%s is corrupt: %w", path, err)
	}
	if cp.Format != checkpointFormat {
		return nil, nil, fmt.Errorf("%s: format %d, this zeronas reads %d", path, cp.Format, checkpointFormat)
	}
	lines, err := readLines[ArchiveLine](filepath.Join(dir, ArchiveFile), cp.ArchiveBytes)
	if err != nil {
		return nil, nil, err
	}
	if _, err := readLines[GenerationLine](filepath.Join(dir, GenerationsFile), cp.GenerationsBytes); err != nil {
		return nil, nil, err
	}
	res := &search.Resume[space.Arch]{State: cp.State}
	for i, l := range lines {
		obj, ok := minimised(cfg.Objectives, l.Values)
		if !ok {
			return nil, nil, fmt.Errorf("%s: line %d: values lack an objective of %v", ArchiveFile, i+1, cfg.Names())
		}
		if l.Arch.ID() != l.ID {
			return nil, nil, fmt.Errorf("%s: line %d: id %s does not match its architecture", ArchiveFile, i+1, l.ID)
		}
		res.Evaluated = append(res.Evaluated, search.Individual[space.Arch]{Genome: l.Arch, Key: l.ID,
			Eval: search.Eval{Objectives: obj, Violation: l.Violation}, Generation: l.Generation, Parents: l.Parents})
	}
	if cfg.Strategy == "exhaustive" {
		res.Evaluated = cp.Front
	}
	for _, f := range []struct {
		name string
		size int64
	}{{ArchiveFile, cp.ArchiveBytes}, {GenerationsFile, cp.GenerationsBytes}} {
		if err := os.Truncate(filepath.Join(dir, f.name), f.size); err != nil {
			return nil, nil, fmt.Errorf("truncate %s: %w", f.name, err)
		}
	}
	return res, &Recorder{dir: dir, specs: cfg.Objectives}, nil
}

// UpdateConfig replaces run.json, for a resume that extends the budget (or was forced).
func UpdateConfig(dir string, cfg *Config) error {
	return writeJSONAtomic(filepath.Join(dir, ConfigFile), cfg)
}
