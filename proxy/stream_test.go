package proxy

import (
	"math"
	"testing"
)

// TestNormalMoments checks the ziggurat against the moments and tail mass of N(0, 1).
func TestNormalMoments(t *testing.T) {
	st := newStream(1, 2)
	const n = 2_000_000
	var m1, m2, m4 float64
	tail := 0
	for i := 0; i < n; i++ {
		x := st.normal(int32(uint32(st.next())))
		m1 += x
		m2 += x * x
		m4 += x * x * x * x
		if math.Abs(x) > 3.442619855899 {
			tail++
		}
	}
	m1, m2, m4 = m1/n, m2/n, m4/n
	// Standard errors at n = 2e6: mean 7e-4, variance 1e-3, fourth moment 7e-3.
	if math.Abs(m1) > 0.004 || math.Abs(m2-1) > 0.005 || math.Abs(m4-3) > 0.04 {
		t.Errorf("moments %v %v %v, want 0 1 3", m1, m2, m4)
	}
	// P(|X| > 3.4426) = 5.76e-4.
	if p := float64(tail) / n; math.Abs(p-5.76e-4) > 1.2e-4 {
		t.Errorf("tail mass %v, want 5.76e-4", p)
	}
}

func TestUniformRange(t *testing.T) {
	st := newStream(3, 4)
	var sum float64
	for i := 0; i < 100000; i++ {
		u := st.uniform()
		if u < 0 || u >= 1 {
			t.Fatalf("uniform %v out of [0, 1)", u)
		}
		sum += u
	}
	if m := sum / 100000; math.Abs(m-0.5) > 0.005 {
		t.Errorf("mean %v", m)
	}
}
