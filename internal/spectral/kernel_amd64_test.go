package spectral

import (
	"math"
	"math/rand"
	"testing"
)

// The assembly kernels equal the pure-Go ones bit for bit, and so do the singular values
// computed with and without them: results do not depend on the machine.
func TestAssemblyEqualsGo(t *testing.T) {
	if !avx {
		t.Skip("no AVX2 and FMA on this machine: only the pure-Go kernels run")
	}
	rng := rand.New(rand.NewSource(4))
	vec := func(n int) []float64 {
		v := make([]float64, n)
		for i := range v {
			v[i] = rng.NormFloat64() * math.Pow(10, float64(rng.Intn(9)-4))
		}
		return v
	}
	same := func(a, b []float64) bool {
		for i := range a {
			if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
				return false
			}
		}
		return len(a) == len(b)
	}
	for _, n := range []int{8, 16, 64, 520} {
		a0, a1, a2, a3, b0, b1 := vec(n), vec(n), vec(n), vec(n), vec(n), vec(n)
		if g, w := dot4x2Lanes(n, a0, a1, a2, a3, b0, b1), dot4x2Go(n, a0, a1, a2, a3, b0, b1); !same(g[:], w[:]) {
			t.Errorf("dot4x2, n %d: assembly %v, Go %v", n, g, w)
		}
		row, x, y := vec(n), vec(n), vec(n)
		y2 := append([]float64(nil), y...)
		if g, w := dotAxpyLanes(n, row, x, y, 0.3), dotAxpyGo(n, row, x, y2, 0.3); math.Float64bits(g) != math.Float64bits(w) || !same(y, y2) {
			t.Errorf("dotAxpy, n %d: assembly %v, Go %v (or y differs)", n, g, w)
		}
		if g, w := dotLanes(n, row, x), dotGo(n, row, x); math.Float64bits(g) != math.Float64bits(w) {
			t.Errorf("dot, n %d: assembly %v, Go %v", n, g, w)
		}
		for _, m := range []int{n, n + 3} {
			r1, x, y := vec(m), vec(m), vec(m)
			r2 := append([]float64(nil), r1...)
			syr2Row(r1, x, y, 0.7, -1.3)
			syr2RowGo(r2, x, y, 0.7, -1.3)
			if !same(r1, r2) {
				t.Errorf("syr2Row, n %d: assembly and Go differ", m)
			}
		}
	}
	for _, sh := range [][2]int{{37, 61}, {90, 20}, {8, 600}} {
		m, n := sh[0], sh[1]
		w := vec(m * n)
		fast := SingularValues(m, n, w)
		avx = false
		slow := SingularValues(m, n, w)
		avx = true
		if !same(fast, slow) {
			t.Errorf("%dx%d: singular values with and without assembly differ", m, n)
		}
	}
}
