package proxy

import (
	"sync"
	"sync/atomic"

	"github.com/zeronas/zeronas/internal/spectral"
)

// DrawCache holds, per matrix shape and init, the expected-mode values of every statistic
// that needs singular values (nuclear, stable rank, entropy), all from one set of Monte Carlo
// draws. The draws behind an expected statistic are seeded by the shape alone, so they are
// the same for every statistic: scorers of several statistics given one cache (see
// WithDrawCache) decompose each shape's draws once instead of once per statistic, and get
// the values each computes alone, bit for bit. It is safe for concurrent use; the zero
// DrawCache is empty and ready to use.
type DrawCache struct {
	mu      sync.Mutex
	entries map[drawKey]*drawEntry
	svds    atomic.Int64
}

type drawKey struct {
	in, out int
	init    Init
}

// drawEntry holds one shape's expected statistics, in the order of svdStat, once computed.
type drawEntry struct {
	once sync.Once
	mean [3]float64
}

// svdStat returns the index of a statistic that needs singular values in drawEntry.mean,
// or -1 for frob.
func svdStat(st Stat) int {
	switch st {
	case Nuclear:
		return 0
	case StableRank:
		return 1
	case Entropy:
		return 2
	}
	return -1
}

// Decompositions returns the number of matrices whose singular values the cache has computed:
// expectedDraws per shape and init it holds.
func (c *DrawCache) Decompositions() int64 { return c.svds.Load() }

// expected returns the expected statistic st (not frob) of an out x in matrix under init,
// computing every statistic's on the shape's first request. Concurrent first requests for
// one shape compute it once.
func (c *DrawCache) expected(st Stat, init Init, in, out int) float64 {
	k := drawKey{in, out, init}
	c.mu.Lock()
	if c.entries == nil {
		c.entries = map[drawKey]*drawEntry{}
	}
	e, ok := c.entries[k]
	if !ok {
		e = &drawEntry{}
		c.entries[k] = e
	}
	c.mu.Unlock()
	e.once.Do(func() { c.compute(e, init, in, out) })
	return e.mean[svdStat(st)]
}

// compute draws the shape's matrices as ZeroLM.Expected does alone (the same stream, seeded
// by the shape, the same sum of squares) and adds each statistic's capacities in draw order
// before dividing, as it does: the same values bit for bit.
func (c *DrawCache) compute(e *drawEntry, init Init, in, out int) {
	rng := newStream(uint64(in), uint64(out))
	w := make([]float64, in*out) // draw overwrites every weight
	for d := 0; d < expectedDraws; d++ {
		ss := draw(rng, init, in, out, w)
		sigma := spectral.SingularValues(out, in, w)
		c.svds.Add(1)
		for _, st := range []Stat{Nuclear, StableRank, Entropy} {
			e.mean[svdStat(st)] += capacity(st, out, in, ss, sigma)
		}
	}
	for i := range e.mean {
		e.mean[i] /= expectedDraws
	}
}
