package space

import (
	"math"
	"testing"
)

func TestPeakMemoryMB(t *testing.T) {
	// GPT-2, d 64, 2 heads, d_inner 256, vocabulary 1000, batch 2, 16 tokens: the logits
	// (16 x (64 + 1000) per sequence) outweigh attention (16 x 5 x 64 + 2 x 16 x 16) and the
	// feed-forward block (16 x (64 + 64 + 256)).
	a := Arch{Layers: []Layer{{Hidden: 64, Op: OpCSA, Heads: 2, FF: []int{256}}}, Embed: &AdaptiveEmbedding{Vocab: 1000, DivVal: 1}}
	want := (float64(Params(a, Faithful)) + 2*16*(64+1000)) * 4 / 1e6
	if got := PeakMemoryMB(a, Faithful, 2, 16); math.Abs(got-want) > 1e-12 {
		t.Errorf("GPT-2 peak %v MB, want %v", got, want)
	}
	// With 512 tokens the attention scores dominate: 512 x 5 x 64 + 2 x 512^2.
	want = (float64(Params(a, Faithful)) + 512*5*64 + 2*512*512) * 4 / 1e6
	if got := PeakMemoryMB(a, Faithful, 1, 512); math.Abs(got-want) > 1e-12 {
		t.Errorf("long-sequence peak %v MB, want %v", got, want)
	}
	// FlexiBERT, a 3-layer stack 128 -> 1024 -> 512 -> 2048 -> 128: the widest pair with
	// the block input is 128 + 512 + 2048.
	f := Arch{Layers: []Layer{{Hidden: 128, Op: OpLT, Param: "DFT", Heads: 2, FF: []int{1024, 512, 2048}}}}
	want = (float64(Params(f, Faithful)) + 8*(128+512+2048)) * 4 / 1e6
	if got := PeakMemoryMB(f, Faithful, 1, 8); math.Abs(got-want) > 1e-12 {
		t.Errorf("FlexiBERT peak %v MB, want %v", got, want)
	}
	if PeakMemoryMB(Arch{}, Faithful, 1, 8) != 0 {
		t.Error("empty architecture has memory")
	}
}

// TestPeakMemoryLeavesFFAlone: the activation peak reads a layer's feed-forward widths
// without appending to them, so an array with spare capacity, shared between
// architectures, is not written.
func TestPeakMemoryLeavesFFAlone(t *testing.T) {
	ff := make([]int, 1, 2)
	ff[0], ff = 2048, ff[:1]
	spare := ff[:2]
	spare[1] = -7
	a := Arch{Layers: []Layer{{Hidden: 512, Op: OpSA, Param: "SDP", Heads: 8, FF: ff}}}
	PeakMemoryMB(a, Faithful, 1, 8)
	if spare[1] != -7 {
		t.Fatalf("the spare element of FF became %d", spare[1])
	}
}
