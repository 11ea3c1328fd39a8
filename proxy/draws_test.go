package proxy

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"gonum.org/v1/gonum/stat"

	"github.com/zeronas/zeronas/internal/testspaces"
	"github.com/zeronas/zeronas/space"
)

var (
	allStats = []Stat{Frob, Nuclear, StableRank, Entropy}
	allInits = []Init{Normal, Xavier, Torch}
	// smallGPT2 is a decoder of two GPT-2 blocks small enough for SVDs in a unit test.
	smallGPT2 = space.Arch{Layers: []space.Layer{
		{Hidden: 64, Op: space.OpCSA, Heads: 2, FF: []int{192}},
		{Hidden: 64, Op: space.OpCSA, Heads: 4, FF: []int{100}},
	}}
)

// scoredShapes returns the distinct (in, out) shapes of a's scored matrices under build b.
func scoredShapes(a space.Arch, b space.Build) map[shapeKey]bool {
	m := map[shapeKey]bool{}
	for _, t := range space.AppendTensors(nil, a, b) {
		if t.Scored() {
			m[shapeKey{t.In, t.Out}] = true
		}
	}
	return m
}

// TestDrawCacheMatchesUnshared: a scorer with a DrawCache gives every statistic, init and
// shape exactly (==) the value a scorer without one computes, whichever statistic asked
// the cache first, and so the same scores.
func TestDrawCacheMatchesUnshared(t *testing.T) {
	shapes := [][2]int{{1, 1}, {1, 9}, {9, 1}, {16, 48}, {48, 16}, {33, 65}, {96, 96}}
	for _, init := range allInits {
		c := &DrawCache{}
		for i, sh := range shapes {
			for j := range allStats {
				st := allStats[(i+j)%len(allStats)] // a different statistic asks first each shape
				set := Settings{Init: init, Stat: st, Mode: Expected, Alpha: 0.5}
				want := mustZeroLM(t, set).Expected(sh[0], sh[1])
				shared, err := NewZeroLM(set, WithDrawCache(c))
				if err != nil {
					t.Fatal(err)
				}
				if got := shared.Expected(sh[0], sh[1]); got != want {
					t.Errorf("%s %s %dx%d: shared %v, unshared %v", init, st, sh[0], sh[1], got, want)
				}
			}
		}
		for _, a := range []space.Arch{small, smallGPT2} {
			for _, st := range allStats {
				set := Settings{Init: init, Stat: st, Mode: Expected, Alpha: 0.3}
				want := mustZeroLM(t, set).Score(a)
				shared, err := NewZeroLM(set, WithDrawCache(c))
				if err != nil {
					t.Fatal(err)
				}
				if got := shared.Score(a); got != want {
					t.Errorf("%s %s: shared score %+v, unshared %+v", init, st, got, want)
				}
			}
		}
	}
}

// TestDrawCacheShares counts decompositions: the first SVD statistic decomposes each shape's
// draws once, the others none, frob none, and another init its own.
func TestDrawCacheShares(t *testing.T) {
	c := &DrawCache{}
	score := func(st Stat, init Init) {
		t.Helper()
		z, err := NewZeroLM(Settings{Init: init, Stat: st, Mode: Expected, Alpha: 0.5}, WithDrawCache(c))
		if err != nil {
			t.Fatal(err)
		}
		z.Score(small)
	}
	score(Frob, Normal)
	if n := c.Decompositions(); n != 0 {
		t.Fatalf("frob decomposed %d matrices, want none", n)
	}
	perInit := int64(expectedDraws * len(scoredShapes(small, space.Faithful)))
	score(Nuclear, Normal)
	if n := c.Decompositions(); n != perInit {
		t.Fatalf("nuclear: %d decompositions, want %d (%d draws of each shape)", n, perInit, expectedDraws)
	}
	score(StableRank, Normal)
	score(Entropy, Normal)
	if n := c.Decompositions(); n != perInit {
		t.Errorf("stable rank and entropy after nuclear: %d decompositions, want still %d", n, perInit)
	}
	score(Entropy, Xavier)
	if n := c.Decompositions(); n != 2*perInit {
		t.Errorf("another init: %d decompositions, want %d", n, 2*perInit)
	}
}

// TestDrawCacheConcurrent scores with every SVD statistic at once from several goroutines
// on one cache: the scores equal the serial unshared ones, and each shape's draws are
// decomposed once. Run with -race.
func TestDrawCacheConcurrent(t *testing.T) {
	c := &DrawCache{}
	stats := allStats[1:]
	archs := []space.Arch{small, smallGPT2}
	type job struct {
		st   Stat
		arch int
	}
	var jobs []job
	for rep := 0; rep < 3; rep++ {
		for _, st := range stats {
			for i := range archs {
				jobs = append(jobs, job{st, i})
			}
		}
	}
	got := make([]Score, len(jobs))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			z, err := NewZeroLM(Settings{Init: Torch, Stat: j.st, Mode: Expected, Alpha: 0.5}, WithDrawCache(c))
			if err != nil {
				panic(err)
			}
			got[i] = z.Score(archs[j.arch])
		}()
	}
	wg.Wait()
	for i, j := range jobs {
		want := mustZeroLM(t, Settings{Init: Torch, Stat: j.st, Mode: Expected, Alpha: 0.5}).Score(archs[j.arch])
		if got[i] != want {
			t.Errorf("job %d (%s, arch %d): concurrent shared %+v, serial unshared %+v", i, j.st, j.arch, got[i], want)
		}
	}
	shapes := scoredShapes(small, space.Faithful)
	for k := range scoredShapes(smallGPT2, space.Faithful) {
		shapes[k] = true
	}
	if n, want := c.Decompositions(), int64(expectedDraws*len(shapes)); n != want {
		t.Errorf("%d decompositions, want %d: a shape was decomposed more than once", n, want)
	}
}

// TestHeuristicSampleWarmsCalibration: HeuristicSample is what CalibrateHeuristic and
// CalibrateShare draw: scoring it first on two workers on a shared cache leaves the
// calibrations nothing to decompose, and they return the alphas of cold unshared scorers.
func TestHeuristicSampleWarmsCalibration(t *testing.T) {
	sp, err := space.Parse("micro-gpt2", []byte(testspaces.MicroGPT2))
	if err != nil {
		t.Fatal(err)
	}
	archs, err := HeuristicSample(sp, 20, 5)
	if err != nil {
		t.Fatal(err)
	}
	c := &DrawCache{}
	for _, st := range allStats[1:] {
		set := Settings{Init: Xavier, Stat: st, Mode: Expected}
		warm, err := NewZeroLM(set, WithDrawCache(c))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ScoreAll(context.Background(), warm, archs, 2); err != nil {
			t.Fatal(err)
		}
		n := c.Decompositions()
		if n == 0 {
			t.Fatal("scoring the sample decomposed nothing")
		}
		for _, calibrate := range []func(*ZeroLM, *space.Space, int, uint64) (Calibration, error){CalibrateHeuristic, CalibrateShare} {
			got, err := calibrate(warm, sp, len(archs), 5)
			if err != nil {
				t.Fatal(err)
			}
			want, err := calibrate(mustZeroLM(t, set), sp, len(archs), 5)
			if err != nil {
				t.Fatal(err)
			}
			if got.Alpha != want.Alpha {
				t.Errorf("%s %s: warm shared alpha %v, cold unshared %v", st, want.Strategy, got.Alpha, want.Alpha)
			}
		}
		if m := c.Decompositions(); m != n {
			t.Errorf("%s: calibrating after scoring the sample decomposed %d more matrices: it drew other architectures", st, m-n)
		}
	}
	if _, err := HeuristicSample(sp, 1, 5); err == nil {
		t.Error("sample of 1 accepted")
	}
}

// TestHeuristicSampleIsCalibrationsDraw recomputes the heuristic alpha from HeuristicSample's
// architectures: equal to CalibrateHeuristic's only if they are the ones it scores.
func TestHeuristicSampleIsCalibrationsDraw(t *testing.T) {
	z := mustZeroLM(t, DefaultSettings())
	archs, err := HeuristicSample(nbb(t), 500, 3)
	if err != nil {
		t.Fatal(err)
	}
	var attn, ffn []float64
	for _, a := range archs {
		s := z.Score(a)
		attn, ffn = append(attn, s.Attn), append(ffn, s.FFN)
	}
	sa, sf := stat.StdDev(attn, nil), stat.StdDev(ffn, nil)
	c, err := CalibrateHeuristic(z, nbb(t), 500, 3)
	if err != nil {
		t.Fatal(err)
	}
	if want := sf / (sa + sf); c.Alpha != want {
		t.Errorf("CalibrateHeuristic alpha %v, from HeuristicSample %v", c.Alpha, want)
	}
}

// BenchmarkDrawCache scores one LTS-sized decoder with the three SVD statistics, each on its
// own scorer ("unshared", as before DrawCache) or all on one cache ("shared"); every
// iteration starts with empty caches, so it times the Monte Carlo singular values.
func BenchmarkDrawCache(b *testing.B) {
	a := space.Arch{Layers: []space.Layer{
		{Hidden: 512, Op: space.OpCSA, Heads: 8, FF: []int{2048}},
		{Hidden: 512, Op: space.OpCSA, Heads: 8, FF: []int{1536}},
	}}
	for _, shared := range []bool{false, true} {
		b.Run(fmt.Sprintf("shared=%v", shared), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				var opts []Option
				if shared {
					opts = append(opts, WithDrawCache(&DrawCache{}))
				}
				for _, st := range allStats[1:] {
					z, err := NewZeroLM(Settings{Init: Normal, Stat: st, Mode: Expected, Alpha: 0.5}, opts...)
					if err != nil {
						b.Fatal(err)
					}
					z.Score(a)
				}
			}
		})
	}
}
