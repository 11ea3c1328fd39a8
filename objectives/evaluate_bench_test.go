package objectives_test

import (
	"math/rand"
	"strings"
	"testing"

	"github.com/zeronas/zeronas/objectives"
	"github.com/zeronas/zeronas/objectives/latency"
	"github.com/zeronas/zeronas/proxy"
	"github.com/zeronas/zeronas/space"
)

// BenchmarkGPT2Evaluate is what a gpt2 search spends per evaluation, on one core, for each
// objective alone and for the whole set (proxy, params, analytic latency, memory, flops):
// the values, their minimised vector and the budget violation (100M parameters).
func BenchmarkGPT2Evaluate(b *testing.B) {
	sp, archs := gpt2Sample(b)
	z, err := proxy.NewZeroLM(proxy.Settings{Build: space.Faithful, Init: proxy.Normal, Stat: proxy.Frob, Mode: proxy.Expected, Alpha: proxy.DefaultAlphaFor(sp).Alpha})
	if err != nil {
		b.Fatal(err)
	}
	all, err := objectives.Parse("proxy,params,latency,memory,flops", z, latency.NewAnalytic(latency.Options{}))
	if err != nil {
		b.Fatal(err)
	}
	for _, pick := range [][]int{{0}, {1}, {2}, {3}, {4}, {0, 1, 2}, {0, 1, 2, 3, 4}} {
		var objs []objectives.Objective
		var names []string
		for _, i := range pick {
			objs = append(objs, all[i])
			names = append(names, all[i].Name())
		}
		set, err := objectives.NewSet(objs, 1e8, 0, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(strings.Join(names, "+"), func(b *testing.B) {
			for _, a := range archs { // warm the memos, as a long search has them
				set.Values(a)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				a := archs[i%len(archs)]
				_ = set.Minimised(set.Values(a))
				_ = set.Violation(a)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "evals/s")
		})
	}
}

// BenchmarkGPT2EvaluateCold evaluates 4,096 gpt2 architectures with fresh objectives (proxy,
// params, memory, as the README's gpt2 search), so that every distinct layer is a memo miss
// once: the first generations of a search. archs/s counts the 4,096.
func BenchmarkGPT2EvaluateCold(b *testing.B) {
	sp, archs := gpt2Sample(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		z, err := proxy.NewZeroLM(proxy.Settings{Build: space.Faithful, Init: proxy.Normal, Stat: proxy.Frob, Mode: proxy.Expected, Alpha: proxy.DefaultAlphaFor(sp).Alpha})
		if err != nil {
			b.Fatal(err)
		}
		objs, err := objectives.Parse("proxy,params,memory", z, nil)
		if err != nil {
			b.Fatal(err)
		}
		set, err := objectives.NewSet(objs, 0, 0, nil)
		if err != nil {
			b.Fatal(err)
		}
		for _, a := range archs {
			_ = set.Minimised(set.Values(a))
			_ = set.Violation(a)
		}
	}
	b.ReportMetric(float64(len(archs)*b.N)/b.Elapsed().Seconds(), "archs/s")
}

// gpt2Sample returns the gpt2 space and 4,096 of its architectures drawn by depth, seed 1.
func gpt2Sample(b *testing.B) (*space.Space, []space.Arch) {
	sp, err := space.Load("gpt2")
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewSource(1))
	archs := make([]space.Arch, 4096)
	for i := range archs {
		archs[i] = sp.SampleByDepth(rng)
	}
	return sp, archs
}
