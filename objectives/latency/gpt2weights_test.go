package latency

import (
	"errors"
	"strings"
	"testing"

	"github.com/zeronas/zeronas/space"
)

// A GPT-2 network takes token ids only, within the vocabulary, and names the weight it
// could not set; Hidden is the final LayerNorm's output, not the logits.
func TestGPT2SetInputAndWeights(t *testing.T) {
	a := space.Arch{Layers: []space.Layer{{Hidden: 16, Op: space.OpCSA, Heads: 2, FF: []int{32}}},
		Embed: &space.AdaptiveEmbedding{Vocab: 100, DivVal: 2, Cutoffs: []int{40}}}
	const batch, seq = 1, 4
	net, err := NewNetwork(a, Options{Batch: batch, SeqLen: seq})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		ids, types []int32
		want       string
	}{
		{[]int32{1, 2, 3}, nil, "3 ids"},
		{[]int32{1, 2, 3, 4}, []int32{0, 0, 0, 0}, "no types"},
		{[]int32{1, 2, 100, 4}, nil, "id 100 at 2"},
		{[]int32{1, -1, 3, 4}, nil, "id -1 at 1"},
	} {
		if err := net.SetInput(c.ids, c.types); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("SetInput(%v, %v): %v, want an error with %q", c.ids, c.types, err, c.want)
		}
	}
	if err := net.SetInput([]int32{0, 39, 40, 99}, nil); err != nil {
		t.Fatal(err)
	}
	missing := errors.New("missing")
	err = net.SetWeights(func(name string, n int) ([]float32, error) {
		if name == "layer0.ff.c_fc.bias" {
			return nil, missing
		}
		return make([]float32, n), nil
	})
	if !errors.Is(err, missing) || !strings.Contains(err.Error(), "layer0.ff.c_fc.bias") {
		t.Errorf("SetWeights with a missing tensor: %v", err)
	}
	net.Forward()
	if h, o := len(net.Hidden()), len(net.Output()); h != batch*seq*16 || o != batch*seq*40 {
		t.Errorf("Hidden has %d values, Output %d; want %d hidden states and %d first-cluster logits", h, o, batch*seq*16, batch*seq*40)
	}
}
