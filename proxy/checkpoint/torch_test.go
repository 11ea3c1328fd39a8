package checkpoint_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/zeronas/zeronas/internal/pytorchtest"
	"github.com/zeronas/zeronas/proxy"
	"github.com/zeronas/zeronas/proxy/checkpoint"
	"github.com/zeronas/zeronas/search/export/pytorch"
)

// writeScript writes a checkpoint in Hugging Face BERT or GPT-2 naming with PyTorch, the
// weights of layer l multiplied by scales[l], and prints every scored matrix's statistics
// by torch.linalg.svdvals (GPT-2's fused c_attn split into q, k, v) and their time.
const writeScript = `
import json, math, os, time, torch
from zeronas_models import save_safetensors
def one(kind, layers, H, F, path, dtype, scales):
    dtype = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}[dtype]
    g = torch.Generator().manual_seed(0)
    def r(*shape):
        return torch.randn(*shape, generator=g) * 0.02
    sd, scored = {}, []
    def mat(name, w, l):
        sd[name] = w.to(dtype) * scales[l]  # exact: a power of two times a rounded value
        scored.append(name)
    if kind == "bert":
        sd["bert.embeddings.word_embeddings.weight"] = r(100, H).to(dtype)
        sd["bert.embeddings.LayerNorm.weight"] = torch.ones(H, dtype=dtype)
        for l in range(layers):
            p = "bert.encoder.layer.%d." % l
            for n in ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"):
                mat(p + n + ".weight", r(H, H), l)
                sd[p + n + ".bias"] = r(H).to(dtype)
            sd[p + "attention.output.LayerNorm.weight"] = torch.ones(H, dtype=dtype)
            mat(p + "intermediate.dense.weight", r(F, H), l)
            mat(p + "output.dense.weight", r(H, F), l)
            sd[p + "output.LayerNorm.bias"] = torch.zeros(H, dtype=dtype)
        sd["bert.pooler.dense.weight"] = r(H, H).to(dtype)
    else:
        sd["transformer.wte.weight"] = r(100, H).to(dtype)
        sd["transformer.wpe.weight"] = r(64, H).to(dtype)
        for l in range(layers):
            p = "transformer.h.%d." % l
            sd[p + "ln_1.weight"] = torch.ones(H, dtype=dtype)
            sd[p + "attn.bias"] = torch.ones(1, 1, 8, 8, dtype=dtype)
            mat(p + "attn.c_attn.weight", r(H, 3 * H), l)
            mat(p + "attn.c_proj.weight", r(H, H), l)
            mat(p + "mlp.c_fc.weight", r(H, F), l)
            mat(p + "mlp.c_proj.weight", r(F, H), l)
        sd["transformer.ln_f.weight"] = torch.ones(H, dtype=dtype)
    sd["mystery.weight"] = r(3, 3).to(dtype)
    save_safetensors(sd, path)
    mats = []
    for n in scored:
        w = sd[n].double()
        if n.endswith("c_attn.weight"):
            mats += [(n + "[%s]" % q, b) for q, b in zip("qkv", w.split(H, dim=1))]
        else:
            mats.append((n, w))
    out = {}
    start, cpu = time.perf_counter(), time.process_time()
    for n, w in mats:
        s = torch.linalg.svdvals(w)
        p = s / s.sum()
        p = p[p > 0]
        k = min(w.shape)
        out[n] = {"frob": float((w * w).sum()) / k, "nuclear": float(s.sum()) / k,
                  "stable-rank": float((s * s).sum() / (s[0] * s[0])), "entropy": math.exp(float(-(p * p.log()).sum()))}
    return {"matrices": out, "svd_seconds": time.perf_counter() - start, "svd_cpu_seconds": time.process_time() - cpu}

torch.set_num_threads(os.cpu_count())  # as many threads as zeronas has workers
print(json.dumps([one(*spec) for spec in json.loads(sys.argv[1])]))
`

// spec is one checkpoint for writeScript: kind (bert or gpt2), layers, hidden, ffn width,
// path, dtype and per-layer scales.
type spec []any

// written is what writeScript says of a checkpoint.
type written struct {
	Matrices   map[string]map[string]float64
	SVDSeconds float64 `json:"svd_seconds"`
	SVDCPU     float64 `json:"svd_cpu_seconds"`
}

// write writes the checkpoints of specs in one Python process.
func write(t *testing.T, py, dir string, specs ...spec) []written {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, pytorch.ModuleFile), pytorch.Module(), 0o644); err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(specs)
	if err != nil {
		t.Fatal(err)
	}
	var out []written
	if err := json.Unmarshal(pytorchtest.Run(t, py, dir, writeScript, string(js)), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

var stats = []proxy.Stat{proxy.Frob, proxy.Nuclear, proxy.StableRank, proxy.Entropy}

// Checkpoints written by PyTorch in BERT and GPT-2 naming and in F32, F16 and BF16: every
// matrix's statistic equals torch.linalg.svdvals's, unknown tensors are listed, and scaling
// layer l's weights by c_l (a power of two, exact in every dtype) moves frob by c_l^2 and
// nuclear by c_l and leaves stable rank and entropy, as the formulas say.
func TestTorchCheckpoints(t *testing.T) {
	py := pytorchtest.Python(t)
	dir := t.TempDir()
	scales := []float64{2, 8, 4} // powers of two of at least 1: exact even for F16 subnormals
	cases := []struct{ kind, dtype string }{{"bert", "F32"}, {"gpt2", "F16"}, {"bert", "BF16"}}
	var specs []spec
	for _, c := range cases {
		for _, sc := range [][]float64{{1, 1, 1}, scales} {
			specs = append(specs, spec{c.kind, 3, 48, 96, filepath.Join(dir, fmt.Sprintf("%s-%s-%v.safetensors", c.kind, c.dtype, sc[0])), c.dtype, sc})
		}
	}
	ws := write(t, py, dir, specs...)
	for ci, c := range cases {
		base, want := specs[2*ci][4].(string), ws[2*ci].Matrices
		scaled := specs[2*ci+1][4].(string)
		for _, stat := range stats {
			rb := score(t, base, stat)
			rs := score(t, scaled, stat)
			if len(rb.Unknown) != 1 || rb.Unknown[0] != "mystery.weight" {
				t.Errorf("%s: unknown %v, want [mystery.weight]", c.kind, rb.Unknown)
			}
			if len(rb.Matrices) != len(want) {
				t.Fatalf("%s %s: %d matrices scored, PyTorch %d", c.kind, c.dtype, len(rb.Matrices), len(want))
			}
			var attn float64
			for i, m := range rb.Matrices {
				w, ok := want[m.Name]
				if !ok {
					t.Fatalf("%s: matrix %s not in PyTorch's list", c.kind, m.Name)
				}
				if rel := math.Abs(m.C-w[string(stat)]) / w[string(stat)]; !(rel < 1e-8) {
					t.Errorf("%s %s %s %s: zeronas %.12g, torch %.12g", c.kind, c.dtype, stat, m.Name, m.C, w[string(stat)])
				}
				var layer int
				fmt.Sscanf(strings.TrimPrefix(strings.TrimPrefix(m.Name, "bert.encoder.layer."), "transformer.h."), "%d", &layer)
				f := map[proxy.Stat]float64{proxy.Frob: scales[layer] * scales[layer], proxy.Nuclear: scales[layer], proxy.StableRank: 1, proxy.Entropy: 1}[stat]
				if got := rs.Matrices[i].C; math.Abs(got-f*m.C) > 1e-9*f*m.C {
					t.Errorf("%s %s %s: scaled by %g gives %.12g, want %g x %.12g", c.kind, stat, m.Name, scales[layer], got, f, m.C)
				}
				if m.Role == checkpoint.Attention {
					attn += f * m.C
				}
			}
			if math.Abs(rs.Attn-attn) > 1e-9*attn {
				t.Errorf("%s %s: scaled s_attn %.12g, want %.12g", c.kind, stat, rs.Attn, attn)
			}
		}
	}
}

func score(t *testing.T, path string, stat proxy.Stat) *checkpoint.Result {
	t.Helper()
	f, err := checkpoint.ReadFile(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	r, err := checkpoint.Score(f, stat, 0.5, 0)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestBERTBaseTiming scores a BERT-base sized checkpoint (12 layers, 768, 3072) with every
// statistic and times torch.linalg.svdvals on the same matrices in the same run. It takes
// minutes, so it runs only with ZERONAS_BERTBASE=1; it reports, it asserts no time.
func TestBERTBaseTiming(t *testing.T) {
	if os.Getenv("ZERONAS_BERTBASE") != "1" {
		t.Skip("set ZERONAS_BERTBASE=1 to time a BERT-base sized checkpoint")
	}
	py := pytorchtest.Python(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "bert-base.safetensors")
	w := write(t, py, dir, spec{"bert", 12, 768, 3072, path, "F32", make12()})[0]
	t.Logf("torch.linalg.svdvals on the %d matrices (float64, %d threads): %.2f s wall, %.2f s CPU", len(w.Matrices), runtime.NumCPU(), w.SVDSeconds, w.SVDCPU)
	timed := func(label string, stats ...proxy.Stat) {
		start, cpu := time.Now(), cpuSeconds()
		f, err := checkpoint.ReadFile(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		rs, err := checkpoint.ScoreStats(f, stats, 0.5, 0)
		if err != nil {
			t.Fatal(err)
		}
		sec, c := time.Since(start).Seconds(), cpuSeconds()-cpu
		t.Logf("zeronas %s: %d matrices in %.2f s wall (%.2fx torch), %.2f s CPU (%.2fx torch); s_attn %.6g, s_ffn %.6g",
			label, len(rs[0].Matrices), sec, sec/w.SVDSeconds, c, c/w.SVDCPU, rs[0].Attn, rs[0].FFN)
	}
	for _, stat := range stats {
		timed(string(stat), stat)
	}
	timed("all four statistics", stats...)
}

// cpuSeconds returns the process's user and system CPU time: on a shared machine a fairer
// measure of work than wall time.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

func make12() []float64 {
	s := make([]float64, 12)
	for i := range s {
		s[i] = 1
	}
	return s
}
