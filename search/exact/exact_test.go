package exact

import (
	"context"
	"fmt"
	"testing"

	"github.com/zeronas/zeronas/objectives"
	"github.com/zeronas/zeronas/proxy"
	"github.com/zeronas/zeronas/space"
)

// bruteForce enumerates every architecture and returns its Pareto front: vector -> count.
func bruteForce(t *testing.T, p Problem) map[string]int64 {
	t.Helper()
	type pt struct {
		v []float64
		n int64
	}
	var all []pt
	idx := map[[3]float64]int{}
	err := p.Space.Enumerate(context.Background(), func(a space.Arch) bool {
		for _, b := range p.Budgets {
			if objectives.Sum(b.Terms, a) > b.Max {
				return true
			}
		}
		v := make([]float64, len(p.Objectives))
		for i, o := range p.Objectives {
			v[i] = o.Value(a)
			if o.Sense() == objectives.Max {
				v[i] = -v[i]
			}
		}
		var k [3]float64
		copy(k[:], v)
		if j, ok := idx[k]; ok {
			all[j].n++
		} else {
			idx[k] = len(all)
			all = append(all, pt{v, 1})
		}
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	// The archive method: keep the non-dominated points seen so far, each new point
	// either dominated by one of them or evicting those it dominates.
	var nd []pt
	for _, a := range all {
		dominated := false
		keep := nd[:0]
		for _, b := range nd {
			if weaklyDominates(b.v, a.v) {
				dominated = true // all vectors are distinct here
			}
			if !(weaklyDominates(a.v, b.v)) {
				keep = append(keep, b)
			}
		}
		nd = keep
		if !dominated {
			nd = append(nd, a)
		}
	}
	front := map[string]int64{}
	for _, a := range nd {
		front[fmt.Sprint(a.v)] = a.n
	}
	return front
}

func small(shared bool) *space.Space {
	s := &space.Space{Name: "small", Hidden: []int{128, 256}, Depths: []int{1, 2, 3}, Heads: []int{2},
		Ops:      []space.OpChoice{{Op: space.OpSA, Param: "SDP"}, {Op: space.OpSA, Param: "WMA"}, {Op: space.OpLT, Param: "DFT"}, {Op: space.OpLT, Param: "DCT"}, {Op: space.OpDSC, Param: "5"}},
		FFCounts: []int{1, 2}, FFWidths: []int{512, 1024}, SharedHidden: shared, UniformFF: shared}
	return s
}

func TestExactEqualsExhaustive(t *testing.T) {
	z, err := proxy.NewZeroLM(proxy.Settings{Init: proxy.Normal, Stat: proxy.Frob, Mode: proxy.Expected, Alpha: 0.75})
	if err != nil {
		t.Fatal(err)
	}
	objSets := map[string][]objectives.Objective{
		"proxy,params":       {objectives.NewProxy(z), objectives.NewParams()},
		"proxy,params,flops": {objectives.NewProxy(z), objectives.NewParams(), objectives.NewFLOPs()},
		"proxy,flops":        {objectives.NewProxy(z), objectives.NewFLOPs()},
	}
	for _, shared := range []bool{true, false} {
		for name, objs := range objSets {
			for _, budget := range []float64{0, 6e6} {
				t.Run(fmt.Sprintf("shared=%v/%s/budget=%g", shared, name, budget), func(t *testing.T) {
					p := Problem{Space: small(shared), Objectives: objs}
					if budget > 0 {
						p.Budgets = []Budget{{Name: "params", Terms: termsOf(objectives.NewParams()), Max: budget}}
					}
					compareWithBruteForce(t, p)
				})
			}
		}
	}
}

func TestRefusals(t *testing.T) {
	z, _ := proxy.NewZeroLM(proxy.Settings{Init: proxy.Normal, Stat: proxy.Frob, Mode: proxy.Sampled})
	_, err := Solve(context.Background(), Problem{Space: small(true), Objectives: []objectives.Objective{objectives.NewProxy(z), objectives.NewParams()}}, Options{})
	if err == nil {
		t.Error("sampled proxy accepted")
	}
	p := Problem{Space: small(true), Objectives: []objectives.Objective{objectives.NewParams(), objectives.NewFLOPs()},
		Budgets: []Budget{{Name: "params", Terms: termsOf(objectives.NewParams()), Max: 10}}}
	if _, err := Solve(context.Background(), p, Options{}); err != ErrInfeasible {
		t.Errorf("impossible budget: %v", err)
	}
}

func termsOf(o objectives.Objective) objectives.Terms {
	t, _ := o.Terms()
	return t
}

// compareWithBruteForce requires Solve's front of p to equal the brute-force front, vector
// for vector with the same counts, every listed architecture valid and attaining its vector.
func compareWithBruteForce(t *testing.T, p Problem) {
	t.Helper()
	want := bruteForce(t, p)
	f, err := Solve(context.Background(), p, Options{All: true})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for _, pt := range f.Points {
		m := make([]float64, len(pt.Values))
		for i, o := range p.Objectives {
			m[i] = pt.Values[i]
			if o.Sense() == objectives.Max {
				m[i] = -m[i]
			}
		}
		got[fmt.Sprint(m)] = pt.Count.Int64()
		if int64(len(pt.Archs)) != pt.Count.Int64() {
			t.Errorf("%d architectures listed for a count of %v", len(pt.Archs), pt.Count)
		}
		for _, a := range pt.Archs {
			if err := p.Space.Validate(a); err != nil {
				t.Fatal(err)
			}
			for i, o := range p.Objectives {
				if o.Value(a) != pt.Values[i] {
					t.Fatalf("%s of a listed architecture %v, front value %v", o.Name(), o.Value(a), pt.Values[i])
				}
			}
		}
	}
	if len(got) != len(want) {
		t.Fatalf("exact front %d vectors, exhaustive %d", len(got), len(want))
	}
	t.Logf("front of %d vectors", len(got))
	for k, n := range want {
		if got[k] != n {
			t.Errorf("vector %s: exact count %d, exhaustive %d", k, got[k], n)
		}
	}
}

const smallGPT2 = `name: gpt2-exact-test
family: gpt2
architecture:
  n_layer: [1, 2, 3]
  d_model: [64, 128]
  n_head: [2, 4]
  d_inner: [96, 128, 256]
embedding:
  n_token: 1000
  div_val: [1, 2]
  d_embed: [-1, 32]
  cutoffs: [600]
`

// TestExactEqualsExhaustiveGPT2: the programme with d_model as the shared state and one
// programme per embedding finds the brute-force front of a small GPT-2 space.
func TestExactEqualsExhaustiveGPT2(t *testing.T) {
	sp, err := space.Parse("small.yaml", []byte(smallGPT2))
	if err != nil {
		t.Fatal(err)
	}
	if n := sp.Count().Int64(); n != 2*(6+36+216)*4 {
		t.Fatalf("space of %d", n)
	}
	for _, embed := range []float64{0, 0.1} {
		z, err := proxy.NewZeroLM(proxy.Settings{Init: proxy.Xavier, Stat: proxy.Frob, Mode: proxy.Expected, Alpha: 0.6, Embed: embed})
		if err != nil {
			t.Fatal(err)
		}
		for name, objs := range map[string][]objectives.Objective{
			"proxy,params":       {objectives.NewProxy(z), objectives.NewParams()},
			"proxy,params,flops": {objectives.NewProxy(z), objectives.NewParams(), objectives.NewFLOPs()},
		} {
			for _, budget := range []float64{0, 2e5} {
				t.Run(fmt.Sprintf("embed=%g/%s/budget=%g", embed, name, budget), func(t *testing.T) {
					p := Problem{Space: sp, Objectives: objs}
					if budget > 0 {
						p.Budgets = []Budget{{Name: "params", Terms: termsOf(objectives.NewParams()), Max: budget}}
					}
					compareWithBruteForce(t, p)
				})
			}
		}
	}
}
