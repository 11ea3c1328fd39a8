package objectives

import (
	"math"
	"math/rand"
	"testing"

	"github.com/zeronas/zeronas/proxy"
	"github.com/zeronas/zeronas/space"
)

// TestEveryOperationIsCached: every operation a space may hold has its own cache code.
func TestEveryOperationIsCached(t *testing.T) {
	seen := map[uint64]bool{}
	for _, o := range space.Operations() {
		param := o.Param
		if o.Op == space.OpDSC {
			param = "9"
		}
		l := space.Layer{Hidden: 256, Op: o.Op, Param: param, Heads: 4, FF: []int{1024}}
		k, ok := layerKey(l)
		if !ok {
			t.Errorf("%s-%s: not cached", o.Op, o.Param)
		}
		if seen[k[0]>>32&0xf] {
			t.Errorf("%s-%s shares a cache code", o.Op, o.Param)
		}
		seen[k[0]>>32&0xf] = true
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
