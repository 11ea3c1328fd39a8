package proxy

import (
	"context"
	"runtime"
	"sync"
	"testing"

	"github.com/zeronas/zeronas/space"
)

// BenchmarkWholeSpace scores every architecture of NAS-Bench-BERT (10,621,440) in expected
// mode on all cores: the enumeration feeds batches to one scorer per core.
func BenchmarkWholeSpace(b *testing.B) {
	sp := nbb(b)
	z := mustZeroLM(b, DefaultSettings())
	for i := 0; i < b.N; i++ {
		batches := make(chan []space.Arch, 16)
		var wg sync.WaitGroup
		best := make([]float64, runtime.GOMAXPROCS(0))
		for w := range best {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for batch := range batches {
					for _, a := range batch {
						if s := z.Score(a).Score; s > best[w] {
							best[w] = s
						}
					}
				}
			}()
		}
		n := 0
		batch := make([]space.Arch, 0, 4096)
		sp.Enumerate(context.Background(), func(a space.Arch) bool {
			batch = append(batch, space.Arch{Layers: append([]space.Layer(nil), a.Layers...)})
			if len(batch) == cap(batch) {
				batches <- batch
				batch = make([]space.Arch, 0, 4096)
			}
			n++
			return true
		})
		batches <- batch
		close(batches)
		wg.Wait()
		if n != 10621440 {
			b.Fatalf("enumerated %d", n)
		}
	}
	b.ReportMetric(float64(10621440*b.N)/b.Elapsed().Seconds(), "archs/s")
}
