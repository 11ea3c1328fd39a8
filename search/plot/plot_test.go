package plot_test

import (
	"bytes"
	"errors"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zeronas/zeronas/search/export"
	"github.com/zeronas/zeronas/search/plot"
)

const runDir = "testdata/run"

// copyRun copies the test run into a temporary folder, replacing or adding the given
// files (an empty content removes the file), and returns the folder.
func copyRun(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"run.json", "front.json", "archive.jsonl", "generations.jsonl"} {
		data, err := os.ReadFile(filepath.Join(runDir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, data := range files {
		path := filepath.Join(dir, name)
		if data == "" {
			os.Remove(path)
			continue
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestRender(t *testing.T) {
	tests := []struct {
		name      string
		dir       string
		out       string
		minBytes  int
		wantW     int // PNG width in pixels
		wantInSVG []string
	}{
		{"png", runDir, "front.png", 20_000, 990, nil},
		{"svg", runDir, "front.svg", 20_000, 0, []string{"<svg", "proxy (max)", "params (min)", "hypervolume", "12 on the front (red) of 40 evaluated (grey) in 5 generations"}},
		{"front only", copyRun(t, map[string]string{"archive.jsonl": "", "generations.jsonl": ""}), "front.png", 10_000, 990, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), tc.out)
			if err := plot.Render(tc.dir, out, plot.Options{}); err != nil {
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
	out := filepath.Join(t.TempDir(), "mine.png")
	os.WriteFile(out, []byte("precious"), 0o644)
	if err := plot.Render(runDir, out, plot.Options{}); !errors.Is(err, export.ErrExists) {
		t.Fatalf("error %v, want export.ErrExists", err)
	}
	if data, _ := os.ReadFile(out); string(data) != "precious" {
		t.Fatal("the existing file changed")
	}
	if err := plot.Render(runDir, out, plot.Options{Force: true}); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(out)); len(entries) != 1 {
		t.Errorf("left %v", entries)
	}
}

func TestRenderErrors(t *testing.T) {
	gen := `{"generation": 0, "evaluations": 8, "hypervolume": 0.5}` + "\n"
	tests := []struct {
		name string
		dir  string
		out  string
		want []string
	}{
		{"extension", runDir, "front.pdf", []string{"front.pdf", "unknown image format"}},
		{"no dir", filepath.Join(t.TempDir(), "none"), "f.png", []string{"none", "no such run directory"}},
		{"no front", copyRun(t, map[string]string{"front.json": ""}), "f.png", []string{"front.json", "no such file"}},
		{"bad archive line", copyRun(t, map[string]string{"archive.jsonl": `{"values": {"proxy": 1, "params": 2, "latency": 3}}` + "\n{oops\n"}),
			"f.png", []string{"archive.jsonl:2:", "invalid character"}},
		{"archive value", copyRun(t, map[string]string{"archive.jsonl": `{"values": {"proxy": 1, "params": 2}}` + "\n"}),
			"f.png", []string{"archive.jsonl:1:", `no value for objective "latency"`}},
		{"generation type", copyRun(t, map[string]string{"generations.jsonl": gen + `{"generation": 1, "hypervolume": "big"}` + "\n"}),
			"f.png", []string{"generations.jsonl:2:", "hypervolume", "string where a number expected"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := plot.Render(tc.dir, filepath.Join(t.TempDir(), tc.out), plot.Options{})
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

// TestReadDataTolerance: a repeated generation keeps its last record, and an incomplete
// last line (a search appending) is ignored.
func TestReadDataTolerance(t *testing.T) {
	gens := `{"generation": 1, "evaluations": 16, "hypervolume": 0.4}
{"generation": 0, "evaluations": 8, "hypervolume": 0.1}
{"generation": 1, "evaluations": 16, "hypervolume": 0.5}
{"generation": 2, "evalua`
	dir := copyRun(t, map[string]string{"generations.jsonl": gens, "archive.jsonl": `{"values": {"proxy": 1, "params": 2, "latency": 3}}` + "\n{\"val"})
	d, err := plot.ReadData(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Archive) != 1 {
		t.Errorf("%d archive points, want 1", len(d.Archive))
	}
	if len(d.Generations) != 2 || d.Generations[0].Hypervolume != 0.1 || d.Generations[1].Hypervolume != 0.5 {
		t.Errorf("generations %+v", d.Generations)
	}
}
