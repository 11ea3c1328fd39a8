package rundir

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zeronas/zeronas/proxy"
	"github.com/zeronas/zeronas/search"
	"github.com/zeronas/zeronas/space"
)

func testConfig(t testing.TB) *Config {
	t.Helper()
	sp, err := space.Load("nas-bench-bert")
	if err != nil {
		t.Fatal(err)
	}
	return &Config{Version: "test", Space: sp, Objectives: []ObjectiveSpec{{"proxy", "max"}, {"params", "min"}, {"flops", "min"}},
		Proxy: proxy.DefaultSettings(), Strategy: "nsga2", NSGA2: search.NSGA2{PopSize: 20}, Seed: 3, Budget: Budget{Generations: 6}}
}

// start runs a fresh search of cfg into dir.
func start(t testing.TB, dir string, cfg *Config) *search.Result[space.Arch] {
	t.Helper()
	rec, err := Create(dir, cfg, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	return runWith(t, dir, cfg, rec, nil)
}

func runWith(t testing.TB, dir string, cfg *Config, rec *Recorder, res *search.Resume[space.Arch]) *search.Result[space.Arch] {
	t.Helper()
	p, err := cfg.Problem(dir)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := cfg.Method()
	s := cfg.Settings()
	out, err := search.Minimize(context.Background(), p, p, m, &s, &search.Options[space.Arch]{Recorder: rec, Resume: res})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestResumeAfterPartialGeneration: a kill between the appends and the checkpoint leaves
// lines the checkpoint does not cover; a resume drops them and ends where a straight run does.
func TestResumeAfterPartialGeneration(t *testing.T) {
	cfg := testConfig(t)
	straight, cut := t.TempDir(), t.TempDir()
	start(t, straight, cfg)
	short := *cfg
	short.Budget.Generations = 3
	start(t, cut, &short)
	// A generation that a kill interrupted after its appends.
	for _, f := range []string{ArchiveFile, GenerationsFile} {
		fh, _ := os.OpenFile(filepath.Join(cut, f), os.O_APPEND|os.O_WRONLY, 0)
		fh.WriteString(`{"generation":99,"id":"partial"`)
		fh.Close()
	}
	res, rec, err := Resume(cut, cfg)
	if err != nil {
		t.Fatal(err)
	}
	runWith(t, cut, cfg, rec, res)
	for _, f := range []string{FrontFile, ArchiveFile} {
		if read(t, filepath.Join(straight, f)) != read(t, filepath.Join(cut, f)) {
			t.Errorf("%s differs from the straight run", f)
		}
	}
	if n := strings.Count(read(t, filepath.Join(cut, GenerationsFile)), "\n"); n != 7 {
		t.Errorf("generations.jsonl has %d lines, want 7", n)
	}
}

func TestResumeRefusesDamage(t *testing.T) {
	cfg := testConfig(t)
	tests := []struct {
		name   string
		damage func(dir string)
		want   string
	}{
		{"corrupt checkpoint", func(d string) { os.WriteFile(filepath.Join(d, CheckpointFile), []byte(`{"state": {`), 0o644) }, "checkpoint.json is corrupt"},
		{"no checkpoint", func(d string) { os.Remove(filepath.Join(d, CheckpointFile)) }, "no checkpoint"},
		{"truncated archive", func(d string) { os.Truncate(filepath.Join(d, ArchiveFile), 10) }, "was truncated"},
		{"edited archive", func(d string) {
			b := read(t, filepath.Join(d, ArchiveFile))
			os.WriteFile(filepath.Join(d, ArchiveFile), []byte(strings.Replace(b, `"hidden":`, `"hidden":1`, 1)), 0o644)
		}, "does not match"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			start(t, dir, cfg)
			tc.damage(dir)
			before := map[string]string{}
			for _, f := range runFiles {
				if b, err := os.ReadFile(filepath.Join(dir, f)); err == nil {
					before[f] = string(b)
				}
			}
			_, _, err := Resume(dir, cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
			for f, b := range before {
				if read(t, filepath.Join(dir, f)) != b {
					t.Errorf("%s changed by a refused resume", f)
				}
			}
		})
	}
}

func TestCreateRefusesARun(t *testing.T) {
	cfg := testConfig(t)
	dir := t.TempDir()
	start(t, dir, cfg)
	front := read(t, filepath.Join(dir, FrontFile))
	if _, err := Create(dir, cfg, nil, false); !errors.Is(err, ErrExists) {
		t.Fatalf("second Create: %v", err)
	}
	if read(t, filepath.Join(dir, FrontFile)) != front {
		t.Error("a refused Create touched the run")
	}
	other := filepath.Join(dir, "notes.txt")
	os.WriteFile(other, []byte("mine"), 0o644)
	if _, err := Create(dir, cfg, nil, true); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, FrontFile)); err == nil {
		t.Error("--force kept the old front")
	}
	if read(t, other) != "mine" {
		t.Error("--force removed a file that is not the run's")
	}
}

func TestDifferences(t *testing.T) {
	a, b := testConfig(t), testConfig(t)
	b.Budget.Generations = 100
	if d := a.Differences(b); len(d) != 0 {
		t.Errorf("a budget is not a difference: %v", d)
	}
	b.Seed, b.Proxy.Alpha = 4, 0.1
	if d := a.Differences(b); len(d) != 2 {
		t.Errorf("differences %v, want seed and proxy", d)
	}
}

// BenchmarkRecord measures what a run directory costs per generation at population 100:
// the appends, front.json and the checkpoint, each synced.
func BenchmarkRecord(b *testing.B) {
	cfg := testConfig(b)
	cfg.NSGA2.PopSize = 100
	cfg.Budget.Generations = 3
	dir := b.TempDir()
	rec, err := Create(dir, cfg, nil, false)
	if err != nil {
		b.Fatal(err)
	}
	capture := &captureRecorder{}
	p, _ := cfg.Problem(dir)
	s := cfg.Settings()
	search.Minimize(context.Background(), p, p, cfg.NSGA2, &s, &search.Options[space.Arch]{Recorder: capture})
	last := capture.last
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := rec.Record(last); err != nil {
			b.Fatal(err)
		}
	}
}

type captureRecorder struct{ last *search.Report[space.Arch] }

func (c *captureRecorder) Init(search.RunInfo) error { return nil }
func (c *captureRecorder) Record(r *search.Report[space.Arch]) error {
	c.last = r
	return nil
}
