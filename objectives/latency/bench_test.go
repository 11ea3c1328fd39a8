package latency

import (
	"runtime"
	"testing"

	"github.com/zeronas/zeronas/space"
)

// typicalArch is a 4-layer NAS-Bench-BERT architecture of hidden size 256 with one layer
// of every operation type.
func typicalArch() space.Arch {
	l := func(op, param string, n int, ff ...int) space.Layer {
		return space.Layer{Hidden: 256, Op: op, Param: param, Heads: n, FF: ff}
	}
	return space.Arch{Layers: []space.Layer{
		l("SA", "SDP", 4, 1024), l("LT", "DFT", 2, 512, 512, 512), l("DSC", "9", 4, 1024), l("SA", "WMA", 2, 512)}}
}

// BenchmarkForward times one forward pass of typicalArch, batch 1, 128 tokens, one thread.
func BenchmarkForward(b *testing.B) {
	n, err := NewNetwork(typicalArch(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	b.ReportAllocs()
	for b.Loop() {
		n.Forward()
	}
}
