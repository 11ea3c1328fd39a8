package pytorch

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"testing"

	"github.com/zeronas/zeronas/objectives/latency"
	"github.com/zeronas/zeronas/proxy"
	"github.com/zeronas/zeronas/space"
)

// gpt2ForwardScript runs every GPT-2 model on the ids in ids.json and saves its hidden
// states and first cluster's logits as safetensors; it prints how far the adaptive
// softmax's probabilities are from summing to 1 and whether changing the last token moved
// any earlier position (causality).
const gpt2ForwardScript = `
import json, torch
from zeronas_models import build, load_safetensors, save_safetensors
ids = torch.tensor(json.load(open(sys.argv[1])), dtype=torch.long)
later = ids.clone()
later[:, -1] = (later[:, -1] + 1) % 1000
for d in sys.argv[2:]:
    model = build(d + "/config.json")
    model.load_state_dict(load_safetensors(d + "/model.safetensors"), strict=True)
    model.eval()
    with torch.no_grad():
        h = model(ids)
        logits, _ = model.cluster_logits(h)
        norm = float(model.log_probs(h).double().exp().sum(-1).sub(1).abs().max())
        moved = float((model(later)[:, :-1] - h[:, :-1]).abs().max())
    save_safetensors({"hidden": h, "logits0": logits[0]}, d + "/out.safetensors")
    print(json.dumps({"norm": norm, "moved": moved}))
`

// The Go forward pass that latency measures and the PyTorch module return the same hidden
// states (after the final LayerNorm) and the same logits of the adaptive softmax's first
// cluster on the same weights and token ids: float32, within forwardTol of the largest
// value, for every adaptive embedding form. The module's adaptive softmax sums to 1 and its
// attention is causal.
func TestForwardGPT2(t *testing.T) {
	py := python(t)
	const batch, seq = 2, 24
	const forwardTol = 1e-4
	rng := rand.New(rand.NewSource(5))
	ids := make([]int32, batch*seq)
	for i := range ids {
		ids[i] = int32(rng.Intn(1000)) // every cluster of gpt2Archs's 1000-token embeddings
	}
	dir := t.TempDir()
	js, _ := json.Marshal([][]int32{ids[:seq], ids[seq:]})
	if err := os.WriteFile(filepath.Join(dir, "ids.json"), js, 0o644); err != nil {
		t.Fatal(err)
	}
	set := proxy.Settings{Build: space.Faithful, Init: proxy.Xavier, Mode: proxy.Sampled, Stat: proxy.Frob, Seed: 3}
	archs := gpt2Archs()
	out := filepath.Join(dir, "m")
	if err := Write(out, archs, Options{Settings: set, Weights: true}); err != nil {
		t.Fatal(err)
	}
	args := []string{filepath.Join(dir, "ids.json")}
	for i, a := range archs {
		args = append(args, filepath.Join(out, DirName(i, a)))
	}
	dec := json.NewDecoder(bytesReader(runPython(t, py, out, gpt2ForwardScript, args...)))
	for i, a := range archs {
		e := a.Embed
		name := fmt.Sprintf("d_model %d, vocab %d, d_embed %d, div_val %d, cutoffs %v", a.Layers[0].Hidden, e.Vocab, e.Width(a.Layers[0].Hidden), e.DivVal, e.Cutoffs)
		var py struct{ Norm, Moved float64 }
		if err := dec.Decode(&py); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !(py.Norm <= 1e-5) || py.Moved != 0 { // float32 log-probabilities
			t.Errorf("%s: probabilities sum to 1 within %.2g, earlier states moved by %.2g when the last token changed", name, py.Norm, py.Moved)
		}
		sub := filepath.Join(out, DirName(i, a))
		weights := readSafetensors(t, filepath.Join(sub, WeightsFile))
		net, err := latency.NewNetwork(a, latency.Options{Batch: batch, SeqLen: seq})
		if err != nil {
			t.Fatal(err)
		}
		asked := map[string]bool{}
		if err := net.SetWeights(func(name string, n int) ([]float32, error) { asked[name] = true; return weights.Float32s(name) }); err != nil {
			t.Fatal(err)
		}
		// The Go pass takes every tensor of the state dict, the softmax's cluster head and
		// tail projections too, whose logits Output does not return.
		for _, e := range StateDict(a, space.Faithful) {
			if !asked[e.Name] {
				t.Errorf("%s: the Go forward pass does not take %s", name, e.Name)
			}
		}
		if err := net.SetInput(ids, nil); err != nil {
			t.Fatal(err)
		}
		net.Forward()
		pt := readSafetensors(t, filepath.Join(sub, "out.safetensors"))
		for _, c := range []struct {
			what string
			goV  []float32
		}{{"hidden", net.Hidden()}, {"logits0", net.Output()}} {
			ptV, err := pt.Float32s(c.what)
			if err != nil {
				t.Fatal(err)
			}
			if len(ptV) != len(c.goV) {
				t.Fatalf("%s: %s: PyTorch %d values, Go %d", name, c.what, len(ptV), len(c.goV))
			}
			var worst, scale float64
			for j := range ptV {
				worst = max(worst, math.Abs(float64(ptV[j])-float64(c.goV[j])))
				scale = max(scale, math.Abs(float64(ptV[j])))
			}
			t.Logf("%s: %s: worst |Go - PyTorch| %.2g, largest |value| %.3g", name, c.what, worst, scale)
			if !(worst <= forwardTol*scale) {
				t.Errorf("%s: %s: worst difference %.3g above %.0g x %.3g", name, c.what, worst, forwardTol, scale)
			}
		}
	}
}
