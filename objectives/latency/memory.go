package latency

import (
	"fmt"

	"github.com/zeronas/zeronas/space"
)

// DefaultMemoryLimit is the memory limit when the machine's memory cannot be read: 4 GiB.
const DefaultMemoryLimit int64 = 4 << 30

// MemoryLimit returns the memory a measurement may use: half of the machine's physical
// memory (DefaultMemoryLimit when it cannot be read), leaving the rest to the system and
// to the search that asked.
func MemoryLimit() int64 {
	if b := physicalMemory(); b > 0 {
		return b / 2
	}
	return DefaultMemoryLimit
}

// MemoryError reports a measurement whose estimated memory exceeds the limit.
type MemoryError struct {
	// What is measured: an architecture ID or a space name.
	What string
	// Batch and SeqLen are the input shape.
	Batch, SeqLen int
	// Estimate and Limit are in bytes.
	Estimate, Limit float64
}

// Error names the shape, the estimate and the limit.
func (e *MemoryError) Error() string {
	return fmt.Sprintf("batch %d, seq_len %d: %s needs about %s of weights and activations, over the limit of %s (half of this machine's memory)",
		e.Batch, e.SeqLen, e.What, bytesString(e.Estimate), bytesString(e.Limit))
}

func bytesString(b float64) string {
	const gib, mib = 1 << 30, 1 << 20
	if b >= gib {
		return fmt.Sprintf("%.1f GiB", b/gib)
	}
	return fmt.Sprintf("%.1f MiB", b/mib)
}

// NetworkBytes estimates the memory, in bytes, that NewNetwork(a, o) allocates: weights
// and activation buffers of every block, as the blocks allocate them (allocator rounding
// and small headers aside). It is computed in floating point, so that no shape overflows.
func NetworkBytes(a space.Arch, o Options) float64 {
	o = o.WithDefaults()
	if len(a.Layers) == 0 {
		return 0
	}
	n, s := float64(o.Batch)*float64(o.SeqLen), float64(o.SeqLen)
	total := embeddingUnits(a.Layers[0].Hidden, n)
	for i, l := range a.Layers {
		total += layerUnits(l, n, s)
		if i+1 < len(a.Layers) && a.Layers[i+1].Hidden != l.Hidden {
			total += linearUnits(l.Hidden, a.Layers[i+1].Hidden) + n*float64(a.Layers[i+1].Hidden)
		}
	}
	return 4 * total // float32 (and int32) units
}

// CheckMemory reports, as a *MemoryError, an architecture whose network for o would not
// fit in limit bytes (MemoryLimit() when limit <= 0).
func CheckMemory(a space.Arch, o Options, limit int64) error {
	o = o.WithDefaults()
	return checkBytes("architecture "+a.ID(), NetworkBytes(a, o), o, limit)
}

// CheckSpaceMemory reports, as a *MemoryError, a space whose largest network for o would
// not fit in limit bytes (MemoryLimit() when limit <= 0): a bound over the space, from
// its deepest depth, widest hidden size and largest layer, that a caller can check before
// measuring any architecture of it.
func CheckSpaceMemory(sp *space.Space, o Options, limit int64) error {
	o = o.WithDefaults()
	emb, layer, proj, depth := spaceUnits(sp, o)
	return checkBytes("the largest architecture of space "+sp.Name, 4*(emb+float64(depth)*(layer+proj)), o, limit)
}

// checkBlocksMemory reports, as a *MemoryError, a space whose largest blocks (one of each
// kind, as Calibrate builds them) would not fit in MemoryLimit.
func checkBlocksMemory(sp *space.Space, o Options) error {
	emb, layer, proj, _ := spaceUnits(sp, o)
	return checkBytes("the largest blocks of space "+sp.Name, 4*(emb+layer+proj), o, 0)
}

func checkBytes(what string, b float64, o Options, limit int64) error {
	if limit <= 0 {
		limit = MemoryLimit()
	}
	if b > float64(limit) {
		return &MemoryError{What: what, Batch: o.Batch, SeqLen: o.SeqLen, Estimate: b, Limit: float64(limit)}
	}
	return nil
}

// spaceUnits returns the largest embedding, layer and projection of sp for o (after
// defaults), in float32 units, and its deepest depth.
func spaceUnits(sp *space.Space, o Options) (emb, layer, proj float64, depth int) {
	n, s := float64(o.Batch)*float64(o.SeqLen), float64(o.SeqLen)
	for _, h := range sp.Hidden {
		emb = max(emb, embeddingUnits(h, n))
		for _, l := range sp.LayerChoices(h) {
			layer = max(layer, layerUnits(l, n, s))
		}
		for _, to := range sp.Hidden {
			if to != h {
				proj = max(proj, linearUnits(h, to)+n*float64(to))
			}
		}
	}
	for _, d := range sp.Depths {
		depth = max(depth, d)
	}
	return emb, layer, proj, depth
}

// The functions below count the float32-sized units that the constructors of blocks.go,
// mixing.go and transforms.go allocate; keep them in step (TestNetworkBytes checks).

func linearUnits(in, out int) float64 { return float64(in)*float64(out) + float64(out) }

func embeddingUnits(hidden int, n float64) float64 {
	e := float64(space.EmbedDim)
	u := float64(space.VocabSize+space.MaxPositions+space.TypeVocab)*e + 2*e + n*(e+2) // tables, norm, x, ids and types
	if hidden != space.EmbedDim {
		u += linearUnits(space.EmbedDim, hidden) + n*float64(hidden)
	}
	return u
}

// layerUnits counts a layer's mixing and feed-forward blocks for n rows of sequences of s.
func layerUnits(l space.Layer, n, s float64) float64 {
	h := float64(l.Hidden)
	heads := max(l.Heads, 1)
	d := float64(l.Hidden / heads)
	var u float64
	switch l.Op {
	case space.OpSA:
		u = 4*linearUnits(l.Hidden, l.Hidden) + 5*n*h + s*s + 2*h
		if l.Param == "WMA" {
			u += h*h + n*h
		}
	case space.OpLT:
		u = 2*linearUnits(l.Hidden, l.Hidden) + 3*n*h + 2*h
		if l.Param == "DCT" {
			u += 2*d + 2*s*d // float64 row and buffer
		} else {
			half := d/2 + 1
			u += 2*d + 4*half + 4*s*half // float64 row, complex128 coefficients and spectrum
		}
		u += 8 * (s + d) // the FFT plans' work arrays
	default: // DSC
		nh := float64(max(1, heads/2))
		a := nh * d
		k := float64(max(l.Kernel(), 0))
		u = 5*(h*a+a) + (a*nh*k + nh*k) + (2*a*h + h) + k*h + // q, k, v, pw, co; gen; o; dw
			7*n*a + n*h + n*nh*k + s*s + n*h + 2*h // qb kb vb kc cob ctx(2a); dwb; kern; scores; out; norm
	}
	in := l.Hidden
	for _, w := range l.FF {
		u += linearUnits(in, w) + n*float64(w)
		in = w
	}
	return u + linearUnits(in, l.Hidden) + 2*n*h + 2*h
}
