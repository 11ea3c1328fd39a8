package export_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/zeronas/zeronas/internal/runtest"
	"github.com/zeronas/zeronas/proxy"
	"github.com/zeronas/zeronas/search/export"
	"github.com/zeronas/zeronas/search/rundir"
	"github.com/zeronas/zeronas/space"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// testRun makes the small run all these tests export (see runtest).
func testRun(t *testing.T) string { return runtest.Make(t, nil) }

// fakeMeasure is a deterministic stand-in for a latency measurement.
func fakeMeasure(ctx context.Context, archs []space.Arch) ([]export.Measurement, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make([]export.Measurement, len(archs))
	for i, a := range archs {
		ms := float64(space.Params(a, space.Faithful)) / 1e6
		out[i] = export.Measurement{MedianMS: ms, P10MS: ms - 0.25, P90MS: ms + 0.5, Reps: 10, Warmup: 2,
			Batch: 1, SeqLen: 128, Device: "test CPU, 1 of 2 threads, linux/amd64"}
	}
	return out, nil
}

// snapshot returns the file at path, or every file below the folder path with its relative
// name, as one text.
func snapshot(t *testing.T, path string) []byte {
	t.Helper()
	var files []string
	err := filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	var b bytes.Buffer
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if f != path {
			rel, _ := filepath.Rel(path, f)
			fmt.Fprintf(&b, "==> %s <==\n", filepath.ToSlash(rel))
		}
		b.Write(data)
	}
	return b.Bytes()
}

// golden compares got with testdata/golden/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; got:\n%s", name, got)
	}
}

func TestWriteGolden(t *testing.T) {
	tests := []struct {
		golden  string
		format  export.Format
		measure export.MeasureFunc
	}{
		{"front.json", export.JSON, nil},
		{"front.csv", export.CSV, nil},
		{"hf.txt", export.HF, nil},
		{"measured.json", export.JSON, fakeMeasure},
		{"measured.csv", export.CSV, fakeMeasure},
		{"measured-hf.txt", export.HF, fakeMeasure},
	}
	runDir := testRun(t)
	r, err := rundir.Open(runDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.golden, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			front, err := export.Write(context.Background(), runDir, export.Options{Format: tc.format, Out: out, Measure: tc.measure})
			if err != nil {
				t.Fatal(err)
			}
			if len(front) != len(r.Front.Front) {
				t.Errorf("%d members exported, want the front's %d", len(front), len(r.Front.Front))
			}
			golden(t, tc.golden, snapshot(t, out))
			if left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".*")); len(left) > 0 {
				t.Errorf("temporary files left behind: %v", left)
			}
		})
	}
}

// TestExportsAreRecords: the JSON export and every arch.json read back as the
// architectures of the front, IDs included.
func TestExportsAreRecords(t *testing.T) {
	runDir := testRun(t)
	r, err := rundir.Open(runDir)
	if err != nil {
		t.Fatal(err)
	}
	sp, err := space.Load(space.Default)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ctx := context.Background()
	if _, err := export.Write(ctx, runDir, export.Options{Format: export.JSON, Out: filepath.Join(dir, "front.json")}); err != nil {
		t.Fatal(err)
	}
	if _, err := export.Write(ctx, runDir, export.Options{Format: export.HF, Out: filepath.Join(dir, "hf")}); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "hf", "*", "arch.json"))
	for _, f := range append(files, filepath.Join(dir, "front.json")) {
		recs, err := space.ReadRecords(f, sp)
		if err != nil {
			t.Fatal(err)
		}
		for _, rec := range recs {
			if rec.ID != rec.Arch.ID() {
				t.Errorf("%s: id %s, architecture %s", f, rec.ID, rec.Arch.ID())
			}
		}
	}
	if len(files) != len(r.Front.Front) {
		t.Errorf("%d arch.json files for %d members", len(files), len(r.Front.Front))
	}
}

func TestMeasureFailureWritesNothing(t *testing.T) {
	runDir := testRun(t)
	out := filepath.Join(t.TempDir(), "front.json")
	boom := errors.New("no device")
	fail := func(context.Context, []space.Arch) ([]export.Measurement, error) { return nil, boom }
	_, err := export.Write(context.Background(), runDir, export.Options{Out: out, Measure: fail})
	if !errors.Is(err, boom) {
		t.Fatalf("error %v, want %v", err, boom)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := export.Write(ctx, runDir, export.Options{Out: out, Measure: fakeMeasure}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: error %v", err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(out)); len(entries) > 0 {
		t.Errorf("left %v", entries)
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.txt")
	boom := errors.New("disk full")
	err := export.WriteFile(path, false, func(w io.Writer) error {
		io.WriteString(w, "half")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("error %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		t.Errorf("a failed write left %v", entries)
	}
}

// TestInfeasible: a front that meets no budget is refused without AllowInfeasible, naming
// the budget and the least violation; with it every format says feasible false and gives
// each member's violation.
func TestInfeasible(t *testing.T) {
	runDir := runtest.Make(t, func(s *rundir.Spec) { s.MaxParams = 1000 })
	ctx := context.Background()
	out := filepath.Join(t.TempDir(), "front.csv")
	_, err := export.Write(ctx, runDir, export.Options{Format: export.CSV, Out: out})
	var ie *export.InfeasibleError
	if !errors.As(err, &ie) {
		t.Fatalf("error %v, want an *InfeasibleError", err)
	}
	for _, want := range []string{"max_params 1000", "least violation", "params", "allow infeasible"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("a refused export wrote %s", out)
	}
	for _, f := range []export.Format{export.JSON, export.CSV, export.HF} {
		t.Run(string(f), func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			front, err := export.Write(ctx, runDir, export.Options{Format: f, Out: out, AllowInfeasible: true})
			if err != nil {
				t.Fatal(err)
			}
			text := string(snapshot(t, out))
			for _, m := range front {
				if m.Feasible || !(m.Violation > 0) {
					t.Errorf("member %s: feasible %v, violation %v", m.ID, m.Feasible, m.Violation)
				}
				if !strings.Contains(text, export.FormatValue(m.Violation)) && !strings.Contains(text, fmt.Sprint(m.Violation)) {
					t.Errorf("%s export lacks member %s's violation %v", f, m.ID, m.Violation)
				}
			}
			if n := strings.Count(text, "false"); n < len(front) {
				t.Errorf("%s export says false %d times for %d infeasible members", f, n, len(front))
			}
		})
	}
}

// TestGPT2Exports: a GPT-2 run's front leaves as LTS records that read back to the same
// architectures, and as GPT2Config-compatible configs.
func TestGPT2Exports(t *testing.T) {
	sp, err := space.Load("gpt2")
	if err != nil {
		t.Fatal(err)
	}
	dir := runtest.Make(t, func(s *rundir.Spec) { s.Space, s.Proxy.Alpha = sp, proxy.DefaultAlphaFor(sp).Alpha })
	ctx := context.Background()
	out := t.TempDir()
	front, err := export.Write(ctx, dir, export.Options{Format: export.LTS, Out: filepath.Join(out, "front.jsonl")})
	if err != nil {
		t.Fatal(err)
	}
	recs, err := space.ReadRecords(filepath.Join(out, "front.jsonl"), sp)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != len(front) {
		t.Fatalf("%d records read back for %d members", len(recs), len(front))
	}
	for i, r := range recs {
		if r.Arch.ID() != front[i].ID {
			t.Errorf("record %d reads back as %s, exported %s", i, r.Arch.ID(), front[i].ID)
		}
	}
	if _, err := export.Write(ctx, dir, export.Options{Format: export.HF, Out: filepath.Join(out, "hf")}); err != nil {
		t.Fatal(err)
	}
	var cfg map[string]any
	data, err := os.ReadFile(filepath.Join(out, "hf", "000-"+front[0].ID, "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg["n_embd"] != float64(front[0].Arch.Layers[0].Hidden) || cfg["n_layer"] != float64(len(front[0].Arch.Layers)) || cfg["zeronas"] == nil {
		t.Errorf("config.json of a GPT-2 member: %v", cfg)
	}
	// A FlexiBERT run has no LTS form.
	if _, err := export.Write(ctx, testRun(t), export.Options{Format: export.LTS, Out: filepath.Join(out, "x.jsonl")}); err == nil {
		t.Error("a FlexiBERT front exported as LTS records")
	}
}
