package space

import (
	"context"
	"errors"
	"math/big"
	"os"
	"strings"
	"testing"
)

const ltsFile = "../experiments/data/lts/gpt2-lm1b-dev.jsonl"

func readLTS(t testing.TB) []Record {
	t.Helper()
	recs, err := ReadRecords(ltsFile, mustLoad(t, "gpt2"))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 200 {
		t.Fatalf("%d records, want 200", len(recs))
	}
	return recs
}

// TestTransformerXLMatchesLTSColumns holds the transformer-xl build's parameter counts equal
// to the columns LTS reports, on every record of the shipped file: Attn, FFN and
// nonembedding always; AdaEmb and total as far as the file exercises the adaptive embedding
// rules (every record has one cluster, since none of LTS's cutoffs lies below the
// vocabulary; multi-cluster counts follow archai's rules and are not checked by any label).
func TestTransformerXLMatchesLTSColumns(t *testing.T) {
	divVals := map[int]int{}
	for _, r := range readLTS(t) {
		p := ParamsByRole(r.Arch, TransformerXL)
		var adaEmb int64
		for _, ts := range Tensors(r.Arch, TransformerXL) {
			if strings.HasPrefix(ts.Name, "embed.") {
				adaEmb += ts.Params()
			}
		}
		if len(r.Arch.Embed.Cutoffs) != 0 {
			t.Fatalf("record %s: cutoffs %v below the vocabulary; the file was assumed to have one cluster", r.ID, r.Arch.Embed.Cutoffs)
		}
		divVals[r.Arch.Embed.DivVal]++
		for _, c := range []struct {
			col  string
			got  int64
			want float64
		}{
			{"Attn", p.Attention, r.Reported["Attn"]},
			{"FFN", p.FeedForward, r.Reported["FFN"]},
			{"nonembedding", p.Total() - p.Embedding, r.Reported["nonembedding"]},
			{"AdaEmb", adaEmb, r.Reported["AdaEmb"]},
			{"total", p.Total(), r.Reported["total"]},
		} {
			if float64(c.got) != c.want {
				t.Errorf("record %s: %s = %d, LTS reports %.0f", r.ID, c.col, c.got, c.want)
			}
		}
	}
	if len(divVals) != 3 {
		t.Errorf("div_val values %v: the file should exercise 1, 2 and 4", divVals)
	}
}

func TestFaithfulGPT2Shapes(t *testing.T) {
	// GPT-2 small: 12 layers of d 768, 12 heads, d_inner 3072, vocabulary 50257, 1024
	// positions has 124,439,808 parameters in Hugging Face (lm_head tied). With a plain
	// (div_val 1) embedding the faithful build differs from it only by the softmax bias.
	a := Arch{Embed: &AdaptiveEmbedding{Vocab: 50257, DivVal: 1}}
	for i := 0; i < 12; i++ {
		a.Layers = append(a.Layers, Layer{Hidden: 768, Op: OpCSA, Heads: 12, FF: []int{3072}})
	}
	if got, want := Params(a, Faithful), int64(124439808+50257); got != want {
		t.Errorf("faithful GPT-2 small: %d parameters, want %d", got, want)
	}
	p := ParamsByRole(a, Faithful)
	if p.Attention != 12*(768*2304+2304+768*768+768) || p.FeedForward != 12*(2*768*3072+3072+768) {
		t.Errorf("roles %+v", p)
	}
}

func TestAdaptiveEmbeddingClusters(t *testing.T) {
	// Two clusters, div_val 4, d_model 256, d_embed 128: tables 1000x128 and 500x32, four
	// projections to 256, the softmax bias and the cluster head (1 x 128 + 1).
	e := &AdaptiveEmbedding{Vocab: 1500, DEmbed: 128, DivVal: 4, Cutoffs: []int{1000}}
	var n int64
	for _, ts := range StemTensors(nil, 256, e, TransformerXL) {
		n += ts.Params()
	}
	want := int64(1000*128 + 500*32 + 2*(128*256+32*256) + 1500 + 128 + 1)
	if n != want {
		t.Errorf("stem params %d, want %d", n, want)
	}
	// div_val 1 with d_embed != d_model: one table, one input projection, one softmax
	// projection per cluster.
	e = &AdaptiveEmbedding{Vocab: 1500, DEmbed: 128, DivVal: 1, Cutoffs: []int{1000}}
	n = 0
	for _, ts := range StemTensors(nil, 256, e, TransformerXL) {
		n += ts.Params()
	}
	if want := int64(1500*128 + 3*128*256 + 1500 + 128 + 1); n != want {
		t.Errorf("div_val 1 stem params %d, want %d", n, want)
	}
}

func TestGPT2Count(t *testing.T) {
	// 3 heads x 57 d_inner = 171 layers per d_model, 15 d_model, depths 2..16, 3 div_val.
	want := new(big.Int)
	for d := int64(2); d <= 16; d++ {
		want.Add(want, pow(171, d))
	}
	want.Mul(want, big.NewInt(15*3))
	if got := mustLoad(t, "gpt2").Count(); got.Cmp(want) != 0 {
		t.Errorf("Count = %s, want %s", got, want)
	}
}

const smallGPT2 = `name: gpt2-small-test
family: gpt2
architecture:
  n_layer: [1, 2]
  d_model: [64, 128]
  n_head: [2, 4]
  d_inner: {from: 128, to: 256, step: 128}
embedding:
  n_token: 1000
  div_val: [1, 2]
  cutoffs: [500, 2000]
`

func TestGPT2YAMLEnumerateMatchesCount(t *testing.T) {
	s, err := Parse("small.yaml", []byte(smallGPT2))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Embeds) != 2 || !s.Embeds[0].Equal(&AdaptiveEmbedding{Vocab: 1000, DivVal: 1, Cutoffs: []int{500}}) {
		t.Fatalf("embeds %+v", s.Embeds)
	}
	seen := map[string]bool{}
	if err := s.Enumerate(context.Background(), func(a Arch) bool {
		if err := s.Validate(a); err != nil {
			t.Fatal(err)
		}
		seen[a.ID()] = true
		return true
	}); err != nil {
		t.Fatal(err)
	}
	// (4 + 16) layer sequences per d_model, 2 d_model, 2 embeddings.
	if want := s.Count().Int64(); int64(len(seen)) != want || want != 80 {
		t.Errorf("enumerated %d, Count %d, want 80", len(seen), want)
	}
}

func TestGPT2CanonicalAndID(t *testing.T) {
	a := Arch{Layers: []Layer{{Hidden: 128, Op: OpCSA, Heads: 2, FF: []int{512}}}, Embed: &AdaptiveEmbedding{Vocab: 50264, DivVal: 2}}
	const canon = `{"layers":[{"hidden":128,"op":"CSA","param":"","heads":2,"ff":[512]}],"embed":{"vocab":50264,"div_val":2}}`
	if got := string(a.Canonical()); got != canon {
		t.Errorf("Canonical = %s", got)
	}
	recs, err := ParseRecords("a.jsonl", []byte(canon+"\n"), mustLoad(t, "gpt2"))
	if err != nil {
		t.Fatal(err)
	}
	if !recs[0].Arch.Equal(a) || recs[0].Arch.ID() != a.ID() {
		t.Errorf("round trip: %s", recs[0].Arch.Canonical())
	}
	b := a.Clone()
	b.Embed.DivVal = 4
	if a.Equal(b) || a.ID() == b.ID() {
		t.Error("the embedding is not part of the identity")
	}
}

func TestReadLTSRecords(t *testing.T) {
	recs := readLTS(t)
	r := recs[0]
	if r.ID != "config_0_j0" || r.Arch.Depth() != 16 || r.Arch.Layers[0].Hidden != 512 || r.Arch.Layers[0].FF[0] != 1624 ||
		r.Arch.Embed.DivVal != 2 || r.Scores["valid_ppl"] != 52.27780055567351 {
		t.Errorf("record 0: %s %s %v", r.ID, r.Arch.Canonical(), r.Scores)
	}
	// Off-grid d_inner are kept as they are.
	if err := mustLoad(t, "gpt2").Validate(r.Arch); err == nil {
		t.Error("d_inner 1624 is off the gpt2 grid but validated")
	}
	// Scalar n_head and d_inner give uniform layers.
	data := `{"key": "k", "model_config": {"n_layer": 3, "d_model": 256, "n_head": 4, "d_inner": 1000, "n_token": 100, "div_val": 1, "d_embed": -1}}`
	rs, err := ParseRecords("s.jsonl", []byte(data), mustLoad(t, "gpt2"))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range rs[0].Arch.Layers {
		if l.Heads != 4 || l.FF[0] != 1000 || l.Hidden != 256 {
			t.Errorf("layer %+v", l)
		}
	}
}

func TestReadLTSRecordsErrors(t *testing.T) {
	s := mustLoad(t, "gpt2")
	good := `"n_layer": 2, "d_model": 256, "n_head": [2, 4], "d_inner": [1000, 1200], "n_token": 1000, "div_val": 2, "d_embed": -1, "cutoffs": [500, 1000]`
	rec := func(mc string) string { return `{"key": "cfg_7", "model_config": {` + mc + `}}` }
	sub := func(old, new string) string { return rec(strings.Replace(good, old, new, 1)) }
	tests := []struct {
		name, data string
		want       []string
	}{
		{"missing model_config", `{"key": "cfg_7", "metrics": {"valid_ppl": 3}}`, []string{"lts.jsonl", "record 0", "missing field", "model_config (an LTS record)"}},
		{"null model_config", `{"key": "cfg_7", "model_config": null}`, []string{"record 0 (id cfg_7)", "model_config=null"}},
		{"missing n_layer", sub(`"n_layer": 2, `, ``), []string{"record 0 (id cfg_7)", "model_config.n_layer=<missing>"}},
		{"n_layer type", sub(`"n_layer": 2`, `"n_layer": "two"`), []string{"model_config.n_layer=\"two\"", "integer"}},
		{"negative n_layer", sub(`"n_layer": 2`, `"n_layer": -2`), []string{"model_config.n_layer=-2"}},
		{"huge n_layer", sub(`"n_layer": 2`, `"n_layer": 100000`), []string{"model_config.n_layer=100000", "from 1 to 256"}},
		{"missing d_model", sub(`"d_model": 256, `, ``), []string{"model_config.d_model=<missing>"}},
		{"negative d_model", sub(`"d_model": 256`, `"d_model": -256`), []string{"model_config.d_model=-256"}},
		{"huge d_model", sub(`"d_model": 256`, `"d_model": 1000000000`), []string{"model_config.d_model=1000000000", "65536"}},
		{"n_head list length", sub(`"n_head": [2, 4]`, `"n_head": [2, 4, 8]`), []string{"model_config.n_head=[2, 4, 8]", "3 values for n_layer 2"}},
		{"d_inner list length", sub(`"d_inner": [1000, 1200]`, `"d_inner": [1000]`), []string{"model_config.d_inner=[1000]", "1 values for n_layer 2"}},
		{"head does not divide", sub(`"n_head": [2, 4]`, `"n_head": [2, 3]`), []string{"layer 1", "n_head=3", "does not divide d_model 256"}},
		{"negative head", sub(`"n_head": [2, 4]`, `"n_head": [2, -4]`), []string{"layer 1", "model_config.n_head=-4", "positive"}},
		{"negative d_inner", sub(`"d_inner": [1000, 1200]`, `"d_inner": [1000, -1200]`), []string{"layer 1", "model_config.d_inner=-1200"}},
		{"scalar d_inner negative", sub(`"d_inner": [1000, 1200]`, `"d_inner": -5`), []string{"model_config.d_inner=-5"}},
		{"huge d_inner", sub(`"d_inner": [1000, 1200]`, `"d_inner": [1000, 100000000]`), []string{"layer 1", "d_inner=100000000", "65536"}},
		{"d_inner type", sub(`"d_inner": [1000, 1200]`, `"d_inner": ["a", 1]`), []string{"model_config.d_inner", "list of integers"}},
		{"missing n_token", sub(`"n_token": 1000, `, ``), []string{"model_config.n_token=<missing>"}},
		{"negative n_token", sub(`"n_token": 1000`, `"n_token": -1000`), []string{"model_config.n_token=-1000"}},
		{"bad div_val", sub(`"div_val": 2`, `"div_val": 0`), []string{"model_config.div_val=0"}},
		{"div_val leaves no width", sub(`"div_val": 2`, `"div_val": 64`) + "", []string{}},
		{"bad d_embed", sub(`"d_embed": -1`, `"d_embed": -7`), []string{"model_config.d_embed=-7"}},
		{"bad cutoffs", sub(`"cutoffs": [500, 1000]`, `"cutoffs": [0, 1000]`), []string{"model_config.cutoffs=[0, 1000]"}},
		{"unknown key", rec(good + `, "n_expert": 4`), []string{"model_config.n_expert=4", "unknown key"}},
		{"attn_type", rec(good + `, "attn_type": 2`), []string{"model_config.attn_type=2", "relative attention"}},
		{"tie_projs", rec(good + `, "tie_projs": [false, true]`), []string{"model_config.tie_projs", "untied"}},
		{"primer", rec(good + `, "primer_conv": true`), []string{"model_config.primer_conv=true"}},
		{"not an object", `[1]`, []string{"record 0", "not a JSON object"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseRecords("lts.jsonl", []byte(tc.data+"\n"), s)
			if tc.name == "div_val leaves no width" {
				// 256 / 64 = 4 for the second cluster: still well formed.
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			var re *RecordError
			if !errors.As(err, &re) {
				t.Errorf("error %T is not a *RecordError", err)
			}
			for _, w := range append([]string{"lts.jsonl"}, tc.want...) {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
	// An LTS record under a FlexiBERT space says which space to use.
	if _, err := ParseRecords("lts.jsonl", []byte(rec(good)), mustLoad(t, "nas-bench-bert")); err == nil || !strings.Contains(err.Error(), "--space gpt2") {
		t.Errorf("LTS record in a FlexiBERT space: %v", err)
	}
}

func TestGPT2SpaceErrors(t *testing.T) {
	base := smallGPT2
	tests := []struct{ name, data, want string }{
		{"grid step", strings.Replace(base, "step: 128", "step: 0", 1), "step 0"},
		{"grid key", strings.Replace(base, "step: 128", "stride: 128", 1), `unknown key "stride"`},
		{"grid huge", strings.Replace(base, "to: 256, step: 128", "to: 100000000, step: 1", 1), "over 65536 values"},
		{"missing n_token", strings.Replace(base, "  n_token: 1000\n", "", 1), "embedding.n_token: missing"},
		{"missing d_model", strings.Replace(base, "  d_model: [64, 128]\n", "", 1), "architecture.d_model: missing"},
		{"huge width", strings.Replace(base, "d_model: [64, 128]", "d_model: [64, 1000000000]", 1), "from 1 to 65536"},
		{"heads", strings.Replace(base, "n_head: [2, 4]", "n_head: [3]", 1), "divides hidden size 64"},
		{"div_val", strings.Replace(base, "div_val: [1, 2]", "div_val: [0]", 1), "div_val=0"},
		{"unknown key", strings.Replace(base, "family: gpt2", "family: gpt2\nlayers: 3", 1), "field layers not found"},
		{"d_embed", strings.Replace(base, "  n_token: 1000", "  n_token: 1000\n  d_embed: [0]", 1), "d_embed: 0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("mine.yaml", []byte(tc.data))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestGPT2ValidateErrors(t *testing.T) {
	s := mustLoad(t, "gpt2")
	good := func() Arch {
		return Arch{Layers: []Layer{{Hidden: 128, Op: OpCSA, Heads: 2, FF: []int{512}}, {Hidden: 128, Op: OpCSA, Heads: 4, FF: []int{576}}},
			Embed: &AdaptiveEmbedding{Vocab: 50264, DivVal: 2}}
	}
	if err := s.Validate(good()); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		edit func(*Arch)
		want string
	}{
		{"no embed", func(a *Arch) { a.Embed = nil }, "embed=<missing>"},
		{"other embed", func(a *Arch) { a.Embed.DivVal = 8 }, "not one of space gpt2's embeddings"},
		{"d_inner off grid", func(a *Arch) { a.Layers[1].FF[0] = 1000 }, "layer 1: d_inner=1000: not in space gpt2's 512..4096 step 64"},
		{"d_model varies", func(a *Arch) { a.Layers[1].Hidden = 192 }, "layer 1: d_model=192"},
		{"heads", func(a *Arch) { a.Layers[0].Heads = 16 }, "layer 0: n_head=16"},
		{"op", func(a *Arch) { a.Layers[0].Op = OpSA }, "layer 0: op=SA"},
		{"depth", func(a *Arch) { a.Layers = a.Layers[:1] }, "n_layer=1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := good()
			tc.edit(&a)
			if err := s.Validate(a); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
	// A GPT-2 architecture is not in a FlexiBERT space.
	if err := mustLoad(t, "nas-bench-bert").Validate(good()); err == nil || !strings.Contains(err.Error(), "embed") {
		t.Errorf("FlexiBERT space accepted a GPT-2 architecture: %v", err)
	}
}

func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
