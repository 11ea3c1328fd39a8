package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zeronas/zeronas/internal/testspaces"
	"github.com/zeronas/zeronas/objectives/latency"
	"github.com/zeronas/zeronas/space"
)

// deviceTable writes a table of made-up costs for every block of sp, as a user's table
// measured on a target device would be, and returns its path.
func deviceTable(t *testing.T, dir string, sp *space.Space) string {
	t.Helper()
	plan := latency.Plan(sp)
	for i := range plan {
		plan[i].MS = 1 + 0.01*float64(i)
	}
	data, err := json.Marshal(map[string]any{"format": latency.TableFormat, "device": map[string]any{"cpu": "test phone"},
		"space": sp.Name, "batch": 1, "seq_len": 128, "reps": 1, "warmup": 0, "statistic": "p10", "entries": plan})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, sp.Name+"-table.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestGPT2LatencyTable: a measured latency table serves GPT-2 in every command: calibrate
// and validate (a tiny space, really measured), score of the LTS records (arbitrary
// d_inner, interpolated) with a device's table, search, resume and exact.
func TestGPT2LatencyTable(t *testing.T) {
	dir := t.TempDir()
	yaml := filepath.Join(dir, "tiny-gpt2.yaml")
	if err := os.WriteFile(yaml, []byte(testspaces.MicroGPT2), 0o644); err != nil {
		t.Fatal(err)
	}
	table := filepath.Join(dir, "calibrated.json")
	out, errs, code := run(t, "latency", "calibrate", "--space", yaml, "--seq-len", "8", "--reps", "2", "--out", table)
	if code != 0 || !strings.Contains(out, "blocks of space tiny-gpt2") || !strings.Contains(out, "drift") {
		t.Fatalf("calibrate: exit %d: %s %s", code, out, errs)
	}
	tab, err := latency.ReadTable(table)
	if err != nil || tab.Reference == nil || !(tab.Reference.MS > 0) {
		t.Fatalf("calibrated table: %v (reference %+v)", err, tab)
	}
	out, errs, code = run(t, "latency", "validate", "--space", yaml, "--latency-table", table, "--samples", "3", "--reps", "2")
	for _, want := range []string{"spearman", "table_drift", "reference_moved", "batch 1, seq_len 8"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Fatalf("validate: exit %d, no %q: %s %s", code, want, out, errs)
		}
	}

	gpt2, err := space.Load("gpt2")
	if err != nil {
		t.Fatal(err)
	}
	device := deviceTable(t, dir, gpt2)
	out, errs, code = run(t, "score", "--bench", ltsFile, "--format", "json", "--latency-table", device)
	if code != 0 || !strings.Contains(errs, "measured table") || !strings.Contains(errs, "test phone") {
		t.Fatalf("score: exit %d: %s", code, errs)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil || len(rows) != 200 {
		t.Fatalf("score: %v, %d rows", err, len(rows))
	}
	for _, r := range rows {
		if v, ok := r["latency_ms"].(float64); !ok || !(v > 0) || math.IsInf(v, 0) {
			t.Fatalf("row %v: latency_ms %v", r["id"], r["latency_ms"])
		}
	}

	tiny := deviceTable(t, dir, mustSpace(t, yaml))
	run1 := filepath.Join(dir, "run")
	if _, errs, code := run(t, "search", "--space", yaml, "--out", run1, "--latency-table", tiny, "--generations", "2", "--population", "8", "--seed", "1"); code != 0 {
		t.Fatalf("search: exit %d: %s", code, errs)
	}
	cfg, err := os.ReadFile(filepath.Join(run1, "run.json"))
	if err != nil || !strings.Contains(string(cfg), `"table"`) {
		t.Fatalf("run.json: %v %s", err, cfg)
	}
	if _, errs, code := run(t, "resume", run1, "--generations", "4"); code != 0 {
		t.Fatalf("resume: exit %d: %s", code, errs)
	}
	if _, errs, code := run(t, "search", "--space", yaml, "--strategy", "exact", "--out", filepath.Join(dir, "exact"),
		"--objectives", "proxy,latency", "--latency-table", tiny); code != 0 {
		t.Fatalf("exact: exit %d: %s", code, errs)
	}
}

func mustSpace(t *testing.T, path string) *space.Space {
	t.Helper()
	sp, err := space.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return sp
}
