package space

import (
	"context"
	"math"
	"math/big"
	"math/rand"
)

// Sample returns an architecture drawn uniformly from every architecture of s.
func (s *Space) Sample(rng *rand.Rand) Arch {
	// Depth and (for a shared hidden size) the hidden size are drawn with weights equal to
	// the number of architectures they lead to; the layers are then uniform.
	type branch struct {
		depth, hidden int
		count         *big.Int
		weight        float64
	}
	var bs []branch
	largest := new(big.Int)
	for _, d := range s.Depths {
		if s.SharedHidden {
			for _, h := range s.Hidden {
				n := new(big.Int).Exp(big.NewInt(s.layerCount(h)), big.NewInt(int64(d)), nil)
				bs = append(bs, branch{depth: d, hidden: h, count: n})
			}
			continue
		}
		bs = append(bs, branch{depth: d, count: s.countDepth(d)})
	}
	for _, b := range bs {
		if b.count.Cmp(largest) > 0 {
			largest = b.count
		}
	}
	total := 0.0
	for i := range bs {
		bs[i].weight, _ = new(big.Float).SetInt(bs[i].count).Float64()
		total += bs[i].weight
	}
	if math.IsInf(total, 0) {
		// Counts beyond float64 (deep spaces): weigh relative to the largest instead.
		// Spaces within range keep the plain counts, so their draws stay as they were.
		total = 0
		for i := range bs {
			bs[i].weight, _ = new(big.Float).Quo(new(big.Float).SetInt(bs[i].count), new(big.Float).SetInt(largest)).Float64()
			total += bs[i].weight
		}
	}
	u := rng.Float64() * total
	b := bs[len(bs)-1]
	for _, c := range bs {
		if u < c.weight {
			b = c
			break
		}
		u -= c.weight
	}
	return s.sampleLayers(rng, b.depth, b.hidden)
}

// SampleByDepth returns an architecture whose depth is uniform over the depth choices (and,
// for a shared hidden size, whose hidden size is uniform too), with uniform layers. Searches
// start from it so that shallow architectures, a vanishing share of the space, are seen.
func (s *Space) SampleByDepth(rng *rand.Rand) Arch {
	d := s.Depths[rng.Intn(len(s.Depths))]
	h := 0
	if s.SharedHidden {
		h = s.Hidden[rng.Intn(len(s.Hidden))]
	}
	return s.sampleLayers(rng, d, h)
}

// sampleLayers draws depth uniform layers; all of hidden size h when h > 0.
func (s *Space) sampleLayers(rng *rand.Rand, depth, h int) Arch {
	a := Arch{Layers: make([]Layer, depth)}
	for i := range a.Layers {
		a.Layers[i] = s.sampleLayer(rng, h)
	}
	return a
}

// sampleLayer draws a layer uniformly from the layer choices; of hidden size h when h > 0,
// otherwise from all hidden sizes. The choices are a product of independent genes, so each
// is drawn with the weight of the choices it leads to.
func (s *Space) sampleLayer(rng *rand.Rand, h int) Layer {
	if h <= 0 {
		ws := make([]float64, len(s.Hidden))
		for i, hh := range s.Hidden {
			ws[i] = float64(len(s.headsFor(hh)))
		}
		h = s.Hidden[pick(rng, ws)]
	}
	op := s.Ops[rng.Intn(len(s.Ops))]
	heads := s.headsFor(h)
	ws := make([]float64, len(s.FFCounts))
	for i, c := range s.FFCounts {
		ws[i] = float64(s.stacksOf(c))
	}
	ff := make([]int, s.FFCounts[pick(rng, ws)])
	for j := range ff {
		if s.UniformFF && j > 0 {
			ff[j] = ff[0]
		} else {
			ff[j] = s.FFWidths[rng.Intn(len(s.FFWidths))]
		}
	}
	return Layer{Hidden: h, Op: op.Op, Param: op.Param, Heads: heads[rng.Intn(len(heads))], FF: ff}
}

// pick returns an index drawn with probability proportional to its weight.
func pick(rng *rand.Rand, weights []float64) int {
	var total float64
	for _, w := range weights {
		total += w
	}
	u := rng.Float64() * total
	for i, w := range weights {
		if u < w {
			return i
		}
		u -= w
	}
	return len(weights) - 1
}

// Enumerate calls yield with every architecture of s in a fixed order until yield returns
// false or ctx is done. The architecture passed to yield is reused: clone it to keep it.
func (s *Space) Enumerate(ctx context.Context, yield func(Arch) bool) error {
	var hiddens [][]int // groups of hidden sizes enumerated together
	if s.SharedHidden {
		for _, h := range s.Hidden {
			hiddens = append(hiddens, []int{h})
		}
	} else {
		hiddens = [][]int{s.Hidden}
	}
	for _, d := range s.Depths {
		for _, group := range hiddens {
			var choices []Layer
			for _, h := range group {
				choices = append(choices, s.LayerChoices(h)...)
			}
			idx := make([]int, d)
			a := Arch{Layers: make([]Layer, d)}
			for n := 0; ; n++ {
				if n&0xffff == 0 && ctx.Err() != nil {
					return ctx.Err()
				}
				for i, j := range idx {
					a.Layers[i] = choices[j]
				}
				if !yield(a) {
					return nil
				}
				i := d - 1
				for ; i >= 0; i-- {
					idx[i]++
					if idx[i] < len(choices) {
						break
					}
					idx[i] = 0
				}
				if i < 0 {
					break
				}
			}
		}
	}
	return nil
}
