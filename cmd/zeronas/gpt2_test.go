package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const ltsFile = "../../experiments/data/lts/gpt2-lm1b-dev.jsonl"

// TestGPT2Score: score recognises an LTS file without --space, reports parameters by role
// that add up, and says which latency model it used.
func TestGPT2Score(t *testing.T) {
	out, errs, code := run(t, "score", "--bench", ltsFile, "--format", "json", "--build", "transformer-xl", "--latency", "flops")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 200 || rows[0]["id"] != "config_0_j0" {
		t.Fatalf("%d rows, first %v", len(rows), rows[0]["id"])
	}
	// config_0_j0 as LTS counted it: Attn 20987904, FFN 24515942, total 71846334.
	r := rows[0]
	if r["params_attn"] != 20987904.0 || r["params_ffn"] != 24515942.0 || r["params"] != 71846334.0 || r["params_embedding"].(float64) <= 0 {
		t.Errorf("row 0: %v", r)
	}
	if !strings.Contains(errs, "analytic") {
		t.Errorf("stderr does not say the latency is analytic: %s", errs)
	}
	// FlexiBERT rows have the new fields too.
	out, errs, code = run(t, "score", "--bench", benchFile, "--format", "json", "--latency", "flops")
	if code != 0 || !strings.Contains(out, `"params_attn"`) || !strings.Contains(out, `"params_embedding"`) {
		t.Fatalf("exit %d: %s", code, errs)
	}
}

func TestGPT2CorrelateAndCalibrate(t *testing.T) {
	out, errs, code := run(t, "correlate", "--bench", ltsFile, "--proxy", "nonembedding", "--build", "transformer-xl", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var c correlation
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatal(err)
	}
	if c.N != 200 || c.Target != "-valid_ppl" || c.Spearman < 0.98 {
		t.Errorf("correlation %+v", c)
	}
	out, _, code = run(t, "correlate", "--bench", ltsFile)
	if code != 0 || !strings.Contains(out, "lower perplexity is better") {
		t.Errorf("table output does not state the target: %s", out)
	}
	out, errs, code = run(t, "calibrate", "--bench", ltsFile, "--sample", "50", "--seed", "1")
	if code != 0 || !strings.Contains(out, "alpha 1.0500") || !strings.Contains(out, "-valid_ppl") {
		t.Errorf("calibrate: exit %d: %s %s", code, out, errs)
	}
}

func TestGPT2BadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.jsonl")
	rec := `{"key": "k1", "model_config": {"n_layer": 2, "d_model": 256, "n_head": [2, 3], "d_inner": [512, 512], "n_token": 100, "div_val": 1}, "metrics": {"valid_ppl": 3}}` + "\n"
	if err := os.WriteFile(bad, []byte(rec), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errs, code := run(t, "score", "--bench", bad)
	if code != 2 || !strings.Contains(errs, "bad.jsonl: record 0 (id k1): layer 1: model_config.n_head=3: does not divide d_model 256") {
		t.Errorf("exit %d: %s", code, errs)
	}
	_, errs, code = run(t, "score", "--bench", ltsFile, "--build", "legacy")
	if code != 2 || !strings.Contains(errs, "does not apply to space gpt2") {
		t.Errorf("legacy build on gpt2: exit %d: %s", code, errs)
	}
	_, errs, code = run(t, "score", "--bench", ltsFile, "--latency", "flops", "--latency-table", ltsFile)
	if code != 2 || !strings.Contains(errs, "serves the table model, not flops") {
		t.Errorf("latency table with --latency flops: exit %d: %s", code, errs)
	}
}
