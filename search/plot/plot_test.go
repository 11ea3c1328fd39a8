package plot_test

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zeronas/zeronas/internal/runtest"
	"github.com/zeronas/zeronas/search/export"
	"github.com/zeronas/zeronas/search/plot"
	"github.com/zeronas/zeronas/search/rundir"
)

// edited returns a copy of the run in dir with the first line of the named file replaced
// by line, padded to the same length so the checkpoint's recorded sizes still hold.
func edited(t *testing.T, dir, name, line string) string {
	t.Helper()
	cp := filepath.Join(t.TempDir(), "run")
	if err := os.CopyFS(cp, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(cp, name)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	first, rest, _ := strings.Cut(string(data), "\n")
	if len(line) > len(first) {
		t.Fatalf("replacement longer than the line it replaces")
	}
	if err := os.WriteFile(path, []byte(line+strings.Repeat(" ", len(first)-len(line))+"\n"+rest), 0o644); err != nil {
		t.Fatal(err)
	}
	return cp
}

func TestRender(t *testing.T) {
	runDir := runtest.Make(t, nil)
	infeasible := runtest.Make(t, func(s *rundir.Spec) { s.MaxParams = 1000 })
	tests := []struct {
		name      string
		dir       string
		out       string
		minBytes  int
		wantW     int // PNG width in pixels
		wantInSVG []string
	}{
		{"png", runDir, "front.png", 20_000, 990, nil},
		{"svg", runDir, "front.svg", 20_000, 0, []string{"<svg", "proxy, higher is better", "params (count), lower is better",
			"latency (ms), lower is better", "hypervolume", "on the front (red) of 40 evaluated (grey) in 5 generations"}},
		{"infeasible", infeasible, "front.svg", 20_000, 0, []string{"INFEASIBLE: nothing met the budgets"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), tc.out)
			if err := plot.Render(context.Background(), tc.dir, out, plot.Options{}); err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if len(data) < tc.minBytes {
				t.Errorf("%d bytes, want at least %d", len(data), tc.minBytes)
			}
			if tc.wantW > 0 {
				img, err := png.Decode(bytes.NewReader(data))
				if err != nil {
					t.Fatalf("not a PNG: %v", err)
				}
				if w := img.Bounds().Dx(); w != tc.wantW {
					t.Errorf("width %d px, want %d", w, tc.wantW)
				}
			}
			for _, s := range tc.wantInSVG {
				if !bytes.Contains(data, []byte(s)) {
					t.Errorf("SVG lacks %q", s)
				}
			}
		})
	}
}

func TestRenderRefusesExisting(t *testing.T) {
	runDir := runtest.Make(t, nil)
	out := filepath.Join(t.TempDir(), "mine.png")
	os.WriteFile(out, []byte("precious"), 0o644)
	if err := plot.Render(context.Background(), runDir, out, plot.Options{}); !errors.Is(err, export.ErrExists) {
		t.Fatalf("error %v, want export.ErrExists", err)
	}
	if data, _ := os.ReadFile(out); string(data) != "precious" {
		t.Fatal("the existing file changed")
	}
	if err := plot.Render(context.Background(), runDir, out, plot.Options{Force: true}); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(out)); len(entries) != 1 {
		t.Errorf("left %v", entries)
	}
}

func TestRenderErrors(t *testing.T) {
	runDir := runtest.Make(t, nil)
	tests := []struct {
		name string
		dir  string
		out  string
		want []string
	}{
		{"extension", runDir, "front.pdf", []string{"front.pdf", "unknown image format"}},
		{"no dir", filepath.Join(t.TempDir(), "none"), "f.png", []string{"none", "no such run directory"}},
		{"bad archive line", edited(t, runDir, "archive.jsonl", "{oops"), "f.png", []string{"archive.jsonl:1:", "invalid character"}},
		{"archive value", edited(t, runDir, "archive.jsonl", `{"values": {"proxy": 1, "params": 2}}`),
			"f.png", []string{"archive.jsonl:1:", `no value for objective "latency"`}},
		{"generation type", edited(t, runDir, "generations.jsonl", `{"generation": 0, "hypervolume": "big"}`),
			"f.png", []string{"generations.jsonl:1:", "hypervolume", "string where a number expected"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := plot.Render(context.Background(), tc.dir, filepath.Join(t.TempDir(), tc.out), plot.Options{})
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

// TestReadDataConsistent: what a search is appending beyond its last checkpoint is not
// read: a reader sees the last complete generation.
func TestReadDataConsistent(t *testing.T) {
	dir := runtest.Make(t, nil)
	want, err := plot.ReadData(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"archive.jsonl", "generations.jsonl"} {
		fh, err := os.OpenFile(filepath.Join(dir, f), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		fh.WriteString(`{"generation": 5, "values": {"proxy": 1, "params": 2, "latency": 3}}` + "\n{\"half")
		fh.Close()
	}
	got, err := plot.ReadData(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Archive) != len(want.Archive) || len(got.Run.Generations) != len(want.Run.Generations) {
		t.Errorf("read %d archive lines and %d generations, want %d and %d", len(got.Archive), len(got.Run.Generations),
			len(want.Archive), len(want.Run.Generations))
	}
}
