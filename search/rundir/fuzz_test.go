package rundir_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/zeronas/zeronas/internal/runtest"
	"github.com/zeronas/zeronas/search/rundir"
)

// fuzzFile fuzzes one file of a real run: whatever bytes it holds, opening the run,
// reading its configuration and resuming it end in a result or an error, never a panic.
func fuzzFile(f *testing.F, name string, resume bool) {
	run := runtest.Make(f, nil)
	seed, err := os.ReadFile(filepath.Join(run, name))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(`{}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"format": 1, "state": {"generation": 3, "population": [{"objectives": [1]}]}, "front": [{"objectives": []}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := filepath.Join(t.TempDir(), "run")
		if err := os.CopyFS(dir, os.DirFS(run)); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
		if cfg, err := rundir.ReadConfig(dir); err == nil {
			cfg.Problem(dir)
			cfg.Method()
		}
		if r, err := rundir.Open(dir); err == nil {
			r.Infeasible()
			r.Archive(context.Background(), func(rundir.ArchiveLine) error { return nil })
		}
		if resume {
			n := 5
			rundir.Continue(context.Background(), dir, rundir.Overrides{Generations: &n}, rundir.Options{Workers: 1})
		}
	})
}

func FuzzConfig(f *testing.F)     { fuzzFile(f, rundir.ConfigFile, true) }
func FuzzCheckpoint(f *testing.F) { fuzzFile(f, rundir.CheckpointFile, true) }
