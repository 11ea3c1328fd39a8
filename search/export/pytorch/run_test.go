package pytorch_test

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/zeronas/zeronas/internal/pytorchtest"
	"github.com/zeronas/zeronas/internal/runtest"
	"github.com/zeronas/zeronas/search/export"
	"github.com/zeronas/zeronas/search/export/pytorch"
	"github.com/zeronas/zeronas/space"
)

// runScript builds every exported model, loads its weights strictly and runs a forward
// pass, printing the model's parameter count and the output's shape.
const runScript = `
import json, torch
from zeronas_models import build, load_safetensors
for d in sys.argv[1:]:
    model = build(d + "/config.json")
    model.load_state_dict(load_safetensors(d + "/model.safetensors"), strict=True)
    model.eval()
    with torch.no_grad():
        h = model(torch.randint(0, 1000, (2, 16)))
    ok = bool(torch.isfinite(h).all())
    print(json.dumps({"params": sum(p.numel() for p in model.parameters()), "shape": list(h.shape), "finite": ok}))
`

// The "done when" for GPT-2: a GPT-2 run's front, exported with its weights,
// builds, loads its weights strictly and runs a forward pass in PyTorch, with zeronas's
// parameter count.
func TestGPT2RunExport(t *testing.T) {
	py := pytorchtest.Python(t)
	run := runtest.Make(t, runtest.TinyGPT2)
	out := filepath.Join(t.TempDir(), "m")
	front, err := export.Write(context.Background(), run, export.Options{Format: export.PyTorch, Out: out, Weights: true})
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for i, m := range front {
		dirs = append(dirs, filepath.Join(out, pytorch.DirName(i, m.Arch)))
	}
	dec := json.NewDecoder(bytes.NewReader(pytorchtest.Run(t, py, out, runScript, dirs...)))
	for i, m := range front {
		var got struct {
			Params int64
			Shape  []int
			Finite bool
		}
		if err := dec.Decode(&got); err != nil {
			t.Fatalf("member %d: %v", i, err)
		}
		want := space.ParamsByRole(m.Arch, space.Faithful).Total()
		d := m.Arch.Layers[0].Hidden
		if got.Params != want || len(got.Shape) != 3 || got.Shape[0] != 2 || got.Shape[1] != 16 || got.Shape[2] != d || !got.Finite {
			t.Errorf("member %d (%s): %d parameters, hidden states %v (finite %v); want %d and [2 16 %d]", i, m.ID, got.Params, got.Shape, got.Finite, want, d)
		}
	}
	t.Logf("%d GPT-2 front members build, load strictly and run", len(front))
}
