package proxy

import (
	"math"
	"math/rand"
	"testing"

	"github.com/zeronas/zeronas/space"
)

func nbb(t testing.TB) *space.Space {
	t.Helper()
	s, err := space.Load("nas-bench-bert")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustZeroLM(t testing.TB, s Settings) *ZeroLM {
	t.Helper()
	z, err := NewZeroLM(s)
	if err != nil {
		t.Fatal(err)
	}
	return z
}

// small is a nas-bench-bert architecture small enough for SVDs in a unit test.
var small = space.Arch{Layers: []space.Layer{
	{Hidden: 128, Op: space.OpSA, Param: "WMA", Heads: 2, FF: []int{512}},
	{Hidden: 128, Op: space.OpDSC, Param: "9", Heads: 4, FF: []int{512}},
}}

func TestSampledAgreesWithExpected(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	archs := []space.Arch{small, nbb(t).Sample(rng), nbb(t).Sample(rng)}
	for _, init := range []Init{Normal, Xavier, Torch} {
		for _, stat := range []Stat{Frob, Nuclear, StableRank, Entropy} {
			for i, a := range archs {
				if stat != Frob && i > 0 {
					continue // SVDs of 1024 x 1024 matrices are for benchmarks
				}
				set := Settings{Init: init, Stat: stat, Mode: Expected, Alpha: 0.5, Seed: 7}
				e := mustZeroLM(t, set).Score(a)
				set.Mode = Sampled
				s := mustZeroLM(t, set).Score(a)
				for _, pair := range [][2]float64{{e.Attn, s.Attn}, {e.FFN, s.FFN}} {
					if rel := math.Abs(pair[1]-pair[0]) / pair[0]; !(rel < 0.02) {
						t.Errorf("%s %s arch %d: sampled %v, expected %v: %.2f%% apart", init, stat, i, pair[1], pair[0], 100*rel)
					}
				}
			}
		}
	}
}

func TestSampledIsSeededAndPure(t *testing.T) {
	set := Settings{Init: Normal, Stat: Frob, Mode: Sampled, Alpha: 0.3, Seed: 1}
	a := mustZeroLM(t, set).Score(small)
	if b := mustZeroLM(t, set).Score(small); a != b {
		t.Errorf("same seed: %v then %v", a, b)
	}
	set.Seed = 2
	if b := mustZeroLM(t, set).Score(small); a == b {
		t.Errorf("seeds 1 and 2 gave the same sampled score %v", a)
	}
}

func TestExpectedFrobClosedForm(t *testing.T) {
	z := mustZeroLM(t, Settings{Init: Normal, Stat: Frob, Mode: Expected, Alpha: 0.25})
	// SDP layer: Q, K, V, out 128 x 128; FFN 128 -> 512 -> 128; per matrix v * max(m, n).
	a := space.Arch{Layers: []space.Layer{{Hidden: 128, Op: space.OpSA, Param: "SDP", Heads: 2, FF: []int{512}}}}
	v := 0.0004
	want := Score{Attn: 4 * v * 128, FFN: 2 * v * 512}
	want.Score = 0.25*want.Attn + 0.75*want.FFN
	got := z.Score(a)
	if math.Abs(got.Attn-want.Attn) > 1e-12 || math.Abs(got.FFN-want.FFN) > 1e-12 || math.Abs(got.Score-want.Score) > 1e-12 {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestSettingsValidate(t *testing.T) {
	bad := []Settings{
		{Init: "he", Stat: Frob, Mode: Expected},
		{Init: Normal, Stat: "max", Mode: Expected},
		{Init: Normal, Stat: Frob, Mode: "guess"},
	}
	for _, s := range bad {
		if _, err := NewZeroLM(s); err == nil {
			t.Errorf("%+v accepted", s)
		}
	}
}

// BenchmarkScore scores uniform NAS-Bench-BERT architectures one at a time, for every mode
// and statistic (N(0, 0.02) init); archs/s is per core.
func BenchmarkScore(b *testing.B) {
	sp := nbb(b)
	rng := rand.New(rand.NewSource(1))
	archs := make([]space.Arch, 64)
	for i := range archs {
		archs[i] = sp.Sample(rng)
	}
	for _, mode := range []Mode{Expected, Sampled} {
		for _, stat := range []Stat{Frob, Nuclear, StableRank, Entropy} {
			b.Run(string(mode)+"/"+string(stat), func(b *testing.B) {
				z := mustZeroLM(b, Settings{Init: Normal, Stat: stat, Mode: mode, Alpha: 0.5})
				z.Score(archs[0]) // fill the expected-mode cache of the first shapes
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					z.Score(archs[i%len(archs)])
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "archs/s")
			})
		}
	}
}
