package distributed

import (
	"context"
	"math/rand"
	"testing"

	"github.com/zeronas/zeronas/search"
	"github.com/zeronas/zeronas/space"
)

// BenchmarkEvaluateBatch measures the cost per evaluation of a cheap objective (the
// expected-mode proxy, parameters and FLOPs of NAS-Bench-BERT architectures, microseconds
// each) on the local pool and through NATS with one in-process worker, both with two
// evaluations at a time: the difference is the overhead NATS adds to each evaluation
// (publish, deliver, result, ack).
func BenchmarkEvaluateBatch(b *testing.B) {
	const batch = 100
	cfg := testConfig(b)
	p, err := cfg.Problem("")
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewSource(1))
	// Fresh architectures each round, so no result is found already published.
	next := func() ([]space.Arch, []string) {
		archs, keys := make([]space.Arch, batch), make([]string, batch)
		for i := range archs {
			archs[i] = p.Space.Sample(rng)
			keys[i] = archs[i].ID()
		}
		return archs, keys
	}
	run := func(b *testing.B, ev search.Evaluator[space.Arch]) {
		archs, keys := next() // warm up: workers join, settings are built
		if _, err := ev.Evaluate(context.Background(), p, archs, keys); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for range b.N {
			b.StopTimer()
			archs, keys := next()
			b.StartTimer()
			if _, err := ev.Evaluate(context.Background(), p, archs, keys); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*batch), "ns/eval")
	}
	b.Run("pool", func(b *testing.B) { run(b, search.Pool[space.Arch]{Workers: 2}) })
	b.Run("nats", func(b *testing.B) {
		e := startServer(b, b.TempDir(), "")
		defer e.Shutdown()
		startWorkers(b, e.URL(), 1, testVersion, nil)
		run(b, coordinator(b, connect(b, e.URL()), cfg, Options{}))
	})
}
