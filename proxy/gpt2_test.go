package proxy

import (
	"math"
	"math/rand"
	"runtime"
	"sync"
	"testing"

	"github.com/zeronas/zeronas/proxy/rank"
	"github.com/zeronas/zeronas/space"
)

const ltsFile = "../experiments/data/lts/gpt2-lm1b-dev.jsonl"

func ltsRecords(t *testing.T) (*space.Space, []space.Record) {
	t.Helper()
	sp, err := space.Load("gpt2")
	if err != nil {
		t.Fatal(err)
	}
	recs, err := space.ReadRecords(ltsFile, sp)
	if err != nil {
		t.Fatal(err)
	}
	return sp, recs
}

// TestDefaultAlphaGPT2Reproduces recalibrates the gpt2 default alpha with its shipped
// provenance (50 LTS records, seed 1, target -valid_ppl) and requires the shipped value.
func TestDefaultAlphaGPT2Reproduces(t *testing.T) {
	sp, recs := ltsRecords(t)
	d := DefaultAlphaFor(sp)
	if d.Strategy != "sampling" || d.Sample != 50 || d.Source != "gpt2-lm1b-dev.jsonl" {
		t.Fatalf("gpt2 default alpha provenance %+v", d)
	}
	if DefaultAlphaFor(nil).Alpha != DefaultAlpha().Alpha {
		t.Error("FlexiBERT default changed")
	}
	z := mustZeroLM(t, d.Settings)
	var p Parts
	var y []float64
	for _, r := range recs {
		s := z.Score(r.Arch)
		p.Attn, p.FFN = append(p.Attn, s.Attn), append(p.FFN, s.FFN)
		name, v, ok := r.Target()
		if !ok || name != space.TargetPPL {
			t.Fatalf("record %s: target %q", r.ID, name)
		}
		y = append(y, v)
	}
	c, err := CalibrateSampling(p, y, d.Sample, d.Seed, DefaultGrid())
	if err != nil {
		t.Fatal(err)
	}
	if c.Alpha != d.Alpha {
		t.Errorf("recalibrated alpha %v, shipped %v: run make default-alpha", c.Alpha, d.Alpha)
	}
}

// TestNonembeddingBaseline: LTS's own proxy, the decoder parameter count, ranks the
// shipped file at Spearman 0.986 (transformer-xl build, as LTS counted it).
func TestNonembeddingBaseline(t *testing.T) {
	_, recs := ltsRecords(t)
	p, err := New("nonembedding", Settings{Build: space.TransformerXL, Init: Normal, Stat: Frob, Mode: Expected})
	if err != nil {
		t.Fatal(err)
	}
	var x, y []float64
	for _, r := range recs {
		x = append(x, p.Value(r.Arch))
		y = append(y, -r.Scores["valid_ppl"])
		if p.Value(r.Arch) != r.Reported["nonembedding"] {
			t.Fatalf("record %s: nonembedding %v, LTS %v", r.ID, p.Value(r.Arch), r.Reported["nonembedding"])
		}
	}
	rho, err := rank.Spearman(x, y)
	if err != nil || math.Abs(rho-0.9856) > 5e-4 {
		t.Errorf("spearman %v (%v), want 0.9856", rho, err)
	}
}

// TestGPT2LayerTermsSumToScore: in expected mode the per-layer and embedding terms add up
// to the whole score, with and without the embedding sub-module, in both GPT-2 builds.
func TestGPT2LayerTermsSumToScore(t *testing.T) {
	_, recs := ltsRecords(t)
	for _, b := range []space.Build{space.Faithful, space.TransformerXL} {
		for _, emb := range []float64{0, 0.3} {
			z := mustZeroLM(t, Settings{Build: b, Init: Xavier, Stat: Frob, Mode: Expected, Alpha: 0.7, Embed: emb})
			for _, r := range recs[:20] {
				s := z.Score(r.Arch)
				sum := z.StemScore(r.Arch.Layers[0].Hidden, r.Arch.Embed)
				for _, l := range r.Arch.Layers {
					sum += z.LayerScore(l)
				}
				if math.Abs(sum-s.Score) > 1e-9*math.Abs(s.Score) {
					t.Fatalf("%s embed %g: terms %v, score %v", b, emb, sum, s.Score)
				}
				if (emb == 0) != (s.Emb == 0) {
					t.Fatalf("embed weight %g but S_embed %v", emb, s.Emb)
				}
			}
		}
	}
}

// BenchmarkGPT2Expected scores 65,536 architectures drawn from the gpt2 space (uniform
// depth; 9.5 layers on average) in expected mode on all cores, one scorer shared.
func BenchmarkGPT2Expected(b *testing.B) {
	sp, err := space.Load("gpt2")
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewSource(1))
	archs := make([]space.Arch, 1<<16)
	for i := range archs {
		archs[i] = sp.SampleByDepth(rng)
	}
	z := mustZeroLM(b, Settings{Build: space.Faithful, Init: Normal, Stat: Frob, Mode: Expected, Alpha: DefaultAlphaFor(sp).Alpha})
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
					best = max(best, z.Score(archs[j]).Score)
				}
				_ = best
			}()
		}
		wg.Wait()
	}
	b.ReportMetric(float64(len(archs)*b.N)/b.Elapsed().Seconds(), "archs/s")
}

// BenchmarkGPT2ScoreOne scores architectures drawn from the gpt2 space one at a time on one
// core, in expected mode (the per-core cost behind BenchmarkGPT2Expected, steadier than it
// on a shared machine).
func BenchmarkGPT2ScoreOne(b *testing.B) {
	sp, err := space.Load("gpt2")
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewSource(1))
	archs := make([]space.Arch, 4096)
	for i := range archs {
		archs[i] = sp.SampleByDepth(rng)
	}
	z := mustZeroLM(b, Settings{Build: space.Faithful, Init: Normal, Stat: Frob, Mode: Expected, Alpha: DefaultAlphaFor(sp).Alpha})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		z.Score(archs[i%len(archs)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "archs/s")
}
