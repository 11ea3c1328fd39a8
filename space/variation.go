package space

import (
	"math/rand"
	"slices"
	"sort"
)

// Mutate returns a copy of a with random changes that keep it in s. Each change is one of:
// a per-layer gene (operation, heads, feed-forward count or a width, hidden size), a copy of
// one layer over another, one hidden size for a run of layers (so that a heterogeneous
// architecture can lose its projections in one step), or a change of depth to a
// neighbouring depth choice by inserting or deleting layers at random positions. One change
// is always made; each further one with probability 1/3.
func (s *Space) Mutate(a Arch, rng *rand.Rand) Arch {
	c := a.Clone()
	for {
		c = s.mutateOnce(c, rng)
		if rng.Intn(3) != 0 {
			return s.Repair(c, rng)
		}
	}
}

func (s *Space) mutateOnce(c Arch, rng *rand.Rand) Arch {
	if len(s.Depths) > 1 && rng.Intn(5) == 0 {
		return s.changeDepth(c, rng)
	}
	i := rng.Intn(len(c.Layers))
	l := &c.Layers[i]
	switch rng.Intn(7) {
	case 0:
		op := s.Ops[rng.Intn(len(s.Ops))]
		l.Op, l.Param = op.Op, op.Param
	case 1:
		hs := s.headsFor(l.Hidden)
		l.Heads = hs[rng.Intn(len(hs))]
	case 2:
		n := s.FFCounts[rng.Intn(len(s.FFCounts))]
		l.FF = resizeFF(l.FF, n, s.FFWidths, s.UniformFF, rng)
	case 3:
		w := s.FFWidths[rng.Intn(len(s.FFWidths))]
		if s.UniformFF {
			for j := range l.FF {
				l.FF[j] = w
			}
		} else {
			l.FF[rng.Intn(len(l.FF))] = w
		}
	case 4:
		h := s.Hidden[rng.Intn(len(s.Hidden))]
		if s.SharedHidden {
			setHidden(c, h)
		} else {
			l.Hidden = h
		}
	case 5:
		j := rng.Intn(len(c.Layers))
		h := l.Hidden
		*l = c.Layers[j]
		l.FF = append([]int(nil), l.FF...)
		if s.SharedHidden {
			l.Hidden = h
		}
	case 6:
		h := s.Hidden[rng.Intn(len(s.Hidden))]
		from, to := 0, len(c.Layers)
		if rng.Intn(2) == 0 {
			from = rng.Intn(len(c.Layers))
			to = from + 1 + rng.Intn(len(c.Layers)-from)
		}
		for j := from; j < to; j++ {
			c.Layers[j].Hidden = h
		}
		if s.SharedHidden {
			setHidden(c, h)
		}
	}
	return s.Repair(c, rng)
}

// resizeFF returns a stack of n widths that keeps the first widths of ff.
func resizeFF(ff []int, n int, widths []int, uniform bool, rng *rand.Rand) []int {
	out := make([]int, n)
	for j := range out {
		switch {
		case j < len(ff):
			out[j] = ff[j]
		case uniform:
			out[j] = ff[0]
		default:
			out[j] = widths[rng.Intn(len(widths))]
		}
	}
	return out
}

// changeDepth moves a to a neighbouring depth choice by inserting random layers or deleting
// layers at random positions.
func (s *Space) changeDepth(a Arch, rng *rand.Rand) Arch {
	k := sort.SearchInts(s.Depths, len(a.Layers))
	var target int
	switch {
	case k >= len(s.Depths) || s.Depths[k] != len(a.Layers):
		target = s.Depths[rng.Intn(len(s.Depths))]
	case k == 0:
		target = s.Depths[1]
	case k == len(s.Depths)-1:
		target = s.Depths[k-1]
	case rng.Intn(2) == 0:
		target = s.Depths[k-1]
	default:
		target = s.Depths[k+1]
	}
	return s.Repair(s.setDepth(a, target, rng), rng)
}

// Crossover returns two children of a and b. Parents of equal depth swap layers uniformly,
// except that where hidden sizes vary a swap takes the whole run of layers of one hidden
// size, so that no child gains a projection its parents did not have. Parents of different
// depths give each child a prefix of one and a suffix of the other, cut at the same relative
// position, repaired to a depth of the space. Children share the hidden size of one parent
// when the space shares it.
func (s *Space) Crossover(a, b Arch, rng *rand.Rand) (Arch, Arch) {
	c1, c2 := a.Clone(), b.Clone()
	if len(a.Layers) == len(b.Layers) {
		swap := rng.Intn(2) == 0
		for i := range c1.Layers {
			// A new decision only where both parents start a new run of hidden size.
			if i == 0 || a.Layers[i].Hidden != a.Layers[i-1].Hidden || b.Layers[i].Hidden != b.Layers[i-1].Hidden || sameHidden(a, b) {
				swap = rng.Intn(2) == 0
			}
			if swap {
				c1.Layers[i], c2.Layers[i] = c2.Layers[i], c1.Layers[i]
			}
		}
	} else {
		cut := rng.Float64()
		ca, cb := int(cut*float64(len(a.Layers))+0.5), int(cut*float64(len(b.Layers))+0.5)
		c1.Layers = append(append([]Layer{}, c1.Layers[:ca]...), b.Clone().Layers[cb:]...)
		c2.Layers = append(append([]Layer{}, c2.Layers[:cb]...), a.Clone().Layers[ca:]...)
	}
	if s.SharedHidden {
		h1, h2 := a.Layers[0].Hidden, b.Layers[0].Hidden
		if rng.Intn(2) == 0 {
			h1, h2 = h2, h1
		}
		setHidden(c1, h1)
		setHidden(c2, h2)
	}
	return s.Repair(c1, rng), s.Repair(c2, rng)
}

// sameHidden reports whether a and b have the same hidden size layer by layer.
func sameHidden(a, b Arch) bool {
	for i := range a.Layers {
		if a.Layers[i].Hidden != b.Layers[i].Hidden {
			return false
		}
	}
	return true
}

func setHidden(a Arch, h int) {
	for i := range a.Layers {
		a.Layers[i].Hidden = h
	}
}

// Repair returns a moved into s with as few changes as it can: depth to the nearest depth
// choice (deleting or inserting random layers), heads that do not divide the hidden size to
// the nearest that does, and a shared hidden size to the first layer's.
func (s *Space) Repair(a Arch, rng *rand.Rand) Arch {
	if !slices.Contains(s.Depths, len(a.Layers)) {
		target := s.Depths[0]
		for _, d := range s.Depths {
			if abs(d-len(a.Layers)) < abs(target-len(a.Layers)) {
				target = d
			}
		}
		a = s.setDepth(a, target, rng)
	}
	if s.SharedHidden {
		setHidden(a, a.Layers[0].Hidden)
	}
	for i := range a.Layers {
		l := &a.Layers[i]
		if l.Hidden%l.Heads != 0 {
			hs := s.headsFor(l.Hidden)
			best := hs[0]
			for _, n := range hs {
				if abs(n-l.Heads) < abs(best-l.Heads) {
					best = n
				}
			}
			l.Heads = best
		}
	}
	return a
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// setDepth deletes layers at random positions or inserts random layers (of the shared hidden
// size, if any) at random positions until a has target layers.
func (s *Space) setDepth(a Arch, target int, rng *rand.Rand) Arch {
	h := 0
	if s.SharedHidden && len(a.Layers) > 0 {
		h = a.Layers[0].Hidden
	}
	for len(a.Layers) > target {
		i := rng.Intn(len(a.Layers))
		a.Layers = append(a.Layers[:i], a.Layers[i+1:]...)
	}
	for len(a.Layers) < target {
		i := rng.Intn(len(a.Layers) + 1)
		a.Layers = append(a.Layers, Layer{})
		copy(a.Layers[i+1:], a.Layers[i:])
		a.Layers[i] = s.sampleLayer(rng, h)
	}
	return a
}
