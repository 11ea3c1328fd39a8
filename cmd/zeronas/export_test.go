package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
	"github.com/zeronas/zeronas/internal/runtest"
	"github.com/zeronas/zeronas/search/rundir"
)

// TestTakeawayCommandsDocumented: export and plot document themselves and every flag.
func TestTakeawayCommandsDocumented(t *testing.T) {
	for _, c := range []*cli.Command{exportCommand(), plotCommand()} {
		if c.Usage == "" || c.UsageText == "" || c.Description == "" {
			t.Errorf("%s: missing Usage, UsageText or Description", c.Name)
		}
		for _, f := range c.Flags {
			if df, ok := f.(cli.DocGenerationFlag); ok && df.GetUsage() == "" {
				t.Errorf("%s: flag %v has no usage", c.Name, f.Names())
			}
		}
	}
}

func TestExport(t *testing.T) {
	exportRun := runtest.Make(t, nil)
	r, err := rundir.Open(exportRun)
	if err != nil {
		t.Fatal(err)
	}
	first := r.Front.Front[0].ID
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
		file string // a file the export must write
	}{
		{"json, flags after DIR", []string{"export", exportRun, "--format", "json", "--out", filepath.Join(dir, "f.json")}, "f.json"},
		{"csv, flags before DIR", []string{"export", "--format", "csv", "--out", filepath.Join(dir, "f.csv"), exportRun}, "f.csv"},
		{"hf, flags around DIR", []string{"export", "--format", "hf", exportRun, "--out", filepath.Join(dir, "hf")}, "hf/000-" + first + "/config.json"},
		{"measured", []string{"export", exportRun, "--out", filepath.Join(dir, "m.json"), "--measure", "--reps", "1", "--warmup", "0", "--seq-len", "8"}, "m.json"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, errs, code := run(t, tc.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			if want := fmt.Sprintf("exported %d architectures of %s", len(r.Front.Front), exportRun); !strings.HasPrefix(out, want) {
				t.Errorf("stdout %q", out)
			}
			if _, err := os.Stat(filepath.Join(dir, tc.file)); err != nil {
				t.Error(err)
			}
		})
	}
	data, err := os.ReadFile(filepath.Join(dir, "m.json"))
	if err != nil {
		t.Fatal(err)
	}
	var front []struct {
		Latency *struct {
			MedianMS float64 `json:"median_ms"`
			Reps     int     `json:"reps"`
			SeqLen   int     `json:"seq_len"`
			Device   string  `json:"device"`
		} `json:"measured_latency"`
	}
	if err := json.Unmarshal(data, &front); err != nil {
		t.Fatal(err)
	}
	for i, m := range front {
		if l := m.Latency; l == nil || l.MedianMS <= 0 || l.Reps != 1 || l.SeqLen != 8 || l.Device == "" {
			t.Errorf("member %d: measured latency %+v", i, l)
		}
	}
}

func TestTakeawayBadInput(t *testing.T) {
	exportRun := runtest.Make(t, nil)
	plotRun := exportRun
	infeasible := runtest.Make(t, func(s *rundir.Spec) { s.MaxParams = 1000 })
	dir := t.TempDir()
	corrupt := filepath.Join(dir, "corrupt")
	os.CopyFS(corrupt, os.DirFS(exportRun))
	os.WriteFile(filepath.Join(corrupt, "run.json"), []byte("{\"objectives\": [\n  {\"name\": 1}]}"), 0o644)
	mine, minePNG := filepath.Join(dir, "mine.json"), filepath.Join(dir, "mine.png")
	os.WriteFile(mine, []byte("precious"), 0o644)
	os.WriteFile(minePNG, []byte("precious"), 0o644)
	out := filepath.Join(dir, "out")
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"no dir", []string{"export", "--out", out}, []string{"give the run directory"}},
		{"two dirs", []string{"export", exportRun, plotRun, "--out", out}, []string{"one run directory, not 2"}},
		{"missing dir", []string{"export", filepath.Join(dir, "none"), "--out", out}, []string{"none", "no such run directory"}},
		{"corrupt run.json", []string{"export", corrupt, "--out", out}, []string{"run.json:2:", "objectives.name", "number where a string expected"}},
		{"infeasible", []string{"export", infeasible, "--out", out}, []string{"nothing met the budgets (max_params 1000)", "least violation", "--allow-infeasible"}},
		{"bad format", []string{"export", exportRun, "--format", "xml", "--out", out}, []string{"--format", "xml"}},
		{"no out", []string{"export", exportRun}, []string{"give --out PATH"}},
		{"existing out", []string{"export", exportRun, "--out", mine}, []string{"mine.json", "output exists"}},
		{"bad reps", []string{"export", exportRun, "--out", out, "--measure", "--reps", "-1"}, []string{"--measure", "reps -1"}},
		{"unknown flag after DIR", []string{"export", exportRun, "--frobnicate"}, []string{"frobnicate"}},
		{"plot no out", []string{"plot", plotRun}, []string{"give --out FILE.png"}},
		{"plot extension", []string{"plot", plotRun, "--out", filepath.Join(dir, "f.jpg")}, []string{"f.jpg", "unknown image format"}},
		{"plot existing", []string{"plot", plotRun, "--out", minePNG}, []string{"mine.png", "output exists"}},
		{"plot missing dir", []string{"plot", filepath.Join(dir, "none"), "--out", filepath.Join(dir, "f.png")}, []string{"no such run directory"}},
		{"plot corrupt run.json", []string{"plot", corrupt, "--out", filepath.Join(dir, "f.png")}, []string{"run.json:2:"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { expectBadInput(t, tc.args, tc.want...) })
	}
	for _, f := range []string{mine, minePNG} {
		if data, _ := os.ReadFile(f); string(data) != "precious" {
			t.Errorf("a refused command changed %s", f)
		}
	}
}

func TestPlot(t *testing.T) {
	plotRun := runtest.Make(t, nil)
	out := filepath.Join(t.TempDir(), "front.png")
	stdout, errs, code := run(t, "plot", plotRun, "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if st, err := os.Stat(out); err != nil || st.Size() < 10_000 {
		t.Errorf("image %v, %v", st, err)
	}
	if !strings.Contains(stdout, out) {
		t.Errorf("stdout %q", stdout)
	}
	if _, _, code := run(t, "plot", plotRun, "--out", out, "--force"); code != 0 {
		t.Errorf("--force: exit %d", code)
	}
}
