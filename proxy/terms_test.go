package proxy

import (
	"math"
	"math/rand"
	"sync"
	"testing"

	"github.com/zeronas/zeronas/space"
)

// TestCachedScoreEqualsTensorScore: in expected mode Score (capacities cached by layer and
// stem) equals the tensor-by-tensor reference bit for bit, on LTS records (off-grid
// widths), random gpt2 and FlexiBERT architectures, layers too wide for a cache key, in
// every build, init and embedding weight, asked twice (a miss, then a hit). The statistic
// enters both only through Expected, so frob stands for all (an SVD statistic's Monte Carlo
// expectation of a 4096-wide matrix takes seconds).
func TestCachedScoreEqualsTensorScore(t *testing.T) {
	_, recs := ltsRecords(t)
	rng := rand.New(rand.NewSource(7))
	var gpt2 []space.Arch
	for _, r := range recs {
		gpt2 = append(gpt2, r.Arch)
	}
	gsp, err := space.Load("gpt2")
	if err != nil {
		t.Fatal(err)
	}
	for range 300 {
		gpt2 = append(gpt2, gsp.SampleByDepth(rng))
	}
	fsp, err := space.Load("flexibert")
	if err != nil {
		t.Fatal(err)
	}
	var flex []space.Arch
	for range 300 {
		flex = append(flex, fsp.SampleByDepth(rng))
	}
	// Uncacheable layers: four feed-forward widths, a hidden size beyond the key.
	wide := space.Layer{Hidden: 1 << 20, Op: space.OpSA, Param: "SDP", Heads: 2, FF: []int{64}}
	deep := space.Layer{Hidden: 128, Op: space.OpSA, Param: "WMA", Heads: 2, FF: []int{64, 32, 16, 8}}
	flex = append(flex, space.Arch{Layers: []space.Layer{deep, wide, deep}}, space.Arch{})
	cases := []struct {
		archs  []space.Arch
		builds []space.Build
	}{
		{gpt2, []space.Build{space.Faithful, space.TransformerXL}},
		{flex, []space.Build{space.Faithful, space.Legacy, space.AsTrained}},
	}
	for _, c := range cases {
		for _, b := range c.builds {
			for _, init := range []Init{Normal, Xavier, Torch} {
				for _, emb := range []float64{0, 0.3} {
					z := mustZeroLM(t, Settings{Build: b, Init: init, Stat: Frob, Mode: Expected, Alpha: 0.37, Embed: emb})
					for pass := range 2 {
						for _, a := range c.archs {
							got, want := z.Score(a), z.scoreTensors(a)
							if got != want {
								t.Fatalf("%s %s embed %g pass %d %s: cached %+v, tensor by tensor %+v", b, init, emb, pass, a.ID(), got, want)
							}
						}
					}
				}
			}
		}
	}
}

// TestLayerScoreMatchesTensors: LayerScore is alpha times a layer's attention capacities
// plus 1 - alpha times its feed-forward ones, as the scored tensors give them.
func TestLayerScoreMatchesTensors(t *testing.T) {
	_, recs := ltsRecords(t)
	z := mustZeroLM(t, Settings{Build: space.TransformerXL, Init: Torch, Stat: Frob, Mode: Expected, Alpha: 0.6})
	for _, r := range recs {
		for _, l := range r.Arch.Layers {
			var attn, ffn float64
			for _, x := range space.LayerTensors(nil, 0, l, space.TransformerXL) {
				if x.Scored() && x.Role == space.Attention {
					attn += z.Expected(x.In, x.Out)
				} else if x.Scored() {
					ffn += z.Expected(x.In, x.Out)
				}
			}
			if got, want := z.LayerScore(l), Combine(0.6, attn, ffn); got != want || math.IsNaN(got) {
				t.Fatalf("record %s: layer score %v, tensors %v", r.ID, got, want)
			}
		}
	}
}

// TestCachedScoreConcurrent: goroutines filling and reading the caches of one scorer at once
// get the serial scores (run under the race detector by make test).
func TestCachedScoreConcurrent(t *testing.T) {
	sp, err := space.Load("gpt2")
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewSource(3))
	archs := make([]space.Arch, 400)
	for i := range archs {
		archs[i] = sp.SampleByDepth(rng)
	}
	set := Settings{Build: space.Faithful, Init: Normal, Stat: Frob, Mode: Expected, Alpha: 0.5, Embed: 0.2}
	serial := mustZeroLM(t, set)
	want := make([]Score, len(archs))
	for i, a := range archs {
		want[i] = serial.Score(a)
	}
	z := mustZeroLM(t, set)
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range archs {
				i := (k*(w+1) + w) % len(archs) // each goroutine in its own order
				if got := z.Score(archs[i]); got != want[i] {
					errs <- archs[i].ID()
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for id := range errs {
		t.Errorf("%s: concurrent score differs from the serial one", id)
	}
}
