package objectives

import (
	"math/rand"
	"runtime"
	"sync"
	"testing"

	"github.com/zeronas/zeronas/proxy"
	"github.com/zeronas/zeronas/space"
)

// BenchmarkGPT2ProxyExpected evaluates the proxy objective (expected mode: memoised
// per-layer and embedding terms, as searches use it) on 65,536 architectures drawn from the
// gpt2 space with uniform depth, on all cores.
func BenchmarkGPT2ProxyExpected(b *testing.B) {
	sp, err := space.Load("gpt2")
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewSource(1))
	archs := make([]space.Arch, 1<<16)
	for i := range archs {
		archs[i] = sp.SampleByDepth(rng)
	}
	z, err := proxy.NewZeroLM(proxy.Settings{Build: space.Faithful, Init: proxy.Normal, Stat: proxy.Frob, Mode: proxy.Expected, Alpha: proxy.DefaultAlphaFor(sp).Alpha})
	if err != nil {
		b.Fatal(err)
	}
	o := NewProxy(z)
	for _, a := range archs {
		o.Value(a) // warm the memo: a search evaluates millions of architectures
	}
	workers := runtime.GOMAXPROCS(0)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var best float64
				for j := w; j < len(archs); j += workers {
					best = max(best, o.Value(archs[j]))
				}
				_ = best
			}()
		}
		wg.Wait()
	}
	b.ReportMetric(float64(len(archs)*b.N)/b.Elapsed().Seconds(), "archs/s")
}
