package export_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zeronas/zeronas/search/export"
)

const (
	objs  = `[{"name": "proxy", "sense": "max"}, {"name": "params", "sense": "min"}]`
	layer = `{"hidden": 256, "op": "SA", "param": "SDP", "heads": 4, "ff": [1024]}`
	vals  = `{"proxy": 2.5, "params": 9000000}`
)

// member returns a front member with the given layers and values.
func member(layers, values string) string {
	return `{"id": "x", "arch": {"layers": [` + layers + `]}, "values": ` + values + `}`
}

// runWith writes a run directory holding the given front.json and, if not empty, run.json.
func runWith(t *testing.T, front, run string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "front.json"), []byte(front), 0o644); err != nil {
		t.Fatal(err)
	}
	if run != "" {
		if err := os.WriteFile(filepath.Join(dir, "run.json"), []byte(run), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestReadRunErrors(t *testing.T) {
	good := member(layer+", "+layer, vals)
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	tests := []struct {
		name string
		dir  string
		want []string
	}{
		{"missing dir", filepath.Join(t.TempDir(), "none"), []string{"none", "no such run directory"}},
		{"not a dir", file, []string{"file", "not a directory"}},
		{"no front", t.TempDir(), []string{"front.json", "no such file", "zeronas search --out"}},
		{"syntax", runWith(t, "{\"objectives\": "+objs+",\n \"front\": [}", ""), []string{"front.json:2:", "invalid character"}},
		{"type", runWith(t, `{"objectives": `+objs+`, "front": [`+member(layer, `{"proxy": "high"}`)+`]}`, ""),
			[]string{"front.json:1:", "front.values", `string where a number expected`}},
		{"no objectives", runWith(t, `{"front": [`+good+`]}`, ""), []string{"front.json: objectives: missing"}},
		{"no front list", runWith(t, `{"objectives": `+objs+`}`, ""), []string{"front.json: front: missing"}},
		{"empty front", runWith(t, `{"objectives": `+objs+`, "front": []}`, ""), []string{"front: empty"}},
		{"bad sense", runWith(t, `{"objectives": [{"name": "proxy", "sense": "up"}], "front": [`+good+`]}`, ""),
			[]string{"objectives", `sense "up"`}},
		{"twice", runWith(t, `{"objectives": [{"name": "p", "sense": "max"}, {"name": "p", "sense": "min"}], "front": [`+good+`]}`, ""),
			[]string{`objective "p" appears twice`}},
		{"missing value", runWith(t, `{"objectives": `+objs+`, "front": [`+good+`, `+member(layer+", "+layer, `{"proxy": 1}`)+`]}`, ""),
			[]string{"front[1].values", `no value for objective "params"`}},
		{"no layers", runWith(t, `{"objectives": `+objs+`, "front": [`+member("", vals)+`]}`, ""),
			[]string{"front[0].arch.layers", "missing or empty"}},
		{"bad heads", runWith(t, `{"objectives": `+objs+`, "front": [`+member(layer+`, {"hidden": 256, "op": "SA", "param": "SDP", "heads": 3, "ff": [1024]}`, vals)+`]}`, ""),
			[]string{"front[0].arch.layers[1].heads", "3 does not divide hidden 256"}},
		{"bad op", runWith(t, `{"objectives": `+objs+`, "front": [`+member(`{"hidden": 256, "op": "MLP", "param": "SDP", "heads": 4, "ff": [1024]}`, vals)+`]}`, ""),
			[]string{"front[0].arch.layers[0].op", `"MLP"`}},
		{"not in space", runWith(t, `{"objectives": `+objs+`, "front": [`+member(layer, vals)+`]}`, `{"space": {"name": "nas-bench-bert"}}`),
			[]string{"front[0].arch", "not in space nas-bench-bert", "encoder_layers=1"}},
		{"bad run.json", runWith(t, `{"objectives": `+objs+`, "front": [`+good+`]}`, `{"space": "nas"}`),
			[]string{"run.json:1:", "space", "string where an object expected"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := export.ReadRun(tc.dir)
			var re *export.RunError
			if !errors.As(err, &re) {
				t.Fatalf("error %v, want a *RunError", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans lines: %q", err)
			}
		})
	}
}

func TestRefuseExisting(t *testing.T) {
	ctx := context.Background()
	write := func(format export.Format, out string, force bool) error {
		_, err := export.Write(ctx, runDir, export.Options{Format: format, Out: out, Force: force})
		return err
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "mine.csv")
	os.WriteFile(file, []byte("precious"), 0o644)
	full := filepath.Join(dir, "full")
	os.MkdirAll(filepath.Join(full, "notes"), 0o755)
	empty := filepath.Join(dir, "empty")
	os.Mkdir(empty, 0o755)
	previous := filepath.Join(dir, "previous")
	if err := write(export.HF, previous, false); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		format export.Format
		out    string
		force  bool
		exists bool   // want ErrExists
		want   string // want an error with this, or none if empty and not exists
	}{
		{"file", export.CSV, file, false, true, ""},
		{"folder for a file", export.JSON, full, true, true, "as a folder"},
		{"non-empty folder", export.HF, full, false, true, ""},
		{"foreign folder forced", export.HF, full, true, true, "holds notes"},
		{"file for a folder", export.HF, file, true, true, "want a folder"},
		{"previous export", export.HF, previous, false, true, ""},
		{"previous export forced", export.HF, previous, true, false, ""},
		{"empty folder", export.HF, empty, false, false, ""},
		{"file forced", export.CSV, file, true, false, ""},
		{"unknown format", "xml", filepath.Join(dir, "x"), false, false, `unknown format "xml"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := write(tc.format, tc.out, tc.force)
			switch {
			case tc.exists && !errors.Is(err, export.ErrExists):
				t.Errorf("error %v, want ErrExists", err)
			case tc.want == "" && !tc.exists && err != nil:
				t.Errorf("error %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(full, "notes")); err != nil {
		t.Errorf("a refused export removed what was there: %v", err)
	}
	if entries, _ := filepath.Glob(filepath.Join(dir, ".*")); len(entries) > 0 {
		t.Errorf("temporary files left: %v", entries)
	}
}
