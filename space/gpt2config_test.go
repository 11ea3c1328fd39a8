package space

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestLTSConfigRoundTrip: every shipped record, written as an LTS model_config and read
// back, is the same architecture, and the written config matches the record's own fields.
func TestLTSConfigRoundTrip(t *testing.T) {
	sp := mustLoad(t, "gpt2")
	raw := strings.Split(strings.TrimSpace(string(mustRead(t, ltsFile))), "\n")
	for i, r := range readLTS(t) {
		mc, err := LTSConfig(r.Arch)
		if err != nil {
			t.Fatal(err)
		}
		line, _ := json.Marshal(map[string]any{"key": r.ID, "model_config": mc})
		back, err := ParseRecords("back.jsonl", line, sp)
		if err != nil {
			t.Fatal(err)
		}
		if !back[0].Arch.Equal(r.Arch) {
			t.Fatalf("record %s: %s read back as %s", r.ID, r.Arch.Canonical(), back[0].Arch.Canonical())
		}
		var orig struct {
			MC map[string]json.RawMessage `json:"model_config"`
		}
		if err := json.Unmarshal([]byte(raw[i]), &orig); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"n_layer", "d_model", "n_head", "d_inner", "d_embed", "div_val", "n_token", "attn_type", "d_head", "tie_weight", "adaptive"} {
			got, _ := json.Marshal(mc[k])
			var a, b any
			json.Unmarshal(got, &a)
			json.Unmarshal(orig.MC[k], &b)
			if ga, _ := json.Marshal(a); string(ga) != string(mustJSON(b)) {
				t.Fatalf("record %s: %s = %s, the record has %s", r.ID, k, got, orig.MC[k])
			}
		}
	}
}

func TestGPT2Config(t *testing.T) {
	uniform := Arch{Embed: &AdaptiveEmbedding{Vocab: 50257, DivVal: 1}}
	for i := 0; i < 12; i++ {
		uniform.Layers = append(uniform.Layers, Layer{Hidden: 768, Op: OpCSA, Heads: 12, FF: []int{3072}})
	}
	c, err := GPT2Config(uniform)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Uniform || len(c.Notes) != 0 || c.Config["n_head"] != 12 || c.Config["n_inner"] != 3072 || c.Config["n_embd"] != 768 ||
		c.Config["n_layer"] != 12 || c.Config["vocab_size"] != 50257 || c.Config["adaptive"] != nil {
		t.Errorf("uniform config %+v", c)
	}
	mixed := uniform.Clone()
	mixed.Layers[3].Heads, mixed.Layers[5].FF[0] = 8, 1000
	mixed.Embed.DivVal = 2
	c, err = GPT2Config(mixed)
	if err != nil {
		t.Fatal(err)
	}
	heads, _ := c.Config["n_head"].([]int)
	inner, _ := c.Config["n_inner"].([]int)
	if c.Uniform || len(heads) != 12 || heads[3] != 8 || inner[5] != 1000 || c.Config["div_val"] != 2 || len(c.Notes) != 2 {
		t.Errorf("per-layer config %+v", c)
	}
	if _, err := GPT2Config(Arch{Layers: []Layer{{Hidden: 128, Op: OpSA, Param: "SDP", Heads: 2, FF: []int{512}}}}); err != ErrNotGPT2 {
		t.Errorf("FlexiBERT architecture: %v", err)
	}
	if _, err := LTSConfig(Arch{Layers: []Layer{{Hidden: 128, Op: OpSA, Param: "SDP", Heads: 2, FF: []int{512}}}}); err == nil {
		t.Error("LTS config of a FlexiBERT architecture")
	}
}
