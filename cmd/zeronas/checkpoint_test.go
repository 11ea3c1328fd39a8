package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zeronas/zeronas/internal/runtest"
	"github.com/zeronas/zeronas/proxy"
	"github.com/zeronas/zeronas/search/rundir"
	"github.com/zeronas/zeronas/space"
)

// score --checkpoint on an export's weights equals sampled mode's score of the architecture
// for every statistic; a truncated or corrupt file, or a config the tensors do not match,
// is a one-line error with exit 2.
func TestScoreCheckpoint(t *testing.T) {
	exportRun := runtest.Make(t, nil)
	r, err := rundir.Open(exportRun)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	m := filepath.Join(dir, "m")
	if _, errs, code := run(t, "export", exportRun, "--format", "pytorch", "--weights", "--seed", "5", "--out", m); code != 0 {
		t.Fatalf("export: exit %d: %s", code, errs)
	}
	member := filepath.Join(m, "001-"+r.Front.Front[1].ID)
	ckpt, cfg := filepath.Join(member, "model.safetensors"), filepath.Join(member, "config.json")
	var c struct {
		Arch json.RawMessage `json:"arch"`
	}
	data, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	json.Unmarshal(data, &c)
	archFile := filepath.Join(dir, "arch.json")
	os.WriteFile(archFile, c.Arch, 0o644)
	for _, stat := range []string{"frob"} { // the other statistics: search/export/pytorch and proxy/checkpoint
		out, errs, code := run(t, "score", "--checkpoint", ckpt, "--arch", cfg, "--stat", stat, "--format", "json")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		var got struct{ S_attn, S_ffn float64 }
		json.Unmarshal([]byte(out), &got)
		out, errs, code = run(t, "score", "--arch", archFile, "--mode", "sampled", "--seed", "5", "--stat", stat, "--format", "json", "--latency", "flops")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		var want []struct{ S_attn, S_ffn float64 }
		json.Unmarshal([]byte(out), &want)
		if len(want) != 1 || math.Abs(got.S_attn-want[0].S_attn) > 1e-6*want[0].S_attn || math.Abs(got.S_ffn-want[0].S_ffn) > 1e-6*want[0].S_ffn {
			t.Errorf("%s: checkpoint %+v, sampled mode %+v", stat, got, want)
		}
	}
	whole, err := os.ReadFile(ckpt)
	if err != nil {
		t.Fatal(err)
	}
	bad := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	other := filepath.Join(m, "000-"+strings.TrimPrefix(firstEntry(t, m, "000-"), "000-"), "config.json")
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"truncated", []string{"--checkpoint", bad("t.safetensors", whole[:len(whole)/2])}, "truncated"},
		{"corrupt header", []string{"--checkpoint", bad("c.safetensors", append([]byte{200, 0, 0, 0, 0, 0, 0, 0}, whole[8:]...))}, "header"},
		{"empty", []string{"--checkpoint", bad("e.safetensors", nil)}, "truncated"},
		{"missing", []string{"--checkpoint", filepath.Join(dir, "nope.safetensors")}, "no such file"},
		{"other architecture", []string{"--checkpoint", ckpt, "--arch", other}, "config.json"},
	}
	for _, tc := range cases {
		_, errs, code := run(t, append([]string{"score"}, tc.args...)...)
		if code != 2 || !strings.Contains(errs, tc.want) || strings.Count(strings.TrimSpace(errs), "\n") != 0 {
			t.Errorf("%s: exit %d, stderr %q; want exit 2 and one line containing %q", tc.name, code, errs, tc.want)
		}
	}
}

func firstEntry(t *testing.T, dir, prefix string) string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if strings.HasPrefix(e.Name(), prefix) {
			return e.Name()
		}
	}
	t.Fatalf("no %s* in %s", prefix, dir)
	return ""
}

// score --checkpoint with a GPT-2 export's config takes the gpt2 space's default alpha
// unless --space is given, and refuses a --space of the other family.
func TestScoreCheckpointGPT2Alpha(t *testing.T) {
	exportRun := runtest.Make(t, runtest.TinyGPT2)
	m := filepath.Join(t.TempDir(), "m")
	if _, errs, code := run(t, "export", exportRun, "--format", "pytorch", "--weights", "--out", m); code != 0 {
		t.Fatalf("export: exit %d: %s", code, errs)
	}
	member := filepath.Join(m, firstEntry(t, m, "000-"))
	ckpt, cfg := filepath.Join(member, "model.safetensors"), filepath.Join(member, "config.json")
	gpt2, err := space.Load("gpt2")
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("alpha %g (default", proxy.DefaultAlphaFor(gpt2).Alpha)
	if want == fmt.Sprintf("alpha %g (default", proxy.DefaultAlpha().Alpha) {
		t.Fatal("the two spaces' default alphas are equal: this test cannot tell them apart")
	}
	_, errs, code := run(t, "score", "--checkpoint", ckpt, "--arch", cfg)
	if code != 0 || !strings.Contains(errs, want) {
		t.Errorf("exit %d, stderr %q; want exit 0 and %q", code, errs, want)
	}
	_, errs, code = run(t, "score", "--checkpoint", ckpt, "--arch", cfg, "--space", "flexibert")
	if code != 2 || !strings.Contains(errs, "GPT-2 model") {
		t.Errorf("--space flexibert: exit %d, stderr %q; want exit 2 naming the GPT-2 model", code, errs)
	}
}
