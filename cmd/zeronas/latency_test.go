package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zeronas/zeronas/objectives/latency"
)

// runLatency runs `zeronas latency ...` as main does.
func runLatency(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	return run(t, append([]string{"latency"}, args...)...)
}

const tinyLatencySpace = `
name: tiny
architecture:
  hidden_size: [16, 32]
  num_heads: [2]
  encoder_layers: [1, 2]
  operation_types: [sa, l, c]
  number_of_feed-forward_stacks: [1]
  feed-forward_hidden: [24]
  operation_parameters:
    sa: [sdp]
    l: [dct]
    c: ["5"]
`

func latencyFixtures(t *testing.T) (dir, spaceFile, archFile string) {
	dir = t.TempDir()
	spaceFile = filepath.Join(dir, "tiny.yaml")
	archFile = filepath.Join(dir, "archs.jsonl")
	archs := `{"id":"a","layers":[{"hidden":16,"op":"SA","param":"SDP","heads":2,"ff":[24]}]}
{"id":"b","layers":[{"hidden":32,"op":"DSC","param":"5","heads":2,"ff":[24]},{"hidden":16,"op":"LT","param":"DCT","heads":2,"ff":[24]}]}
`
	if err := os.WriteFile(spaceFile, []byte(tinyLatencySpace), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(archFile, []byte(archs), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, spaceFile, archFile
}

func TestLatencyMeasure(t *testing.T) {
	_, sp, archs := latencyFixtures(t)
	out, errs, code := runLatency(t, "measure", "--space", sp, "--arch", archs, "--seq-len", "8", "--reps", "2", "--warmup", "0", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got struct {
		Settings map[string]any   `json:"settings"`
		Results  []map[string]any `json:"results"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Results) != 2 || got.Results[1]["id"] != "b" || got.Settings["seq_len"] != 8.0 || got.Settings["warmup"] != 0.0 {
		t.Fatalf("output %s", out)
	}
	for _, k := range []string{"id", "arch_id", "median_ms", "p10_ms", "p90_ms", "reps"} {
		if _, ok := got.Results[0][k]; !ok {
			t.Fatalf("no %s in %v", k, got.Results[0])
		}
	}
	if dev, _ := got.Settings["device"].(map[string]any); dev["cpu"] == "" || dev["threads"] != 1.0 {
		t.Fatalf("device %v", got.Settings["device"])
	}
	out, errs, code = runLatency(t, "measure", "--space", sp, "--arch", archs, "--seq-len", "8", "--reps", "1")
	if code != 0 || !strings.Contains(out, "median_ms") || !strings.Contains(out, "seq_len 8") {
		t.Fatalf("table: exit %d: %s %s", code, out, errs)
	}
}

func TestLatencyCalibrateValidate(t *testing.T) {
	dir, sp, _ := latencyFixtures(t)
	table := filepath.Join(dir, "table.json")
	out, errs, code := runLatency(t, "calibrate", "--space", sp, "--seq-len", "4", "--reps", "2", "--out", table)
	if code != 0 || !strings.Contains(out, "wrote "+table) {
		t.Fatalf("calibrate: exit %d: %s %s", code, out, errs)
	}
	tab, err := latency.ReadTable(table)
	if err != nil || tab.SeqLen != 4 || tab.Reps != 2 {
		t.Fatalf("table: %v %+v", err, tab)
	}
	out, errs, code = runLatency(t, "validate", "--space", sp, "--latency-table", table, "--samples", "3", "--reps", "1", "--format", "json")
	if code != 0 {
		t.Fatalf("validate: exit %d: %s", code, errs)
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	if v["n"] != 3.0 || v["spearman"] == nil || v["median_rel_error"] == nil || v["settings"].(map[string]any)["seq_len"] != 4.0 {
		t.Fatalf("validate output %s", out)
	}
	out, errs, code = runLatency(t, "validate", "--space", sp, "--latency", "flops", "--seq-len", "4", "--samples", "2", "--reps", "1")
	if code != 0 || !strings.Contains(out, "spearman") || !strings.Contains(out, "analytic") {
		t.Fatalf("validate analytic: exit %d: %s %s", code, out, errs)
	}
}

func TestLatencyBadInput(t *testing.T) {
	dir, sp, archs := latencyFixtures(t)
	badRec := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(badRec, []byte(`{"id":"x","layers":[{"hidden":16,"op":"SA","param":"SDP","heads":3,"ff":[24]}]}`+"\n"), 0o644)
	badTable := filepath.Join(dir, "badtable.json")
	os.WriteFile(badTable, []byte(`{"format":"zeronas-latency-table/1","device":{"cpu":"x"},"batch":1,"seq_len":4,"reps":1,"statistic":"p10","entries":[{"block":"embedding","hidden":16,"ms":-1}]}`), 0o644)
	partial := filepath.Join(dir, "partial.json")
	os.WriteFile(partial, []byte(`{"format":"zeronas-latency-table/1","device":{"cpu":"x"},"batch":1,"seq_len":4,"reps":1,"statistic":"p10","entries":[{"block":"embedding","hidden":16,"ms":1}]}`), 0o644)
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"both inputs", []string{"measure", "--space", sp, "--arch", archs, "--bench", archs}, "exactly one"},
		{"no input", []string{"measure", "--space", sp}, "exactly one"},
		{"missing file", []string{"measure", "--space", sp, "--arch", filepath.Join(dir, "none.json")}, "none.json"},
		{"bad record", []string{"measure", "--space", sp, "--arch", badRec}, "record 0 (id x)"},
		{"seq len", []string{"measure", "--space", sp, "--arch", archs, "--seq-len", "1000"}, "seq_len 1000"},
		{"statistic", []string{"calibrate", "--space", sp, "--statistic", "mean"}, `statistic "mean"`},
		{"format", []string{"measure", "--space", sp, "--arch", archs, "--format", "csv"}, "--format"},
		{"space", []string{"calibrate", "--space", "nowhere.yaml"}, "nowhere.yaml"},
		{"bad table", []string{"validate", "--space", sp, "--latency-table", badTable}, "badtable.json: entries[0] (embedding hidden 16): field ms"},
		{"partial table", []string{"validate", "--space", sp, "--latency-table", partial}, "does not cover"},
		{"table seq len", []string{"validate", "--space", sp, "--latency-table", partial, "--seq-len", "8"}, "does not cover"},
		{"model", []string{"validate", "--space", sp, "--latency", "gpu"}, `latency model "gpu"`},
		{"samples", []string{"validate", "--space", sp, "--samples", "1"}, "--samples 1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, errs, code := runLatency(t, c.args...)
			if code != exitBadInput || !strings.Contains(errs, c.want) {
				t.Fatalf("exit %d, stderr %q; want exit %d and %q", code, errs, exitBadInput, c.want)
			}
		})
	}
}
