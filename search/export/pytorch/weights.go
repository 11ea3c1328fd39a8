package pytorch

import (
	"fmt"
	"io"
	"strconv"

	"github.com/zeronas/zeronas/internal/safetensors"
	"github.com/zeronas/zeronas/proxy"
	"github.com/zeronas/zeronas/space"
)

// WeightsNote says what the weights of an export are.
const WeightsNote = "initial weights: the attention and ffn matrices are those ZeroLM's sampled mode scores " +
	"for this seed, build and init; other tensors are initialised as BERT's (biases 0, LayerNorm 1 and 0, " +
	"tables N(0, 0.02)) or drawn from the init. ZeroLM sums a statistic of every 2-D tensor of role attention or ffn."

// StateDict lists the state-dict entries of a in build b in the module's names, with their
// shapes and roles, in space.Tensors order (a weight before its bias). A Vector tensor is
// one entry under its own name.
func StateDict(a space.Arch, b space.Build) []Entry {
	var out []Entry
	for _, t := range space.Tensors(a, b) {
		var shape []int
		switch t.Kind {
		case space.Kernel:
			shape = []int{t.Out, t.In, t.K}
		case space.Norm:
			shape = []int{t.Out}
		case space.Vector:
			// A bare parameter (GPT-2's softmax.bias) keeps its own name.
			out = append(out, Entry{Name: t.FullName(), Shape: []int{t.Out}, Role: RoleName(t.Role)})
			continue
		default:
			shape = []int{t.Out, t.In}
		}
		role := RoleName(t.Role)
		out = append(out, Entry{Name: t.FullName() + ".weight", Shape: shape, Role: role})
		if t.Bias || t.Kind == space.Norm {
			out = append(out, Entry{Name: t.FullName() + ".bias", Shape: []int{t.Out}, Role: role})
		}
	}
	return out
}

// Entry is one tensor of a state dict.
type Entry struct {
	Name  string
	Shape []int
	Role  string
}

// WriteWeights writes the weights z gives a (proxy.ZeroLM.Weights, in z's build) to w as
// safetensors in float32, with the module's state-dict names and each tensor's role in the
// header's __metadata__, besides format, arch_id, build, init, seed and a note.
func WriteWeights(w io.Writer, z *proxy.ZeroLM, a space.Arch) error {
	set := z.Settings()
	entries := StateDict(a, set.Build)
	infos := make([]safetensors.Info, len(entries))
	meta := map[string]string{"format": Format, "arch_id": a.ID(), "build": set.Build.String(),
		"init": string(set.Init), "seed": strconv.FormatUint(set.Seed, 10), "note": WeightsNote}
	for i, e := range entries {
		infos[i] = safetensors.Info{Name: e.Name, DType: safetensors.F32, Shape: e.Shape}
		meta[e.Name] = e.Role
	}
	sw, err := safetensors.NewWriter(w, infos, meta)
	if err != nil {
		return err
	}
	err = z.Weights(a, func(t space.Tensor, wt, bias []float64) error {
		if err := sw.WriteFloat64s(wt); err != nil {
			return fmt.Errorf("%s: %w", t.FullName(), err)
		}
		if bias != nil {
			return sw.WriteFloat64s(bias)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return sw.Close()
}
