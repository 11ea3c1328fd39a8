package pytorch

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zeronas/zeronas/internal/safetensors"
	"github.com/zeronas/zeronas/objectives/latency"
	"github.com/zeronas/zeronas/proxy"
	"github.com/zeronas/zeronas/space"
)

// zerolmScript loads every model's weights strictly and recomputes ZeroLM from the file
// alone: torch.linalg.svdvals of the 2-D tensors the metadata calls attention or ffn.
const zerolmScript = `
import json, torch
from zeronas_models import build, read_safetensors, zerolm
for arg in sys.argv[1:]:
    d, stats = arg.split("=")
    model = build(d + "/config.json")
    tensors, meta = read_safetensors(d + "/model.safetensors")
    model.load_state_dict(tensors, strict=True)
    roles = {k: v for k, v in meta.items() if k in tensors}
    assert roles == model.roles(), "metadata roles differ from the module's"
    print(json.dumps({s: zerolm(tensors, roles, s) for s in stats.split(",")}))
`

// zerolmCase is a model whose exported weights TestWeightsZeroLM scores.
type zerolmCase struct {
	arch  space.Arch
	build space.Build
	init  proxy.Init
	stats []proxy.Stat
}

// The weights of an export, loaded strictly in PyTorch, give ZeroLM values equal to
// sampled mode's s_attn and s_ffn for every statistic, to 1e-6 relative.
func TestWeightsZeroLM(t *testing.T) {
	py := python(t)
	all := []proxy.Stat{proxy.Frob, proxy.Nuclear, proxy.StableRank, proxy.Entropy}
	// Small architectures keep Go's SVDs quick; the legacy build (256 x 1024 matrices)
	// is checked on the statistic without one.
	cases := []zerolmCase{
		{opArch(space.OpSA, "WMA"), space.Faithful, proxy.Normal, all},
		{opArch(space.OpLT, "DCT"), space.AsTrained, proxy.Xavier, all},
		{opArch(space.OpDSC, "5"), space.Faithful, proxy.Torch, all},
		{opArch(space.OpLT, "DFT"), space.Legacy, proxy.Normal, []proxy.Stat{proxy.Frob}},
	}
	// GPT-2 decoders of every embedding form (c_attn scored as one 3d x d matrix, as
	// zeronas does), and one drawn from the gpt2 space with d_model at most 192.
	for i, a := range gpt2Archs() {
		init := []proxy.Init{proxy.Normal, proxy.Xavier, proxy.Torch}[i%3]
		cases = append(cases, zerolmCase{a, space.Faithful, init, all})
	}
	gpt2, err := space.Load("gpt2")
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewSource(11))
	a := gpt2.Sample(rng)
	for a.Layers[0].Hidden > 192 {
		a = gpt2.Sample(rng)
	}
	cases = append(cases, zerolmCase{a, space.Faithful, proxy.Normal, []proxy.Stat{proxy.Frob}})
	dir := t.TempDir()
	var dirs []string
	for i, c := range cases {
		set := proxy.Settings{Build: c.build, Init: c.init, Mode: proxy.Sampled, Stat: proxy.Frob, Alpha: 0.5, Seed: 7}
		sub := filepath.Join(dir, fmt.Sprint(i))
		if err := Write(sub, []space.Arch{c.arch}, Options{Settings: set, Weights: true}); err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, st := range c.stats {
			names = append(names, string(st))
		}
		dirs = append(dirs, filepath.Join(sub, DirName(0, c.arch))+"="+strings.Join(names, ","))
	}
	out := runPython(t, py, filepath.Join(dir, "0"), zerolmScript, dirs...)
	dec := json.NewDecoder(bytesReader(out))
	worst := 0.0
	for i, c := range cases {
		var got map[string][2]float64
		if err := dec.Decode(&got); err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		for _, stat := range c.stats {
			set := proxy.Settings{Build: c.build, Init: c.init, Mode: proxy.Sampled, Stat: stat, Alpha: 0.5, Seed: 7}
			z, err := proxy.NewZeroLM(set)
			if err != nil {
				t.Fatal(err)
			}
			want := z.Score(c.arch)
			for j, w := range []float64{want.Attn, want.FFN} {
				rel := math.Abs(got[string(stat)][j]-w) / math.Abs(w)
				worst = max(worst, rel)
				if !(rel <= 1e-6) {
					t.Errorf("case %d (%s, %s, %s): %s %s: PyTorch %.10g, zeronas %.10g (relative %.2g)",
						i, c.build, c.init, c.arch.ID(), stat, [2]string{"s_attn", "s_ffn"}[j], got[string(stat)][j], w, rel)
				}
			}
		}
	}
	t.Logf("worst relative difference of s_attn, s_ffn over %d models and their statistics: %.2g", len(cases), worst)
}

// opArch is a two-layer architecture of one operation with both projections (embedding
// width 128 to 64, then 64 to 128) and a one- and a three-layer feed-forward stack.
func opArch(op, param string) space.Arch {
	return space.Arch{Layers: []space.Layer{
		{Hidden: 64, Op: op, Param: param, Heads: 4, FF: []int{96}},
		{Hidden: 128, Op: op, Param: param, Heads: 2, FF: []int{64, 48, 64}},
	}}
}

// forwardScript runs every model on the ids and types in ids.json and saves the hidden
// states as safetensors.
const forwardScript = `
import json, torch
from zeronas_models import build, load_safetensors, save_safetensors
inp = json.load(open(sys.argv[1]))
ids = torch.tensor(inp["ids"], dtype=torch.long)
types = torch.tensor(inp["types"], dtype=torch.long)
for d in sys.argv[2:]:
    model = build(d + "/config.json")
    model.load_state_dict(load_safetensors(d + "/model.safetensors"), strict=True)
    model.eval()
    with torch.no_grad():
        h = model(ids, types)
    save_safetensors({"hidden": h}, d + "/hidden.safetensors")
`

// The Go forward pass that latency measures and the PyTorch module return the same hidden
// states on the same weights and input: float32, within forwardTol of the largest hidden
// state, per operation type.
func TestForward(t *testing.T) {
	py := python(t)
	const batch, seq = 2, 24
	const forwardTol = 1e-4
	ops := []struct{ op, param string }{
		{space.OpSA, "SDP"}, {space.OpSA, "WMA"}, {space.OpLT, "DFT"}, {space.OpLT, "DCT"},
		{space.OpDSC, "5"}, {space.OpDSC, "9"}, {space.OpDSC, "4"},
	}
	rng := rand.New(rand.NewSource(5))
	ids, types := make([]int32, batch*seq), make([]int32, batch*seq)
	for i := range ids {
		ids[i], types[i] = int32(rng.Intn(space.VocabSize)), int32(rng.Intn(space.TypeVocab))
	}
	dir := t.TempDir()
	inp := map[string][][]int32{"ids": {ids[:seq], ids[seq:]}, "types": {types[:seq], types[seq:]}}
	js, _ := json.Marshal(inp)
	if err := os.WriteFile(filepath.Join(dir, "ids.json"), js, 0o644); err != nil {
		t.Fatal(err)
	}
	// Xavier weights make every operation move the hidden states, so that an error shows.
	set := proxy.Settings{Build: space.Faithful, Init: proxy.Xavier, Mode: proxy.Sampled, Stat: proxy.Frob, Seed: 3}
	var archs []space.Arch
	for _, o := range ops {
		archs = append(archs, opArch(o.op, o.param))
	}
	out := filepath.Join(dir, "m")
	if err := Write(out, archs, Options{Settings: set, Weights: true}); err != nil {
		t.Fatal(err)
	}
	args := []string{filepath.Join(dir, "ids.json")}
	for i, a := range archs {
		args = append(args, filepath.Join(out, DirName(i, a)))
	}
	runPython(t, py, out, forwardScript, args...)
	for i, a := range archs {
		sub := filepath.Join(out, DirName(i, a))
		weights := readSafetensors(t, filepath.Join(sub, WeightsFile))
		net, err := latency.NewNetwork(a, latency.Options{Batch: batch, SeqLen: seq})
		if err != nil {
			t.Fatal(err)
		}
		if err := net.SetWeights(func(name string, n int) ([]float32, error) { return weights.Float32s(name) }); err != nil {
			t.Fatal(err)
		}
		if err := net.SetInput(ids, types); err != nil {
			t.Fatal(err)
		}
		net.Forward()
		goOut := net.Output()
		pt, err := readSafetensors(t, filepath.Join(sub, "hidden.safetensors")).Float32s("hidden")
		if err != nil {
			t.Fatal(err)
		}
		if len(pt) != len(goOut) {
			t.Fatalf("%s-%s: PyTorch %d values, Go %d", ops[i].op, ops[i].param, len(pt), len(goOut))
		}
		var worst, scale float64
		for j := range pt {
			worst = max(worst, math.Abs(float64(pt[j])-float64(goOut[j])))
			scale = max(scale, math.Abs(float64(pt[j])))
		}
		t.Logf("%s-%s: worst |Go - PyTorch| %.2g, largest |hidden| %.3g", ops[i].op, ops[i].param, worst, scale)
		if !(worst <= forwardTol*scale) {
			t.Errorf("%s-%s: worst difference %.3g above %.0g x %.3g", ops[i].op, ops[i].param, worst, forwardTol, scale)
		}
	}
}

func readSafetensors(t *testing.T, path string) *safetensors.File {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := safetensors.Parse(b)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return f
}
