package checkpoint

import (
	"bytes"
	"math/rand"
	"slices"
	"testing"

	"github.com/zeronas/zeronas/internal/safetensors"
	"github.com/zeronas/zeronas/proxy"
)

func TestRole(t *testing.T) {
	cases := map[string]string{
		"layer0.attn.q.weight":                              Attention,
		"layer3.attn.depthwise.weight":                      Attention,
		"layer1.attn.norm.weight":                           Other,
		"layer1.ff.2.weight":                                FFN,
		"layer1.ff.norm.bias":                               Other,
		"layer0.project.weight":                             Other,
		"embed.project.weight":                              Embedding,
		"embed.norm.weight":                                 Other,
		"bert.encoder.layer.11.attention.self.query.weight": Attention,
		"encoder.layer.0.attention.output.dense.weight":     Attention,
		"encoder.layer.0.attention.output.LayerNorm.weight": Other,
		"bert.encoder.layer.0.intermediate.dense.weight":    FFN,
		"bert.encoder.layer.0.output.dense.weight":          FFN,
		"bert.embeddings.word_embeddings.weight":            Embedding,
		"bert.pooler.dense.weight":                          Other,
		"cls.predictions.transform.dense.weight":            Other,
		"transformer.h.5.attn.c_attn.weight":                Attention,
		"h.0.attn.c_proj.weight":                            Attention,
		"h.0.mlp.c_fc.weight":                               FFN,
		"h.0.attn.bias":                                     Other,
		"transformer.wte.weight":                            Embedding,
		"transformer.ln_f.weight":                           Other,
		"lm_head.weight":                                    Other,
		"classifier.weight":                                 "",
	}
	for name, want := range cases {
		if got := Role(name); got != want {
			t.Errorf("Role(%q) = %q, want %q", name, got, want)
		}
	}
}

// Scoring is the same bit for bit whatever the number of workers; metadata roles win over
// names; unknown tensors are listed; GPT-2's c_attn is scored as three blocks.
func TestScoreParallelAndRoles(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	infos := []safetensors.Info{
		{Name: "h.0.attn.c_attn.weight", DType: safetensors.F32, Shape: []int{16, 48}},
		{Name: "h.0.mlp.c_fc.weight", DType: safetensors.F16, Shape: []int{16, 40}},
		{Name: "custom.mixer", DType: safetensors.BF16, Shape: []int{20, 16}},
		{Name: "classifier.weight", DType: safetensors.F32, Shape: []int{2, 16}},
	}
	var buf bytes.Buffer
	w, err := safetensors.NewWriter(&buf, infos, map[string]string{"custom.mixer": "attention"})
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range infos {
		v := make([]float64, in.Len())
		for i := range v {
			v[i] = rng.NormFloat64()
		}
		if err := w.WriteFloat64s(v); err != nil {
			t.Fatal(err)
		}
	}
	f, err := safetensors.Parse(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	for _, stat := range []proxy.Stat{proxy.Frob, proxy.Nuclear, proxy.StableRank, proxy.Entropy} {
		serial, err := Score(f, stat, 0.3, 1)
		if err != nil {
			t.Fatal(err)
		}
		par, err := Score(f, stat, 0.3, 4)
		if err != nil {
			t.Fatal(err)
		}
		if serial.Attn != par.Attn || serial.FFN != par.FFN || serial.Score != par.Score {
			t.Errorf("%s: serial %+v, parallel %+v", stat, serial, par)
		}
		var names []string
		for _, m := range serial.Matrices {
			names = append(names, m.Name)
		}
		want := []string{"h.0.attn.c_attn.weight[q]", "h.0.attn.c_attn.weight[k]", "h.0.attn.c_attn.weight[v]", "h.0.mlp.c_fc.weight", "custom.mixer"}
		if !slices.Equal(names, want) || !slices.Equal(serial.Unknown, []string{"classifier.weight"}) {
			t.Errorf("%s: scored %v, unknown %v", stat, names, serial.Unknown)
		}
	}
}
