package proxy

import (
	"math"
	"testing"

	"github.com/zeronas/zeronas/space"
)

// The scored matrices Weights returns are the ones sampled mode scores: their statistics sum
// to the sampled s_attn and s_ffn, for every statistic, init and build.
func TestWeightsAreSampledMode(t *testing.T) {
	// Small layers of every operation keep the SVDs quick.
	a := space.Arch{Layers: []space.Layer{
		{Hidden: 128, Op: space.OpSA, Param: "WMA", Heads: 2, FF: []int{256}},
		{Hidden: 64, Op: space.OpDSC, Param: "5", Heads: 4, FF: []int{128, 64, 64}},
		{Hidden: 64, Op: space.OpLT, Param: "DCT", Heads: 2, FF: []int{96}},
		{Hidden: 64, Op: space.OpSA, Param: "SDP", Heads: 2, FF: []int{96}},
	}}
	for _, c := range []struct {
		stat  Stat
		init  Init
		build space.Build
	}{{Frob, Normal, space.Legacy}, {Nuclear, Xavier, space.Faithful}, {StableRank, Torch, space.AsTrained}, {Entropy, Normal, space.Faithful}} {
		set := Settings{Build: c.build, Init: c.init, Stat: c.stat, Mode: Sampled, Alpha: 0.5, Seed: 11}
		z, err := NewZeroLM(set)
		if err != nil {
			t.Fatal(err)
		}
		want := z.Score(a)
		var got Score
		var params int64
		err = z.Weights(a, func(tn space.Tensor, w, bias []float64) error {
			params += int64(len(w) + len(bias))
			if bias != nil && (len(bias) != tn.Out || bias[0] != 0) {
				t.Errorf("%s: bias %v", tn.FullName(), bias[:1])
			}
			if !tn.Scored() {
				return nil
			}
			var ss float64
			for _, x := range w {
				ss += x * x
			}
			v := matrixCapacity(c.stat, tn.Out, tn.In, ss, w)
			if tn.Role == space.Attention {
				got.Attn += v
			} else {
				got.FFN += v
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if p := space.Params(a, c.build); params != p {
			t.Errorf("%v: %d weights, want %d parameters", c, params, p)
		}
		for _, pair := range [][2]float64{{got.Attn, want.Attn}, {got.FFN, want.FFN}} {
			if math.Abs(pair[0]-pair[1]) > 1e-12*math.Abs(pair[1]) {
				t.Errorf("%v: recomputed %g, sampled mode %g", c, pair[0], pair[1])
			}
		}
	}
}
