package latency

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	"github.com/zeronas/zeronas/space"
)

// perturb redraws b's parameters so that every bias, gain and weight matters: weights of
// standard deviation 1/sqrt(fan-in), biases and LayerNorm parameters far from 0 and 1.
func perturb(rng *rand.Rand, b block) {
	var lins []*linear
	var norms []*norm
	switch b := b.(type) {
	case *selfAttention:
		lins, norms = []*linear{&b.q, &b.k, &b.v, &b.o}, []*norm{&b.ln}
		if b.wma != nil {
			lins = append(lins, b.wma)
		}
	case *linearTransform:
		lins, norms = []*linear{&b.in, &b.o}, []*norm{&b.ln}
	case *dynConv:
		lins, norms = []*linear{&b.q, &b.kk, &b.v, &b.pw, &b.gen, &b.co, &b.o}, []*norm{&b.ln}
		fill(rng, b.dw.data, 0, 0.5)
	case *feedForward:
		for _, p := range b.pieces {
			lins = append(lins, &p.lin)
			if p.final {
				norms = append(norms, &p.ln)
			}
		}
	case *embedding:
		norms = []*norm{&b.ln}
		if b.proj != nil {
			lins = []*linear{&b.proj.lin}
		}
	case *projection:
		lins = []*linear{&b.lin}
	}
	for _, l := range lins {
		fill(rng, l.w.data, 0, 1/math.Sqrt(float64(l.in())))
		fill(rng, l.b, 0, 0.5)
	}
	for _, n := range norms {
		fill(rng, n.g, 1, 0.3)
		fill(rng, n.b, 0, 0.3)
	}
}

func fill(rng *rand.Rand, x []float32, mean, std float64) {
	for i := range x {
		x[i] = float32(mean + std*rng.NormFloat64())
	}
}

// closeTo fails unless got and want agree to tol relative to the largest |want|, at least 1.
func closeTo(t *testing.T, got mat, want dmat, tol float64) {
	t.Helper()
	if got.rows != len(want) || got.cols != len(want[0]) {
		t.Fatalf("shape %dx%d, want %dx%d", got.rows, got.cols, len(want), len(want[0]))
	}
	scale := 1.0
	for _, r := range want {
		for _, v := range r {
			scale = max(scale, math.Abs(v))
		}
	}
	for i := range want {
		for j, w := range want[i] {
			if g := float64(got.row(i)[j]); math.Abs(g-w) > tol*scale || math.IsNaN(g) {
				t.Fatalf("[%d][%d] = %g, want %g (tolerance %g x %g)", i, j, g, w, tol, scale)
			}
		}
	}
}

func randInput(rng *rand.Rand, rows, cols int) mat { return randMat(rng, rows, cols, 1) }

func TestLinearMatchesLoops(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for _, c := range []struct{ rows, in, out int }{{1, 1, 1}, {3, 5, 7}, {17, 64, 33}, {130, 70, 65}} {
		t.Run(fmt.Sprintf("%dx%dx%d", c.rows, c.in, c.out), func(t *testing.T) {
			l := newLinear(rng, c.in, c.out, true)
			fill(rng, l.w.data, 0, 1)
			fill(rng, l.b, 0, 1)
			// Read from and write to views inside wider matrices, as attention heads do.
			x := randInput(rng, c.rows, c.in+3).view(0, 2, c.rows, c.in)
			y := newMat(c.rows, c.out+4).view(0, 1, c.rows, c.out)
			l.apply(y, x)
			closeTo(t, y, naiveLinear(toD(x), l), 1e-5)
		})
	}
}

func TestTransformsMatchDefinitions(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	for _, c := range []struct{ seq, d int }{{1, 2}, {2, 2}, {5, 3}, {8, 4}, {7, 6}, {16, 32}, {12, 9}} {
		for _, dct := range []bool{false, true} {
			name := fmt.Sprintf("DFT/%dx%d", c.seq, c.d)
			var tr transform2D = newDFT2(c.seq, c.d)
			want := naiveDFT2
			if dct {
				name, tr, want = fmt.Sprintf("DCT/%dx%d", c.seq, c.d), newDCT2(c.seq, c.d), naiveDCT2
			}
			t.Run(name, func(t *testing.T) {
				x := randInput(rng, c.seq, c.d+2).view(0, 1, c.seq, c.d)
				y := newMat(c.seq, c.d+3).view(0, 2, c.seq, c.d)
				tr.apply(y, x)
				closeTo(t, y, want(toD(x)), 1e-5)
			})
		}
	}
}

func TestKernelsMatchDefinitions(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	x := randInput(rng, 9, 40)
	fill(rng, x.data[:40], 0, 6) // far tails of GELU and softmax
	cases := []struct {
		name  string
		apply func(m mat)
		want  func(d dmat) dmat
	}{
		{"gelu", gelu, naiveGELU},
		{"softmax", softmaxRows, func(d dmat) dmat {
			for i := range d {
				d[i] = naiveSoftmax(d[i])
			}
			return d
		}},
		{"layernorm", func(m mat) { addNorm(m, newMat(m.rows, m.cols), newNorm(m.cols)) },
			func(d dmat) dmat { return naiveAddNorm(d, zerosD(len(d), len(d[0])), newNorm(len(d[0]))) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := newMat(x.rows, x.cols)
			copy(m.data, x.data)
			c.apply(m)
			closeTo(t, m, c.want(toD(x)), 2e-6)
		})
	}
}

// TestBlocksMatchLoops compares every block with its reference on small inputs, batch 2.
func TestBlocksMatchLoops(t *testing.T) {
	sh := shape{batch: 2, seq: 11}
	layer := func(op, param string, h, n int, ff ...int) space.Layer {
		return space.Layer{Hidden: h, Op: op, Param: param, Heads: n, FF: ff}
	}
	cases := []struct {
		name string
		l    space.Layer
	}{
		{"SA-SDP", layer("SA", "SDP", 16, 2, 8)},
		{"SA-WMA", layer("SA", "WMA", 24, 4, 8)},
		{"LT-DFT", layer("LT", "DFT", 16, 2, 8)},
		{"LT-DCT", layer("LT", "DCT", 24, 4, 8)},
		{"DSC-5", layer("DSC", "5", 16, 2, 8)},
		{"DSC-9", layer("DSC", "9", 32, 4, 8)},
		{"DSC-13", layer("DSC", "13", 24, 8, 8)}, // kernel wider than the sequence
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rng := rand.New(rand.NewSource(4))
			if err := checkLayer(c.l); err != nil {
				t.Fatal(err)
			}
			b := newMixing(rng, sh, c.l)
			perturb(rng, b)
			x := randInput(rng, sh.rows(), c.l.Hidden)
			got := b.forward(x)
			var want dmat
			switch b := b.(type) {
			case *selfAttention:
				want = naiveSelfAttention(b, toD(x))
			case *linearTransform:
				want = naiveLinearTransform(b, toD(x), c.l.Param == "DCT")
			case *dynConv:
				want = naiveDynConv(b, toD(x))
			}
			closeTo(t, got, want, 5e-5)
		})
	}
	for _, ff := range [][]int{{8}, {12, 20, 6}} {
		t.Run(fmt.Sprintf("FFN%v", ff), func(t *testing.T) {
			rng := rand.New(rand.NewSource(5))
			f := newFeedForward(rng, sh, 16, ff)
			perturb(rng, f)
			x := randInput(rng, sh.rows(), 16)
			closeTo(t, f.forward(x), naiveFeedForward(f, toD(x)), 5e-5)
		})
	}
	for _, h := range []int{space.EmbedDim, 64} {
		t.Run(fmt.Sprintf("embedding/%d", h), func(t *testing.T) {
			rng := rand.New(rand.NewSource(6))
			e := newEmbedding(rng, sh, h)
			perturb(rng, e)
			closeTo(t, e.forward(mat{}), naiveEmbedding(e), 5e-5)
		})
	}
	t.Run("projection", func(t *testing.T) {
		rng := rand.New(rand.NewSource(7))
		p := newProjection(rng, sh, 16, 24)
		perturb(rng, p)
		x := randInput(rng, sh.rows(), 16)
		closeTo(t, p.forward(x), naiveLinear(toD(x), p.lin), 1e-5)
	})
}

func TestCheckLayer(t *testing.T) {
	ok := space.Layer{Hidden: 16, Op: "SA", Param: "SDP", Heads: 2, FF: []int{8}}
	mod := func(f func(l *space.Layer)) space.Layer {
		l := ok
		f(&l)
		return l
	}
	cases := []struct {
		name string
		l    space.Layer
		ok   bool
	}{
		{"ok", ok, true},
		{"hidden", mod(func(l *space.Layer) { l.Hidden = 0 }), false},
		{"heads", mod(func(l *space.Layer) { l.Heads = 3 }), false},
		{"ff empty", mod(func(l *space.Layer) { l.FF = nil }), false},
		{"ff width", mod(func(l *space.Layer) { l.FF = []int{0} }), false},
		{"op", mod(func(l *space.Layer) { l.Op = "XX" }), false},
		{"SA param", mod(func(l *space.Layer) { l.Param = "DFT" }), false},
		{"LT param", mod(func(l *space.Layer) { l.Op = "LT" }), false},
		{"DSC kernel", mod(func(l *space.Layer) { l.Op = "DSC"; l.Param = "x" }), false},
		{"DSC odd heads", mod(func(l *space.Layer) { l.Op, l.Param, l.Hidden, l.Heads = "DSC", "5", 24, 3 }), false},
	}
	for _, c := range cases {
		if err := checkLayer(c.l); (err == nil) != c.ok {
			t.Errorf("%s: checkLayer(%+v) = %v", c.name, c.l, err)
		}
	}
}

func TestErf32(t *testing.T) {
	for x := -6.0; x <= 6; x += 1.0 / 64 {
		if got, want := float64(erf32(float32(x))), math.Erf(x); math.Abs(got-want) > 1e-6 {
			t.Fatalf("erf32(%g) = %g, want %g", x, got, want)
		}
	}
}
