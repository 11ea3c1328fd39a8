package main

import (
	"context"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/zeronas/zeronas/proxy"
	"github.com/zeronas/zeronas/space"
)

const (
	bertFile = "../data/nas-bench-bert/nas-bench-bert-dev.json"
	ltsFile  = "../data/lts/gpt2-lm1b-dev.jsonl"
)

var (
	benchOnce sync.Once
	benches   []*bench
	benchErr  error
)

// testBenches loads both spaces once, without the Monte Carlo SVD statistics (6a and 6b
// are then skipped; 6c runs the same fitting code).
func testBenches(t *testing.T) []*bench {
	t.Helper()
	benchOnce.Do(func() {
		for _, s := range [][3]string{{"NAS-Bench-BERT", "nas-bench-bert", bertFile}, {"LTS GPT-2", "gpt2", ltsFile}} {
			b, err := loadBench(s[0], s[1], s[2])
			if err != nil {
				benchErr = err
				return
			}
			benches = append(benches, b)
		}
	})
	if benchErr != nil {
		t.Fatal(benchErr)
	}
	return benches
}

func allCandidates(t *testing.T, b *bench) []candidate {
	t.Helper()
	bs, err := baselines(b)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := candidates(b)
	if err != nil {
		t.Fatal(err)
	}
	return append(bs, cs...)
}

// TestFitNeverSeesHeldOut: every fitted candidate scores every record the same whether the
// labels outside its calibration records are hidden (NaN) or adversarial (negated): the fit
// reads the 50 calibration labels and nothing else.
func TestFitNeverSeesHeldOut(t *testing.T) {
	for _, b := range testBenches(t) {
		for _, c := range allCandidates(t, b) {
			if c.k == 0 || c.skip != "" {
				continue
			}
			for seed := uint64(1); seed <= 2; seed++ {
				train := proxy.CalibrationSample(len(b.recs), c.k, seed)
				poison := make([]float64, len(b.labels))
				for i, v := range b.labels {
					poison[i] = -v
				}
				for _, i := range train {
					poison[i] = b.labels[i]
				}
				x1, p1, err := c.fit(train, masked(b.labels, train))
				if err != nil {
					t.Fatal(err)
				}
				x2, p2, err := c.fit(train, poison)
				if err != nil {
					t.Fatal(err)
				}
				for i := range x1 {
					if x1[i] != x2[i] || math.IsNaN(x1[i]) {
						t.Fatalf("%s candidate %s seed %d: record %d scores %v with held-out labels hidden, %v with them negated", b.name, c.id, seed, i, x1[i], x2[i])
					}
				}
				for i := range p1 {
					if p1[i] != p2[i] {
						t.Fatalf("%s candidate %s: fitted %v against %v", b.name, c.id, p1, p2)
					}
				}
			}
		}
	}
}

// TestHarnessSplit: evaluate hands a fit exactly the calibration records of each seed, with
// every other label NaN, and scores it on the rest.
func TestHarnessSplit(t *testing.T) {
	b := testBenches(t)[1]
	n := len(b.recs)
	seed := 0
	spy := candidate{id: "spy", k: 50, fit: func(train []int, y []float64) ([]float64, []float64, error) {
		if len(train) == n {
			return b.labels, nil, nil // the in-sample fit
		}
		seed++
		want := proxy.CalibrationSample(n, 50, uint64(seed))
		in := map[int]bool{}
		for j, i := range train {
			if i != want[j] {
				t.Fatalf("seed %d: train %v, want %v", seed, train, want)
			}
			in[i] = true
		}
		for i, v := range y {
			if in[i] != !math.IsNaN(v) || (in[i] && v != b.labels[i]) {
				t.Fatalf("seed %d: record %d label %v (calibration record: %v)", seed, i, v, in[i])
			}
		}
		return b.labels, []float64{float64(seed)}, nil
	}}
	r, err := evaluate(b, spy, 5)
	if err != nil {
		t.Fatal(err)
	}
	if seed != 5 || r.outRho != 1 || r.outRhoSD != 0 || r.params[0] != 3 {
		t.Errorf("seeds %d, held-out rho %v ± %v, mean param %v", seed, r.outRho, r.outRhoSD, r.params)
	}
}

// TestZeroLMRowIsTheLibrarys: B0's held-out figures are proxy.CalibrateSampling and
// proxy.ScoreHeldOut's, seed by seed, on the full records.
func TestZeroLMRowIsTheLibrarys(t *testing.T) {
	for _, b := range testBenches(t) {
		r, err := evaluate(b, allCandidates(t, b)[0], 4)
		if err != nil {
			t.Fatal(err)
		}
		var rhos, taus []float64
		for seed := uint64(1); seed <= 4; seed++ {
			c, err := proxy.CalibrateSampling(b.parts, b.labels, 50, seed, proxy.DefaultGrid())
			if err != nil {
				t.Fatal(err)
			}
			h := proxy.ScoreHeldOut(b.parts, b.labels, c)
			rhos, taus = append(rhos, h.Spearman), append(taus, h.Kendall)
		}
		rho, _ := meanSD(rhos)
		tau, _ := meanSD(taus)
		if math.Abs(rho-r.outRho) > 1e-12 || math.Abs(tau-r.outTau) > 1e-12 {
			t.Errorf("%s: B0 rho %v tau %v, library %v %v", b.name, r.outRho, r.outTau, rho, tau)
		}
	}
}

// TestFeaturesAddUp: the per-layer and per-operation sums add up to proxy.ScoreAll's, and the
// third sum is the embedding sub-module ZeroLM scores with Embed set, plus the projections.
func TestFeaturesAddUp(t *testing.T) {
	for _, b := range testBenches(t) {
		set := faithful
		set.Embed = 1
		z, err := proxy.NewZeroLM(set)
		if err != nil {
			t.Fatal(err)
		}
		scores, err := proxy.ScoreAll(context.Background(), z, b.archs(), runtime.GOMAXPROCS(0))
		if err != nil {
			t.Fatal(err)
		}
		near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }
		for i, r := range b.recs {
			var la, lf, op, proj float64
			for l := range b.layerA[i] {
				la, lf = la+b.layerA[i][l], lf+b.layerF[i][l]
			}
			for _, o := range b.ops {
				op += o[i]
			}
			for _, t := range space.Tensors(r.Arch, faithful.Build) {
				if t.Role == space.Other && t.Kind == space.Matrix {
					proj += b.z.Expected(t.In, t.Out)
				}
			}
			if !near(la, b.parts.Attn[i]) || !near(op, b.parts.Attn[i]) || !near(lf, b.parts.FFN[i]) || !near(b.third[i], scores[i].Emb+proj) {
				t.Fatalf("%s record %d: layers %v/%v, ops %v, want %v/%v; third %v, want %v", b.name, i, la, lf, op, b.parts.Attn[i], b.parts.FFN[i], b.third[i], scores[i].Emb+proj)
			}
			if b.depth[i] != float64(r.Arch.Depth()) || b.third[i] <= 0 {
				t.Fatalf("%s record %d: depth %v, third %v", b.name, i, b.depth[i], b.third[i])
			}
		}
	}
	if got := testBenches(t)[0].opNames; strings.Join(got, " ") != "SDP WMA DFT DCT DSC" {
		t.Errorf("FlexiBERT operation groups %v", got)
	}
}

// slowRanks ranks x from 1 by counting, ties averaged.
func slowRanks(x []float64) []float64 {
	r := make([]float64, len(x))
	for i := range x {
		var less, eq float64
		for j := range x {
			if x[j] < x[i] {
				less++
			} else if x[j] == x[i] {
				eq++
			}
		}
		r[i] = less + (eq+1)/2
	}
	return r
}

// slowTauB is Kendall's tau-b by counting pairs.
func slowTauB(x, y []float64) float64 {
	var c, d, tx, ty float64
	for i := range x {
		for j := i + 1; j < len(x); j++ {
			dx, dy := x[i]-x[j], y[i]-y[j]
			switch {
			case dx == 0 && dy == 0:
			case dx == 0:
				tx++
			case dy == 0:
				ty++
			case dx*dy > 0:
				c++
			default:
				d++
			}
		}
	}
	return (c - d) / math.Sqrt((c+d+tx)*(c+d+ty))
}

func slowPearson(x, y []float64) float64 {
	var mx, my float64
	for i := range x {
		mx, my = mx+x[i]/float64(len(x)), my+y[i]/float64(len(x))
	}
	var sxy, sxx, syy float64
	for i := range x {
		sxy += (x[i] - mx) * (y[i] - my)
		sxx += (x[i] - mx) * (x[i] - mx)
		syy += (y[i] - my) * (y[i] - my)
	}
	return sxy / math.Sqrt(sxx*syy)
}

// TestRankHelpersAgainstSlow checks corr, tau and meanRank on index subsets, with ties,
// against counting references.
func TestRankHelpersAgainstSlow(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, tc := range []struct{ n, levels int }{{5, 2}, {30, 4}, {120, 1000}, {300, 7}} {
		x, y, z := make([]float64, tc.n), make([]float64, tc.n), make([]float64, tc.n)
		for i := range x {
			x[i], y[i], z[i] = float64(rng.IntN(tc.levels)), float64(rng.IntN(tc.levels))+0.3*x[i], float64(rng.IntN(tc.levels))
		}
		idx := proxy.CalibrationSample(tc.n, tc.n/2+1, uint64(tc.n))
		rho, tb := corr(x, y, idx)
		xs, ys := at(x, idx), at(y, idx)
		if w := slowPearson(slowRanks(xs), slowRanks(ys)); math.Abs(rho-w) > 1e-12 {
			t.Errorf("n %d: spearman %v, slow %v", tc.n, rho, w)
		}
		if w := slowTauB(xs, ys); math.Abs(tb-w) > 1e-12 || math.Abs(tau(x, y, idx)-w) > 1e-12 {
			t.Errorf("n %d: tau-b %v, slow %v", tc.n, tb, w)
		}
		m := meanRank(x, y, z)
		rx, ry, rz := slowRanks(x), slowRanks(y), slowRanks(z)
		for i := range m {
			if w := (rx[i] + ry[i] + rz[i]) / 3; math.Abs(m[i]-w) > 1e-12 {
				t.Fatalf("n %d: mean rank %v, slow %v", tc.n, m[i], w)
			}
		}
	}
	if tau([]float64{1, 1, 1}, []float64{1, 2, 3}, []int{0, 1, 2}) != 0 {
		t.Error("tau of a constant score is not 0")
	}
}

// TestRidgeStationary: ridge's weights zero the gradient of its objective, recomputed here.
func TestRidgeStationary(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	n := 80
	f := [][]float64{make([]float64, n), make([]float64, n), make([]float64, n)}
	y := make([]float64, n)
	for i := range y {
		for j := range f {
			f[j][i] = rng.NormFloat64() * float64(j+1)
		}
		y[i] = f[0][i] - 0.5*f[1][i] + rng.NormFloat64()
	}
	train := proxy.CalibrationSample(n, 50, 1)
	const lambda = 5
	x, w := ridge(f, masked(y, train), train, lambda)
	r := slowRanks(at(y, train))
	mr, sr := meanSD(r)
	z := make([][]float64, len(f))
	for j := range f {
		z[j] = at(standardize(f[j], train), train)
	}
	for j := range w {
		g := lambda * w[j]
		for i := range train {
			var pred float64
			for k := range w {
				pred += w[k] * z[k][i]
			}
			g += z[j][i] * (pred - (r[i]-mr)/sr)
		}
		if math.Abs(g) > 1e-9 {
			t.Errorf("gradient %d: %v", j, g)
		}
	}
	if w[0] <= 0 || w[1] >= 0 || math.IsNaN(x[0]) {
		t.Errorf("weights %v do not follow the labels' signs", w)
	}
}

func TestGridHelpers(t *testing.T) {
	if got := steps(-0.2, 0.2, 0.1); len(got) != 5 || got[0] != -0.2 || got[2] != 0 || got[4] != 0.2 {
		t.Errorf("steps %v", got)
	}
	if got := product([]float64{1, 2}, []float64{3, 4, 5}); len(got) != 6 || got[5][0] != 2 || got[5][1] != 5 {
		t.Errorf("product %v", got)
	}
	// Labels follow x - 2 w: the grid must find beta = -2.
	x, w, y := []float64{1, 5, 2, 8, 3}, []float64{4, 1, 0, 2, 9}, make([]float64, 5)
	for i := range y {
		y[i] = x[i] - 2*w[i]
	}
	score := func(p []float64) []float64 {
		s := make([]float64, len(x))
		for i := range s {
			s[i] = x[i] + p[0]*w[i]
		}
		return s
	}
	if p := gridFit(product(steps(-3, 3, 0.5)), score, y, []int{0, 1, 2, 3, 4}); tau(score(p), y, []int{0, 1, 2, 3, 4}) != 1 {
		t.Errorf("grid fit %v does not order the labels", p)
	}
	// A lone spike loses to a broad plateau under smoothing.
	if a := smoothArgmax([]float64{0, 1, 2, 3, 4, 5, 6}, []float64{0.1, 0.9, 0.1, 0.7, 0.8, 0.7, 0.2}); a != 4 {
		t.Errorf("smoothed argmax %v, want 4", a)
	}
}

// TestAscentFit: labels follow f0 - 0.7 f1 + 0.2 f2; ascent from (1, 0, 0), on a grid of
// step 0.1 and one weight at a time, must come close to ordering them and beat its start.
func TestAscentFit(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	n := 60
	f := [][]float64{make([]float64, n), make([]float64, n), make([]float64, n)}
	y := make([]float64, n)
	for i := range y {
		for j := range f {
			f[j][i] = rng.Float64()
		}
		y[i] = f[0][i] - 0.7*f[1][i] + 0.2*f[2][i]
	}
	train := proxy.CalibrationSample(n, 40, 1)
	x, w := ascentFit(f, []float64{1, 0, 0}, masked(y, train), train, 3)
	start := tau(f[0], y, train)
	if got := tau(x, y, train); got < 0.9 || got <= start {
		t.Errorf("ascent reached tau %v (start %v) with weights %v", got, start, w)
	}
}

func TestDecide(t *testing.T) {
	rs := []result{
		{outRho: 0.80, outRhoSD: 0.01, outTau: 0.60, outTauSD: 0.01},
		{outRho: 0.82, outRhoSD: 0.01, outTau: 0.62, outTauSD: 0.005}, // beats both
		{outRho: 0.82, outRhoSD: 0.03, outTau: 0.62, outTauSD: 0.01},  // rho within its own sd
		{outRho: 0.82, outRhoSD: 0.01, outTau: 0.605, outTauSD: 0.01}, // tau within the sd
		{outRho: math.NaN()},
	}
	decide(rs)
	for i, want := range []bool{false, true, false, false, false} {
		if rs[i].beats != want {
			t.Errorf("result %d: beats %v, want %v", i, rs[i].beats, want)
		}
	}
}

// TestMarchenkoPastur: the law's moments, and the approximation against the proxy's Monte
// Carlo expectation of the statistics (three SVDs) for shapes cheap enough to test.
func TestMarchenkoPastur(t *testing.T) {
	for _, c := range []float64{0.1, 0.5, 1} {
		for _, m := range []struct {
			g    func(float64) float64
			want float64
		}{{func(float64) float64 { return 1 }, 1}, {func(x float64) float64 { return x }, 1}, {func(x float64) float64 { return x * x }, 1 + c}} {
			if got := mpMean(c, m.g); math.Abs(got-m.want) > 1e-4 {
				t.Errorf("ratio %v: moment %v, want %v", c, got, m.want)
			}
		}
	}
	for _, st := range []proxy.Stat{proxy.StableRank, proxy.Entropy} {
		set := faithful
		set.Stat = st
		z, err := proxy.NewZeroLM(set)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range [][2]int{{64, 64}, {64, 256}, {256, 96}, {128, 512}} {
			mc, mp := z.Expected(s[0], s[1]), mpCapacity(st, s[0], s[1])
			if math.Abs(mp-mc) > 0.06*mc {
				t.Errorf("%s %v: Marchenko-Pastur %v, Monte Carlo %v", st, s, mp, mc)
			}
		}
	}
}

// TestRunWritesTables runs the whole program with two seeds, no SVD statistics and no
// measurement of their cost (svdCost is timed by hand: it decomposes the largest shape).
func TestRunWritesTables(t *testing.T) {
	dir := t.TempDir()
	if err := run(options{bert: bertFile, lts: ltsFile, out: dir, seeds: 2}); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(dir, "results.md"))
	if err != nil {
		t.Fatal(err)
	}
	csv, err := os.ReadFile(filepath.Join(dir, "results.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"## NAS-Bench-BERT", "## LTS GPT-2", "| B0 |", "| 9 |", "not run", "## Decision"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("results.md has no %q", want)
		}
	}
	// Header, 8 and 9 baselines, and 12 candidates per space.
	if lines := strings.Count(string(csv), "\n"); lines != 1+8+9+2*12 {
		t.Errorf("results.csv has %d lines", lines)
	}
}

// TestSVDCost counts the distinct scored shapes of the LTS records of width 128 and times
// the largest (small enough to be quick).
func TestSVDCost(t *testing.T) {
	lts := testBenches(t)[1]
	b := &bench{name: "small"}
	want := map[[2]int]bool{}
	for _, r := range lts.recs {
		if r.Arch.Layers[0].Hidden != 128 {
			continue
		}
		b.recs = append(b.recs, r)
		for _, l := range r.Arch.Layers {
			for _, s := range [][2]int{{128, 384}, {128, 128}, {128, l.FF[0]}, {l.FF[0], 128}} {
				want[s] = true
			}
		}
	}
	n, est, err := svdCost(b)
	if err != nil {
		t.Fatal(err)
	}
	if n != len(want) || est <= 0 {
		t.Errorf("%d shapes (want %d), estimate %v", n, len(want), est)
	}
	note, err := costNote(b)
	if err != nil || !strings.Contains(note, "Not run on small") {
		t.Errorf("note %q, %v", note, err)
	}
}

// A run without calibration seeds is a clear error, not a panic.
func TestRunRefusesNoSeeds(t *testing.T) {
	for _, seeds := range []int{0, -1} {
		if err := run(options{seeds: seeds, out: t.TempDir()}); err == nil || !strings.Contains(err.Error(), "-seeds") {
			t.Errorf("seeds %d: err %v, want one naming -seeds", seeds, err)
		}
	}
}
