package proxy

import (
	"math"
	"math/bits"
)

// stream is a wyrand generator (Wang Yi's wyhash family, as Go's runtime uses) with a
// Marsaglia-Tsang ziggurat for normals (J. Stat. Softw. 5(8), 2000). Weight sampling draws
// millions of values per architecture: wyrand's state is a counter, so successive draws do
// not wait on each other, and an inlined concrete generator is several times faster than
// one behind the rand.Source interface.
type stream struct{ s uint64 }

// newStream seeds a stream from two words through splitmix64.
func newStream(a, b uint64) *stream { return &stream{s: splitmix(a ^ splitmix(b))} }

// wyrand's constants.
const (
	wyIncrement = 0xa0761d6478bd642f
	wyMix       = 0xe7037ed1a0b428db
)

func (st *stream) next() uint64 {
	st.s += wyIncrement
	hi, lo := bits.Mul64(st.s, st.s^wyMix)
	return hi ^ lo
}

// uniform returns a float64 in [0, 1) with 53 random bits.
func (st *stream) uniform() float64 { return float64(st.next()>>11) * 0x1p-53 }

// ziggurat holds the 128-level tables of the Marsaglia-Tsang normal sampler.
type ziggurat struct {
	k [128]uint32
	w [128]float64
	f [128]float64
}

// zig is computed once from the paper's constants and never written after.
var zig = newZiggurat()

func newZiggurat() *ziggurat {
	const m1 = 2147483648.0
	z := &ziggurat{}
	dn, vn := 3.442619855899, 9.91256303526217e-3
	tn := dn
	q := vn / math.Exp(-0.5*dn*dn)
	z.k[0] = uint32(dn / q * m1)
	z.k[1] = 0
	z.w[0] = q / m1
	z.w[127] = dn / m1
	z.f[0] = 1
	z.f[127] = math.Exp(-0.5 * dn * dn)
	for i := 126; i >= 1; i-- {
		dn = math.Sqrt(-2 * math.Log(vn/dn+math.Exp(-0.5*dn*dn)))
		z.k[i+1] = uint32(dn / tn * m1)
		tn = dn
		z.f[i] = math.Exp(-0.5 * dn * dn)
		z.w[i] = dn / m1
	}
	return z
}

// normals draws n deviates of N(0, scale^2) into w (unless w is nil) and returns the sum of
// their squares. Each 64-bit draw feeds two 32-bit ziggurat words; the fast path is written
// out here because the compiler will not inline it.
func (st *stream) normals(n int, scale float64, w []float64) float64 {
	if w == nil {
		return scale * scale * st.sumOfSquares(n)
	}
	z := zig
	var s1, s2 float64 // two accumulators: the adds need not wait on each other
	for i := 0; i < n; i += 2 {
		u := st.next()
		h1, h2 := int32(uint32(u)), int32(u>>32)
		var x, y float64
		if j := uint32(h1) & 127; absInt32(h1) < z.k[j] {
			x = float64(h1) * z.w[j]
		} else {
			x = st.normalSlow(h1)
		}
		if j := uint32(h2) & 127; absInt32(h2) < z.k[j] {
			y = float64(h2) * z.w[j]
		} else {
			y = st.normalSlow(h2)
		}
		w[i] = scale * x
		s1 += x * x
		if i+1 < n {
			w[i+1] = scale * y
			s2 += y * y
		}
	}
	return scale * scale * (s1 + s2)
}

// sumOfSquares is normals without storing the deviates: the loop of the default statistic,
// kept free of every branch but the ziggurat's.
func (st *stream) sumOfSquares(n int) float64 {
	z := zig
	state := st.s // in a register; written back around the rare slow path
	var s1, s2 float64
	for i := 0; i+1 < n; i += 2 {
		state += wyIncrement
		hi, lo := bits.Mul64(state, state^wyMix)
		u := hi ^ lo
		h1, h2 := int32(uint32(u)), int32(u>>32)
		var x, y float64
		if j := uint32(h1) & 127; absInt32(h1) < z.k[j] {
			x = float64(h1) * z.w[j]
		} else {
			st.s = state
			x = st.normalSlow(h1)
			state = st.s
		}
		if j := uint32(h2) & 127; absInt32(h2) < z.k[j] {
			y = float64(h2) * z.w[j]
		} else {
			st.s = state
			y = st.normalSlow(h2)
			state = st.s
		}
		s1 += x * x
		s2 += y * y
	}
	st.s = state
	if n%2 == 1 {
		x := st.normal(int32(uint32(st.next())))
		s1 += x * x
	}
	return s1 + s2
}

// normal returns a standard normal deviate from the 32-bit word hz, drawing more words from
// st only in the rare rejection steps. Its fast path is small enough to inline.
func (st *stream) normal(hz int32) float64 {
	iz := uint32(hz) & 127
	if absInt32(hz) < zig.k[iz] {
		return float64(hz) * zig.w[iz]
	}
	return st.normalSlow(hz)
}

func (st *stream) normalSlow(hz int32) float64 {
	for {
		iz := hz & 127
		x := float64(hz) * zig.w[iz]
		if absInt32(hz) < zig.k[iz] {
			return x
		}
		if iz == 0 { // the tail beyond r
			const r = 3.442619855899
			for {
				x = -math.Log(1-st.uniform()) / r
				y := -math.Log(1 - st.uniform())
				if y+y >= x*x {
					break
				}
			}
			if hz > 0 {
				return r + x
			}
			return -r - x
		}
		if zig.f[iz]+st.uniform()*(zig.f[iz-1]-zig.f[iz]) < math.Exp(-0.5*x*x) {
			return x
		}
		hz = int32(uint32(st.next()))
	}
}

// absInt32 returns |x| without a branch.
func absInt32(x int32) uint32 {
	m := x >> 31
	return uint32((x ^ m) - m)
}
