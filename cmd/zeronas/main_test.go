package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

const benchFile = "../../experiments/data/nas-bench-bert/nas-bench-bert-dev.json"

// run runs the app as main does and returns stdout, stderr and the exit code.
func run(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	app := newApp(&out, &errb)
	err := app.RunContext(context.Background(), interspersed(app, append([]string{"zeronas"}, args...)))
	code := report(&errb, err)
	return out.String(), errb.String(), code
}

// TestCommands requires every command to document itself and every flag.
func TestCommands(t *testing.T) {
	var walk func(prefix string, cs []*cli.Command)
	walk = func(prefix string, cs []*cli.Command) {
		for _, c := range cs {
			name := prefix + c.Name
			if c.Usage == "" || c.Description == "" {
				t.Errorf("%s: missing Usage or Description", name)
			}
			if len(c.Subcommands) == 0 && c.UsageText == "" {
				t.Errorf("%s: missing UsageText", name)
			}
			for _, f := range c.Flags {
				if df, ok := f.(cli.DocGenerationFlag); ok && df.GetUsage() == "" {
					t.Errorf("%s: flag %v has no usage", name, f.Names())
				}
			}
			walk(name+" ", c.Subcommands)
		}
	}
	walk("", newApp(nil, nil).Commands)
}

func TestScoreJSON(t *testing.T) {
	out, errs, code := run(t, "score", "--bench", benchFile, "--format", "json", "--latency", "flops")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 300 {
		t.Fatalf("%d rows", len(rows))
	}
	for _, k := range []string{"id", "arch_id", "params", "flops", "s_attn", "s_ffn", "score", "latency_ms"} {
		if _, ok := rows[0][k]; !ok {
			t.Errorf("row lacks %q: %v", k, rows[0])
		}
	}
	if rows[0]["id"] != "1" {
		t.Errorf("first id %v", rows[0]["id"])
	}
}

// TestParallelScoreEqualsSerial: scores do not depend on the number of workers.
func TestParallelScoreEqualsSerial(t *testing.T) {
	archs, _, _ := run(t, "space", "sample", "--n", "24", "--seed", "5")
	file := filepath.Join(t.TempDir(), "archs.jsonl")
	if err := os.WriteFile(file, []byte(archs), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"score", "--arch", file, "--format", "json", "--mode", "sampled", "--seed", "3", "--latency", "flops"}
	serial, _, _ := run(t, append(args, "--workers", "1")...)
	par, _, _ := run(t, append(args, "--workers", "4")...)
	if serial == "" || serial != par {
		t.Error("sampled scores differ between 1 and 4 workers")
	}
}

func TestCorrelateAndCalibrate(t *testing.T) {
	out, errs, code := run(t, "correlate", "--bench", benchFile, "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var c map[string]any
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"n", "spearman", "kendall", "proxy", "alpha", "settings"} {
		if _, ok := c[k]; !ok {
			t.Errorf("correlate lacks %q", k)
		}
	}
	if c["spearman"].(float64) < 0.8 {
		t.Errorf("default ZeroLM spearman %v", c["spearman"])
	}
	dir := t.TempDir()
	out, errs, code = run(t, "calibrate", "--bench", benchFile, "--sample", "50", "--seed", "2", "--format", "json")
	if code != 0 {
		t.Fatalf("calibrate exit %d: %s", code, errs)
	}
	alpha := filepath.Join(dir, "alpha.json")
	os.WriteFile(alpha, []byte(out), 0o644)
	if _, errs, code = run(t, "correlate", "--bench", benchFile, "--alpha-file", alpha); code != 0 {
		t.Errorf("--alpha-file: exit %d: %s", code, errs)
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(data), 0o644)
		return p
	}
	bad := write("bad.json", `[{"id": 9, "hparams": {"model_hparam_overrides": {"hidden_size": 256, "nas_config": {"encoder_layers": [{"operation_type": "SA", "operation_parameter": "SDP", "num_operation_heads": 3, "feed_forward_dimension": 512, "num_feed_forward": 1}, {"operation_type": "SA", "operation_parameter": "SDP", "num_operation_heads": 2, "feed_forward_dimension": 512, "num_feed_forward": 1}]}}}}]`)
	nolabel := write("nolabel.jsonl", `{"id":"x","layers":[{"hidden":128,"op":"SA","param":"SDP","heads":2,"ff":[512]},{"hidden":128,"op":"SA","param":"SDP","heads":2,"ff":[512]}]}`+"\n")
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"missing file", []string{"score", "--bench", filepath.Join(dir, "none.json")}, []string{"none.json", "no such file"}},
		{"bad heads", []string{"score", "--bench", bad}, []string{"bad.json", "record 0 (id 9)", "layer 0", "num_operation_heads=3"}},
		{"no input", []string{"score"}, []string{"--bench FILE or --arch FILE"}},
		{"bad format", []string{"score", "--bench", benchFile, "--format", "xml"}, []string{"--format", "xml"}},
		{"bad init", []string{"score", "--bench", benchFile, "--init", "he"}, []string{"unknown init", "he"}},
		{"bad build", []string{"score", "--bench", benchFile, "--build", "huge"}, []string{"--build", "huge"}},
		{"bad space", []string{"space", "count", "--space", "nope"}, []string{"nope", "neither a built-in"}},
		{"no labels", []string{"correlate", "--bench", nolabel}, []string{"nolabel.jsonl", "record 0 (id x)", "scores.glue"}},
		{"bad strategy", []string{"calibrate", "--bench", benchFile, "--strategy", "magic"}, []string{"--strategy", "magic"}},
		{"sample too big", []string{"calibrate", "--bench", benchFile, "--sample", "1000"}, []string{"sample size"}},
		{"required flag", []string{"correlate"}, []string{"bench"}},
		{"unknown flag", []string{"score", "--frobnicate"}, []string{"frobnicate"}},
		{"exhaustive too big", []string{"search", "--strategy", "exhaustive", "--space", "flexibert", "--latency", "flops", "--out", filepath.Join(dir, "x")}, []string{"flexibert", "21964384040055167554704", "over the limit"}},
		{"bad objectives", []string{"search", "--objectives", "proxy,speed", "--out", filepath.Join(dir, "y")}, []string{"speed"}},
		{"exact sampled", []string{"search", "--strategy", "exact", "--mode", "sampled", "--latency", "flops", "--out", filepath.Join(dir, "e")}, []string{"does not split", "proxy"}},
		{"calibrate over a file", []string{"latency", "calibrate", "--out", bad}, []string{"bad.json exists", "--force"}},
		{"resume no run", []string{"resume", dir}, []string{"not a run directory"}},
		{"bad alpha file", []string{"correlate", "--bench", benchFile, "--alpha-file", bad}, []string{"bad.json"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { expectBadInput(t, tc.args, tc.want...) })
	}
	if _, err := os.Stat(filepath.Join(dir, "e", "run.json")); err == nil {
		t.Error("a refused exact search left its run.json behind")
	}
}

// expectBadInput runs args and requires exit 2 with a one-line error holding every want.
func expectBadInput(t *testing.T, args []string, want ...string) {
	t.Helper()
	_, errs, code := run(t, args...)
	if code != exitBadInput {
		t.Errorf("exit %d, want %d (stderr %q)", code, exitBadInput, errs)
	}
	if strings.Count(strings.TrimSpace(errs), "\n") > 0 {
		t.Errorf("error is not one line: %q", errs)
	}
	for _, w := range want {
		if !strings.Contains(errs, w) {
			t.Errorf("stderr %q lacks %q", errs, w)
		}
	}
}
