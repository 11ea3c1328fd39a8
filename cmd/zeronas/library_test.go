package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/zeronas/zeronas/internal/runtest"
	"github.com/zeronas/zeronas/objectives"
	"github.com/zeronas/zeronas/objectives/latency"
	"github.com/zeronas/zeronas/proxy"
	"github.com/zeronas/zeronas/search/export"
	"github.com/zeronas/zeronas/search/rundir"
	"github.com/zeronas/zeronas/space"
)

// The command line decides nothing a library caller would need: each command's result is
// reproduced here by the library calls alone.

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestSearchAndResumeEqualTheLibrary(t *testing.T) {
	lib := runtest.Make(t, nil) // population 8, 4 generations, seed 1, flops latency
	cli := filepath.Join(t.TempDir(), "run")
	if _, errs, code := run(t, "search", "--out", cli, "--population", "8", "--generations", "2", "--seed", "1", "--latency", "flops"); code != 0 {
		t.Fatalf("search: exit %d: %s", code, errs)
	}
	if _, errs, code := run(t, "resume", cli, "--generations", "4"); code != 0 {
		t.Fatalf("resume: exit %d: %s", code, errs)
	}
	for _, f := range []string{rundir.FrontFile, rundir.ArchiveFile} {
		if readFile(t, filepath.Join(lib, f)) != readFile(t, filepath.Join(cli, f)) {
			t.Errorf("%s of the command differs from the library's", f)
		}
	}
	a, b := readConfig(t, lib), readConfig(t, cli)
	if d := a.Differences(b); len(d) > 0 || a.Budget != b.Budget {
		t.Errorf("run.json differs: %v, budgets %+v and %+v", d, a.Budget, b.Budget)
	}
}

func readConfig(t *testing.T, dir string) *rundir.Config {
	t.Helper()
	c, err := rundir.ReadConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	c.AlphaSource, c.Version = "", ""
	return c
}

func TestExactEqualsTheLibrary(t *testing.T) {
	lib := runtest.Make(t, func(s *rundir.Spec) { s.Strategy = rundir.Exact })
	cli := filepath.Join(t.TempDir(), "run")
	if _, errs, code := run(t, "search", "--out", cli, "--strategy", "exact", "--latency", "flops"); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if readFile(t, filepath.Join(lib, rundir.FrontFile)) != readFile(t, filepath.Join(cli, rundir.FrontFile)) {
		t.Error("front.json of the command differs from the library's")
	}
}

func TestExportEqualsTheLibrary(t *testing.T) {
	dir := runtest.Make(t, nil)
	out := t.TempDir()
	if _, errs, code := run(t, "export", dir, "--format", "csv", "--out", filepath.Join(out, "cli.csv")); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if _, err := export.Write(context.Background(), dir, export.Options{Format: export.CSV, Out: filepath.Join(out, "lib.csv")}); err != nil {
		t.Fatal(err)
	}
	if readFile(t, filepath.Join(out, "cli.csv")) != readFile(t, filepath.Join(out, "lib.csv")) {
		t.Error("the command's CSV differs from the library's")
	}
}

func TestScoreEqualsTheLibrary(t *testing.T) {
	out, errs, code := run(t, "score", "--bench", benchFile, "--format", "json", "--latency", "flops")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rows []scoreRow
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	sp, _ := space.Load(space.Default)
	recs, err := space.ReadRecords(benchFile, sp)
	if err != nil {
		t.Fatal(err)
	}
	z, _ := proxy.NewZeroLM(proxy.DefaultSettings())
	lat, err := latency.Choose(context.Background(), sp, latency.Choice{Model: latency.ModelFLOPs}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	want, err := objectives.ScoreArchs(context.Background(), archsOf(recs), z, lat.Model, 1)
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if rows[i].Scores != want[i] || rows[i].ID != recs[i].ID {
			t.Fatalf("row %d: %+v, library %+v", i, rows[i], want[i])
		}
	}
}

func TestCalibrateEqualsTheLibrary(t *testing.T) {
	out, errs, code := run(t, "calibrate", "--bench", benchFile, "--sample", "50", "--seed", "3", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got calibration
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	sp, _ := space.Load(space.Default)
	recs, _ := space.ReadRecords(benchFile, sp)
	y, err := proxy.Labels(benchFile, recs)
	if err != nil {
		t.Fatal(err)
	}
	z, _ := proxy.NewZeroLM(proxy.DefaultSettings())
	scores, _ := proxy.ScoreAll(context.Background(), z, archsOf(recs), 2)
	parts := proxy.PartsOf(scores)
	cal, err := proxy.CalibrateSampling(parts, y, 50, 3, proxy.DefaultGrid())
	if err != nil {
		t.Fatal(err)
	}
	if h := proxy.ScoreHeldOut(parts, y, cal); got.Alpha != cal.Alpha || got.HeldOut != h {
		t.Errorf("command: alpha %v, %+v; library: alpha %v, %+v", got.Alpha, got.HeldOut, cal.Alpha, h)
	}
}
