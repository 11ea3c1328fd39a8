package objectives

import (
	"math"
	"math/rand"
	"testing"

	"github.com/zeronas/zeronas/proxy"
	"github.com/zeronas/zeronas/space"
)

// TestTermsSumToValue: every objective that claims a per-layer split must add up to its
// value, on every space, for every build.
func TestTermsSumToValue(t *testing.T) {
	for _, name := range space.Names() {
		sp, err := space.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range []space.Build{space.Faithful, space.Legacy, space.AsTrained} {
			z, err := proxy.NewZeroLM(proxy.Settings{Build: b, Init: proxy.Xavier, Stat: proxy.Frob, Mode: proxy.Expected, Alpha: 0.3})
			if err != nil {
				t.Fatal(err)
			}
			objs := []Objective{NewProxy(z), NewParams(), NewFLOPs()}
			rng := rand.New(rand.NewSource(1))
			for i := 0; i < 200; i++ {
				a := sp.Sample(rng)
				for _, o := range objs {
					terms, ok := o.Terms()
					if !ok {
						t.Fatalf("%s claims no split in expected mode", o.Name())
					}
					v, s := o.Value(a), Sum(terms, a)
					if math.Abs(v-s) > 1e-9*math.Abs(v) {
						t.Errorf("%s %s %s: value %v, sum of terms %v", name, b, o.Name(), v, s)
					}
				}
			}
		}
	}
}

func TestSampledProxyDoesNotSplit(t *testing.T) {
	z, _ := proxy.NewZeroLM(proxy.Settings{Init: proxy.Normal, Stat: proxy.Frob, Mode: proxy.Sampled})
	if _, ok := NewProxy(z).Terms(); ok {
		t.Error("a sampled proxy claims a per-layer split")
	}
}

func TestParseAndViolation(t *testing.T) {
	z, _ := proxy.NewZeroLM(proxy.DefaultSettings())
	for _, bad := range []string{"proxy", "proxy,proxy", "proxy,speed", "proxy,latency"} {
		if _, err := Parse(bad, z, nil); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	objs, err := Parse("proxy,params", z, nil)
	if err != nil {
		t.Fatal(err)
	}
	a := space.Arch{Layers: []space.Layer{{Hidden: 128, Op: space.OpSA, Param: "SDP", Heads: 2, FF: []int{512}}}}
	p := float64(space.Params(a, space.Faithful))
	s := &Set{Objectives: objs, MaxParams: p / 2}
	if v := s.Violation(a); math.Abs(v-1) > 1e-12 {
		t.Errorf("violation %v at twice the budget, want 1", v)
	}
	s.MaxParams = p
	if v := s.Violation(a); v != 0 {
		t.Errorf("violation %v at the budget", v)
	}
	vals := s.Values(a)
	if m := s.Minimised(vals); m[0] != -vals[0] || m[1] != vals[1] {
		t.Errorf("minimised %v of %v", m, vals)
	}
}

// TestValueIgnoresLayerOrder: quantised terms add exactly, so permuting the layers of an
// architecture with one hidden size changes no value, not even in the last bit.
func TestValueIgnoresLayerOrder(t *testing.T) {
	sp, _ := space.Load("nas-bench-bert")
	z, _ := proxy.NewZeroLM(proxy.DefaultSettings())
	objs := []Objective{NewProxy(z), NewParams(), NewFLOPs()}
	rng := rand.New(rand.NewSource(2))
	for i := 0; i < 500; i++ {
		a := sp.Sample(rng)
		b := a.Clone()
		rng.Shuffle(len(b.Layers), func(i, j int) { b.Layers[i], b.Layers[j] = b.Layers[j], b.Layers[i] })
		for _, o := range objs {
			if o.Value(a) != o.Value(b) {
				t.Fatalf("%s: %v, permuted %v", o.Name(), o.Value(a), o.Value(b))
			}
		}
	}
}
