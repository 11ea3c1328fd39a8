package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/zeronas/zeronas/search/export"
	"github.com/zeronas/zeronas/search/report"
	"github.com/zeronas/zeronas/search/rundir"
	"github.com/zeronas/zeronas/space"
)

// exportCSV returns the lines of 'zeronas export --format csv' of dir.
func exportCSV(t testing.TB, dir string) []string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "front.csv")
	if _, err := export.Write(context.Background(), dir, export.Options{Format: export.CSV, Out: out, AllowInfeasible: true}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
}

// TestBuild checks the page against what the export package reads of the same runs.
func TestBuild(t *testing.T) {
	for _, name := range []string{"nsga2", "infeasible", "exact"} {
		t.Run(name, func(t *testing.T) {
			dir := fixture(t, name)
			p, err := report.Build([]string{dir}, report.Options{})
			if err != nil {
				t.Fatal(err)
			}
			er, err := readFront(dir)
			if err != nil {
				t.Fatal(err)
			}
			r := p.Runs[0]
			if len(r.Front) != len(er.Front) {
				t.Fatalf("front: %d members, export reads %d", len(r.Front), len(er.Front))
			}
			lines := exportCSV(t, dir)
			if r.CSVHeader != lines[0] {
				t.Errorf("csv header %q, export %q", r.CSVHeader, lines[0])
			}
			for i, m := range r.Front {
				if m.ID != er.Front[i].ID || m.CSV != lines[i+1] {
					t.Errorf("member %d: %s %q, export %s %q", i, m.ID, m.CSV, er.Front[i].ID, lines[i+1])
				}
				var cfg export.HFConfig
				if err := json.Unmarshal([]byte(m.Config), &cfg); err != nil || cfg.ZeroNAS.ID != m.ID || cfg.NumHiddenLayers != len(m.Layers) {
					t.Errorf("member %d: config %v %+v", i, err, cfg.ZeroNAS)
				}
				for j, o := range p.Objectives {
					if m.Values[j] != er.Front[i].Values[o.Name] {
						t.Errorf("member %d: %s %v, export %v", i, o.Name, m.Values[j], er.Front[i].Values[o.Name])
					}
				}
			}
			if len(r.Archive.IDs) == 0 || len(r.Archive.Values) != 3 || len(r.Archive.Values[0]) != len(r.Archive.IDs) {
				t.Errorf("archive: %d ids, %d columns", len(r.Archive.IDs), len(r.Archive.Values))
			}
			if (name == "infeasible") != (len(r.Archive.Infeasible) == len(r.Archive.IDs)) || r.Feasible == (name == "infeasible") {
				t.Errorf("%d of %d infeasible, feasible %v", len(r.Archive.Infeasible), len(r.Archive.IDs), r.Feasible)
			}
			if r.Exact == nil {
				t.Fatal("no comparison with the exact front")
			}
		})
	}
}

// TestHistoryAcrossResume: the nsga2 fixture ran 8 generations, then a resume ran 4 more.
func TestHistoryAcrossResume(t *testing.T) {
	p, err := report.Build([]string{fixture(t, "nsga2")}, report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := p.Runs[0]
	if len(r.History) != 13 || r.Generation != 12 {
		t.Fatalf("%d generations recorded, last %d; want 13 (0 to 12)", len(r.History), r.Generation)
	}
	for i, g := range r.History {
		if g.Generation != i || g.Resumed != (i == 9) {
			t.Errorf("history[%d]: generation %d, resumed %v", i, g.Generation, g.Resumed)
		}
	}
	if r.Exact.Fraction <= 0.5 || r.Exact.Fraction > 1+1e-9 || r.EvalsPerSec <= 0 {
		t.Errorf("exact fraction %v, evals/s %v", r.Exact.Fraction, r.EvalsPerSec)
	}
	if last := r.History[len(r.History)-1].Hypervolume; abs(last-r.Exact.RunHypervolume) > 1e-9 {
		t.Errorf("last hypervolume %v, the front's on the exact normalisation %v: the run was normalised by the exact front", last, r.Exact.RunHypervolume)
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestCompare(t *testing.T) {
	p, err := report.Build([]string{fixture(t, "nsga2"), fixture(t, "random")}, report.Options{NoExact: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Runs) != 2 || p.Common == nil || len(p.Common.Hypervolumes) != 2 || !p.Common.SameNormalisation {
		t.Fatalf("%d runs, common %+v", len(p.Runs), p.Common)
	}
	// Different objectives are refused, naming both runs.
	two := fixture(t, "two")
	_, err = report.Build([]string{fixture(t, "nsga2"), two}, report.Options{NoExact: true})
	if err == nil || !strings.Contains(err.Error(), "do not compare: objectives") || !strings.Contains(err.Error(), two) {
		t.Errorf("different objectives: %v", err)
	}
	// So are the same objectives defined differently, and different spaces.
	alpha, _ := testConfig("nsga2", 10, 1)
	alpha.Proxy.Alpha = 0.5
	tiny, _ := testConfig("nsga2", 10, 1)
	if tiny.Space, err = space.Load("flexibert-tiny"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		cfg  *rundir.Config
		want string
	}{
		{alpha, "objective proxy is ZeroLM build faithful, init normal, stat frob, mode expected, alpha 0.75 in one and ZeroLM build faithful, init normal, stat frob, mode expected, alpha 0.5 in the other"},
		{tiny, "spaces nas-bench-bert and flexibert-tiny differ"},
	} {
		dir := filepath.Join(t.TempDir(), "run")
		if err := runSearch(dir, tc.cfg, false); err != nil {
			t.Fatal(err)
		}
		if _, err = report.Build([]string{fixture(t, "nsga2"), dir}, report.Options{NoExact: true}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v, want %q", err, tc.want)
		}
	}
}

// copyRun copies a run directory, changing its run.json with edit.
func copyRun(t *testing.T, src string, edit func(map[string]any)) string {
	t.Helper()
	dst := t.TempDir()
	ents, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if e.Name() == "run.json" && edit != nil {
			var cfg map[string]any
			if err := json.Unmarshal(data, &cfg); err != nil {
				t.Fatal(err)
			}
			edit(cfg)
			data, _ = json.Marshal(cfg)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// TestBadInput: each problem is one error naming the file and what is wrong.
func TestBadInput(t *testing.T) {
	src := fixture(t, "nsga2")
	tests := []struct {
		name, file, content, want string
	}{
		{"no run", "run.json", "", "not a run directory: no run.json"},
		{"bad archive line", "archive.jsonl", `{"id":"x","values":{"proxy":1}}` + "\n", `archive.jsonl:1: values: no value for objective "params"`},
		{"truncated archive", "archive.jsonl", "{}\n", "the file was truncated"},
		{"corrupt checkpoint", "checkpoint.json", "{", "checkpoint.json"},
		{"no checkpoint", "checkpoint.json", "", "the run has not completed a generation yet"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyRun(t, src, nil)
			path := filepath.Join(dir, tc.file)
			if tc.content == "" {
				os.Remove(path)
			} else if tc.name == "bad archive line" {
				data, _ := os.ReadFile(path)
				os.WriteFile(path, append([]byte(tc.content), data[len(tc.content):]...), 0o644)
			} else if err := os.WriteFile(path, []byte(tc.content), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := report.Build([]string{dir}, report.Options{NoExact: true})
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %v, want one line containing %q", err, tc.want)
			}
		})
	}
}

// TestRender: the page is self-contained, carries its data and its static tables.
func TestRender(t *testing.T) {
	dir := fixture(t, "nsga2")
	out := filepath.Join(t.TempDir(), "r.html")
	p, err := report.Write([]string{dir}, out, false, report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	html, _ := os.ReadFile(out)
	// The SVG namespace is a name, not an address that is fetched.
	stripped := bytes.ReplaceAll(html, []byte("http://www.w3.org/2000/svg"), nil)
	for _, re := range []string{`(?i)<script[^>]+src=`, `(?i)<link[^>]+href=`, `https?://`, `(?i)url\((?:['"]?)(?:https?:|//)`} {
		if m := regexp.MustCompile(re).Find(stripped); m != nil {
			t.Errorf("the page loads something: %s", m)
		}
	}
	if n := bytes.Count(html, []byte("<tr data-index=")); n != len(p.Runs[0].Front) {
		t.Errorf("%d static front rows, want %d", n, len(p.Runs[0].Front))
	}
	for _, want := range []string{"alpha source", "default (test)", "flops", "12 generations", "hypervolume vs exact front"} {
		if !bytes.Contains(html, []byte(want)) {
			t.Errorf("the page lacks %q", want)
		}
	}
	// A page replaces its previous version; any other file is kept.
	if _, err := report.Write([]string{dir}, out, false, report.Options{}); err != nil {
		t.Errorf("rewriting a report: %v", err)
	}
	mine := filepath.Join(t.TempDir(), "mine.html")
	os.WriteFile(mine, []byte("<p>my notes</p>"), 0o644)
	if _, err := report.Write([]string{dir}, mine, false, report.Options{}); err == nil {
		t.Error("replaced a file that is not a report")
	}
	if data, _ := os.ReadFile(mine); string(data) != "<p>my notes</p>" {
		t.Error("the user's file changed")
	}
}
