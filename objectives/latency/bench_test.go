package latency

import (
	"context"
	"math/rand"
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

// BenchmarkPredict times predictions of random architectures of the wide FlexiBERT space.
func BenchmarkPredict(b *testing.B) {
	sp := loadSpace(b, "flexibert")
	rng := rand.New(rand.NewSource(1))
	archs := make([]space.Arch, 64)
	for i := range archs {
		archs[i] = sp.Sample(rng)
	}
	for _, m := range []struct {
		name  string
		model Model
	}{{"table", fakeTable(b, sp)}, {"analytic", NewAnalytic(Options{})}} {
		b.Run(m.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				m.model.Predict(archs[i%len(archs)])
				i++
			}
		})
	}
}

// BenchmarkCalibrate builds the NAS-Bench-BERT table with the default options: the first
// use of the latency objective on a machine.
func BenchmarkCalibrate(b *testing.B) {
	sp := loadSpace(b, "nas-bench-bert")
	for b.Loop() {
		t, err := Calibrate(context.Background(), sp, Options{}, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(t.Entries)), "blocks")
	}
}
