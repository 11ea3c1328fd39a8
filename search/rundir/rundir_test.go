package rundir_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zeronas/zeronas/internal/runtest"
	"github.com/zeronas/zeronas/search"
	"github.com/zeronas/zeronas/search/rundir"
)

var ctx = context.Background()

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func gens(n int) rundir.Overrides { return rundir.Overrides{Generations: &n} }

// snapshot returns every file of dir by name.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		out[e.Name()] = read(t, filepath.Join(dir, e.Name()))
	}
	return out
}

// TestResumeEqualsStraightRun: a run of 4 generations resumed to 6, after a kill that left
// a partial generation behind its checkpoint, ends where a straight run of 6 does, byte for
// byte.
func TestResumeEqualsStraightRun(t *testing.T) {
	straight := runtest.Make(t, func(s *rundir.Spec) { s.Budget.Generations = 6 })
	cut := runtest.Make(t, nil)
	for _, f := range []string{rundir.ArchiveFile, rundir.GenerationsFile} {
		fh, _ := os.OpenFile(filepath.Join(cut, f), os.O_APPEND|os.O_WRONLY, 0)
		fh.WriteString(`{"generation":99,"id":"partial"`)
		fh.Close()
	}
	oc, err := rundir.Continue(ctx, cut, gens(6), rundir.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if oc.Search.Generations != 2 {
		t.Errorf("resume ran %d generations, want 2", oc.Search.Generations)
	}
	for _, f := range []string{rundir.FrontFile, rundir.ArchiveFile} {
		if read(t, filepath.Join(straight, f)) != read(t, filepath.Join(cut, f)) {
			t.Errorf("%s differs from the straight run", f)
		}
	}
	if n := strings.Count(read(t, filepath.Join(cut, rundir.GenerationsFile)), "\n"); n != 7 {
		t.Errorf("generations.jsonl has %d lines, want 7", n)
	}
	cfg, err := rundir.ReadConfig(cut)
	if err != nil || cfg.Budget.Generations != 6 {
		t.Errorf("run.json budget %+v, %v; want the extension to 6 saved", cfg.Budget, err)
	}
}

// TestContinueComplete: a complete run is left as it is, even with a new seed forced.
func TestContinueComplete(t *testing.T) {
	dir := runtest.Make(t, nil)
	before := snapshot(t, dir)
	seed := uint64(2)
	oc, err := rundir.Continue(ctx, dir, rundir.Overrides{Seed: &seed}, rundir.Options{Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if !oc.AlreadyComplete {
		t.Error("a complete run was not reported complete")
	}
	after := snapshot(t, dir)
	for f, b := range before {
		if after[f] != b {
			t.Errorf("%s changed though nothing ran", f)
		}
	}
	if _, err := rundir.Continue(ctx, dir, rundir.Overrides{Seed: &seed}, rundir.Options{}); !errors.Is(err, rundir.ErrMismatch) {
		t.Errorf("a different seed without force: %v, want ErrMismatch", err)
	}
}

// TestContinueWithoutCheckpoint: a run killed before generation 0 completed starts again
// from generation 0 with its settings, and ends as a straight run does.
func TestContinueWithoutCheckpoint(t *testing.T) {
	straight := runtest.Make(t, nil)
	dir := runtest.Make(t, nil)
	for _, f := range []string{rundir.CheckpointFile, rundir.FrontFile} {
		os.Remove(filepath.Join(dir, f))
	}
	os.WriteFile(filepath.Join(dir, rundir.ArchiveFile), []byte(`{"generation":0,"id":"half`), 0o644)
	if _, err := rundir.Open(dir); err == nil || !strings.Contains(err.Error(), "not completed a generation") {
		t.Errorf("Open of a run without a checkpoint: %v", err)
	}
	if _, err := rundir.Continue(ctx, dir, rundir.Overrides{}, rundir.Options{}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{rundir.FrontFile, rundir.ArchiveFile} {
		if read(t, filepath.Join(straight, f)) != read(t, filepath.Join(dir, f)) {
			t.Errorf("%s differs from the straight run", f)
		}
	}
}

func TestContinueRefusesDamage(t *testing.T) {
	tests := []struct {
		name   string
		damage func(dir string)
		want   string
	}{
		{"corrupt checkpoint", func(d string) { os.WriteFile(filepath.Join(d, rundir.CheckpointFile), []byte(`{"state": {`), 0o644) }, "checkpoint.json is corrupt"},
		{"truncated archive", func(d string) { os.Truncate(filepath.Join(d, rundir.ArchiveFile), 10) }, "was truncated"},
		{"edited archive", func(d string) {
			b := read(t, filepath.Join(d, rundir.ArchiveFile))
			os.WriteFile(filepath.Join(d, rundir.ArchiveFile), []byte(strings.Replace(b, `"hidden":`, `"hidden":1`, 1)), 0o644)
		}, "does not match"},
		{"negative population", func(d string) { edit(t, d, `"pop_size": 8`, `"pop_size": -5`) }, "run.json: nsga2.pop_size: -5: must be from 2"},
		{"empty hidden sizes", func(d string) { edit(t, d, `"hidden": [`, `"hidden": [], "x": [`) }, "run.json: space: nas-bench-bert: space nas-bench-bert: hidden_size: no choices"},
		{"unknown objective", func(d string) { edit(t, d, `"name": "params"`, `"name": "accuracy"`) }, `objectives[1].name: accuracy`},
		{"bad sense", func(d string) { edit(t, d, `"sense": "max"`, `"sense": "min"`) }, "objectives[0].sense: min: proxy is max"},
		{"negative budget", func(d string) { edit(t, d, `"generations": 4`, `"generations": -5`) }, "budget.generations: -5"},
		{"unknown strategy", func(d string) { edit(t, d, `"strategy": "nsga2"`, `"strategy": "sa"`) }, `strategy: sa: unknown strategy "sa"`},
		{"type", func(d string) { edit(t, d, `"seed": 1`, `"seed": "one"`) }, "run.json:"},
		{"no run.json", func(d string) { os.Remove(filepath.Join(d, rundir.ConfigFile)) }, "not a run directory"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := runtest.Make(t, nil)
			tc.damage(dir)
			before := snapshot(t, dir)
			_, err := rundir.Continue(ctx, dir, gens(6), rundir.Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans lines: %q", err)
			}
			for f, b := range before {
				if read(t, filepath.Join(dir, f)) != b {
					t.Errorf("%s changed by a refused resume", f)
				}
			}
		})
	}
}

// edit replaces old by new in the run.json of dir.
func edit(t *testing.T, dir, old, new string) {
	t.Helper()
	path := filepath.Join(dir, rundir.ConfigFile)
	s := read(t, path)
	if !strings.Contains(s, old) {
		t.Fatalf("run.json lacks %q", old)
	}
	os.WriteFile(path, []byte(strings.Replace(s, old, new, 1)), 0o644)
}

func TestStartRefusesWhatItWouldOverwrite(t *testing.T) {
	dir := runtest.Make(t, nil)
	front := read(t, filepath.Join(dir, rundir.FrontFile))
	spec := runtest.Spec(t)
	if _, err := rundir.Start(ctx, dir, spec, rundir.Options{}); !errors.Is(err, rundir.ErrExists) {
		t.Fatalf("second Start: %v", err)
	}
	if read(t, filepath.Join(dir, rundir.FrontFile)) != front {
		t.Error("a refused Start touched the run")
	}
	other := filepath.Join(dir, "notes.txt")
	os.WriteFile(other, []byte("mine"), 0o644)
	spec.Budget.Generations = 1
	if _, err := rundir.Start(ctx, dir, spec, rundir.Options{Force: true}); err != nil {
		t.Fatal(err)
	}
	if read(t, filepath.Join(dir, rundir.FrontFile)) == front {
		t.Error("force kept the old front")
	}
	if read(t, other) != "mine" {
		t.Error("force removed a file that is not the run's")
	}
	// A folder with a user's files and no run is refused without force.
	mine := t.TempDir()
	os.WriteFile(filepath.Join(mine, rundir.FrontFile), []byte(`{"mine":1}`), 0o644)
	if _, err := rundir.Start(ctx, mine, spec, rundir.Options{}); !errors.Is(err, rundir.ErrNotEmpty) {
		t.Errorf("Start in a folder of user files: %v, want ErrNotEmpty", err)
	}
	if read(t, filepath.Join(mine, rundir.FrontFile)) != `{"mine":1}` {
		t.Error("a user's front.json was overwritten")
	}
}

// TestStartValidatesFirst: invalid settings are refused, naming the field, before anything
// is written.
func TestStartValidatesFirst(t *testing.T) {
	tests := []struct {
		name string
		edit func(*rundir.Spec)
		opts rundir.Options
		want string
	}{
		{"population", func(s *rundir.Spec) { s.NSGA2.PopSize = -3 }, rundir.Options{}, "nsga2.pop_size -3"},
		{"huge population", func(s *rundir.Spec) { s.NSGA2.PopSize = 1_000_000_000 }, rundir.Options{}, "nsga2.pop_size 1000000000"},
		{"generations", func(s *rundir.Spec) { s.Budget.Generations = -1 }, rundir.Options{}, "budget.generations -1"},
		{"max evals", func(s *rundir.Spec) { s.Budget.Evaluations = -5 }, rundir.Options{}, "budget.max_evals -5"},
		{"time", func(s *rundir.Spec) { s.Budget.TimeLimit = -1 }, rundir.Options{}, "budget.time_limit"},
		{"params budget", func(s *rundir.Spec) { s.MaxParams = -1 }, rundir.Options{}, "max_params -1"},
		{"params NaN", func(s *rundir.Spec) { s.MaxParams = nan() }, rundir.Options{}, "max_params NaN"},
		{"workers", nil, rundir.Options{Workers: -3}, "workers -3"},
		{"exhaustive", func(s *rundir.Spec) {
			s.Strategy = rundir.Exhaustive
			s.Space.Name = "flexibert"
			s.Space.Depths = []int{2, 4, 6, 8, 10, 12}
		}, rundir.Options{},
			"over the limit"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			spec := runtest.Spec(t)
			if tc.edit != nil {
				tc.edit(&spec)
			}
			dir := filepath.Join(t.TempDir(), "run")
			_, err := rundir.Start(ctx, dir, spec, tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
			if _, err := os.Stat(dir); err == nil {
				t.Errorf("a refused Start created %s", dir)
			}
		})
	}
}

func nan() float64 {
	var z float64
	return z / z
}

// TestOpen reads what the search wrote: the front of its last checkpoint with its
// feasibility, and every generation.
func TestOpen(t *testing.T) {
	dir := runtest.Make(t, nil)
	r, err := rundir.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	var f rundir.Front
	if err := jsonFile(filepath.Join(dir, rundir.FrontFile), &f); err != nil {
		t.Fatal(err)
	}
	if len(r.Front.Front) != len(f.Front) || !r.Front.Feasible || r.Infeasible() != nil {
		t.Errorf("front of %d (feasible %v), front.json has %d", len(r.Front.Front), r.Front.Feasible, len(f.Front))
	}
	if len(r.Generations) != 5 {
		t.Errorf("%d generations, want 5", len(r.Generations))
	}
	n := 0
	if err := r.Archive(ctx, func(rundir.ArchiveLine) error { n++; return nil }); err != nil || n != 40 {
		t.Errorf("%d archive lines (%v), want 40", n, err)
	}
	bad := runtest.Make(t, func(s *rundir.Spec) { s.MaxParams = 1000 })
	r, err = rundir.Open(bad)
	if err != nil {
		t.Fatal(err)
	}
	in := r.Infeasible()
	if in == nil || len(in.Excesses) != 1 || in.Excesses[0].Budget != "max_params" || !(in.Excesses[0].Value > 1000) {
		t.Fatalf("infeasible %+v", in)
	}
	if !strings.Contains(in.Error(), "max_params 1000") {
		t.Errorf("%q does not name the budget", in.Error())
	}
}

// TestTimeLimitBecomesBudget: a run stopped by its time limit is complete: a plain
// Continue runs nothing more.
func TestTimeLimitBecomesBudget(t *testing.T) {
	dir := runtest.Make(t, func(s *rundir.Spec) { s.Budget = rundir.Budget{TimeLimit: 1} })
	cfg, err := rundir.ReadConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Budget.TimeLimit != 0 || cfg.Budget.Generations < 0 {
		t.Fatalf("budget after a time-limited run: %+v", cfg.Budget)
	}
	oc, err := rundir.Continue(ctx, dir, rundir.Overrides{}, rundir.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !oc.AlreadyComplete || oc.Search.Status == search.Canceled {
		t.Errorf("plain resume after a time limit: complete %v, status %v", oc.AlreadyComplete, oc.Search.Status)
	}
}
