package latency

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	"github.com/zeronas/zeronas/space"
)

// perturbLinears gives linears and norms random weights of unit scale, so that a wrong
// index or a missing term shows.
func perturbLinears(rng *rand.Rand, lins []*linear, norms []*norm) {
	for _, l := range lins {
		fill(rng, l.w.data, 0, 1/math.Sqrt(float64(l.in())))
		if l.b != nil {
			fill(rng, l.b, 0, 0.5)
		}
	}
	for _, n := range norms {
		fill(rng, n.g, 1, 0.3)
		fill(rng, n.b, 0, 0.3)
	}
}

func naiveNorm(x dmat, ln norm) dmat { return naiveAddNorm(x, zerosD(len(x), len(x[0])), ln) }

func naiveAdd(x, y dmat) dmat {
	out := zerosD(len(x), len(x[0]))
	for i := range x {
		for j := range x[i] {
			out[i][j] = x[i][j] + y[i][j]
		}
	}
	return out
}

// naiveCausalAttention is softmax over s <= t of q_t k_s / sqrt(d), times v, by loops.
func naiveCausalAttention(sh shape, heads, d int, q, k, v dmat) dmat {
	out := zerosD(len(q), heads*d)
	for b := 0; b < sh.batch; b++ {
		for h := 0; h < heads; h++ {
			for t := 0; t < sh.seq; t++ {
				sc := make([]float64, t+1)
				for s := 0; s <= t; s++ {
					for j := 0; j < d; j++ {
						sc[s] += q[b*sh.seq+t][h*d+j] * k[b*sh.seq+s][h*d+j]
					}
					sc[s] /= math.Sqrt(float64(d))
				}
				p := naiveSoftmax(sc)
				for s := 0; s <= t; s++ {
					for j := 0; j < d; j++ {
						out[b*sh.seq+t][h*d+j] += p[s] * v[b*sh.seq+s][h*d+j]
					}
				}
			}
		}
	}
	return out
}

func cols(x dmat, from, n int) dmat {
	out := zerosD(len(x), n)
	for i := range x {
		copy(out[i], x[i][from:from+n])
	}
	return out
}

func TestGPT2BlocksMatchLoops(t *testing.T) {
	sh := shape{batch: 2, seq: 5}
	const H = 12
	for _, heads := range []int{1, 3} {
		t.Run(fmt.Sprintf("attention/%d", heads), func(t *testing.T) {
			rng := rand.New(rand.NewSource(11))
			a := newGPT2Attention(rng, sh, H, heads)
			perturbLinears(rng, []*linear{&a.cAttn, &a.cProj}, []*norm{&a.ln})
			x := randInput(rng, sh.rows(), H)
			xd := toD(x)
			qkv := naiveLinear(naiveNorm(xd, a.ln), a.cAttn)
			ctx := naiveCausalAttention(sh, heads, H/heads, cols(qkv, 0, H), cols(qkv, H, H), cols(qkv, 2*H, H))
			closeTo(t, a.forward(x), naiveAdd(naiveLinear(ctx, a.cProj), xd), 5e-5)
		})
	}
	t.Run("mlp", func(t *testing.T) {
		rng := rand.New(rand.NewSource(12))
		m := newGPT2MLP(rng, sh, H, 20)
		perturbLinears(rng, []*linear{&m.fc, &m.proj}, []*norm{&m.ln})
		x := randInput(rng, sh.rows(), H)
		xd := toD(x)
		want := naiveAdd(naiveLinear(naiveGELU(naiveLinear(naiveNorm(xd, m.ln), m.fc)), m.proj), xd)
		closeTo(t, m.forward(x), want, 5e-5)
	})
	for _, e := range []*space.AdaptiveEmbedding{
		{Vocab: 30, DivVal: 1},
		{Vocab: 30, DivVal: 2, Cutoffs: []int{10, 20}},
		{Vocab: 30, DEmbed: 8, DivVal: 1, Cutoffs: []int{12}},
	} {
		t.Run(fmt.Sprintf("embedding and softmax %+v", *e), func(t *testing.T) {
			rng := rand.New(rand.NewSource(13))
			g := newGPT2Embedding(rng, sh, H, e)
			var lins []*linear
			for i := range g.clusters {
				fill(rng, g.clusters[i].table.data, 0, 1)
				if g.clusters[i].proj != nil {
					lins = append(lins, g.clusters[i].proj, g.clusters[i].outProj)
				}
			}
			fill(rng, g.pos.data, 0, 1)
			s := newGPT2Softmax(rng, sh, H, e, g.clusters)
			fill(rng, s.bias, 0, 1)
			perturbLinears(rng, lins, []*norm{&s.ln})
			// Embedding: the token's row, projected, plus its position.
			want := zerosD(sh.rows(), H)
			for i, id := range g.ids {
				for _, c := range g.clusters {
					if int(id) < c.from || int(id) >= c.to {
						continue
					}
					row := toD(c.table)[int(id)-c.from]
					v := dmat{row}
					if c.proj != nil {
						v = naiveLinear(v, *c.proj)
					}
					for j := 0; j < H; j++ {
						want[i][j] = v[0][j] + float64(g.pos.row(i % sh.seq)[j])
					}
				}
			}
			x := g.forward(mat{})
			closeTo(t, x, want, 5e-5)
			// Softmax: LayerNorm, then per cluster its projection and its tied table, and the
			// cluster head on the first cluster's input.
			if s.head != nil {
				perturbLinears(rng, []*linear{s.head}, nil)
			}
			first := s.forward(x)
			hn := naiveNorm(want, s.ln)
			for k, c := range g.clusters {
				h := hn
				if c.outProj != nil {
					h = naiveLinear(h, *c.outProj)
				}
				tab := toD(c.table)
				logits := zerosD(sh.rows(), c.to-c.from)
				for i := range logits {
					for tok := range logits[i] {
						v := float64(s.bias[c.from+tok])
						for j := range h[i] {
							v += h[i][j] * tab[tok][j]
						}
						logits[i][tok] = v
					}
				}
				closeTo(t, s.logits[k], logits, 5e-5)
				if k == 0 {
					closeTo(t, first, logits, 5e-5)
					if s.head != nil {
						closeTo(t, s.headOut, naiveLinear(h, *s.head), 5e-5)
					}
				}
			}
		})
	}
}

// TestGPT2Network: a GPT-2 network builds and runs, and measuring it works.
func TestGPT2Network(t *testing.T) {
	a := space.Arch{Embed: &space.AdaptiveEmbedding{Vocab: 500, DivVal: 2, Cutoffs: []int{200}},
		Layers: []space.Layer{{Hidden: 32, Op: space.OpCSA, Heads: 2, FF: []int{64}}, {Hidden: 32, Op: space.OpCSA, Heads: 4, FF: []int{48}}}}
	n, err := NewNetwork(a, Options{SeqLen: 8})
	if err != nil {
		t.Fatal(err)
	}
	n.Forward()
	out := n.Output()
	if len(out) != 8*200 {
		t.Fatalf("output of %d values, want the 8 x 200 logits of the first cluster", len(out))
	}
	for _, v := range out {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			t.Fatal("non-finite logits")
		}
	}
	bad := a.Clone()
	bad.Layers[1].Heads = 3
	if _, err := NewNetwork(bad, Options{SeqLen: 8}); err == nil {
		t.Error("heads that do not divide d_model accepted")
	}
}
