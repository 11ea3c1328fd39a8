package space

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// LiteTransformerSearch records (microsoft/archai) are JSON objects with a model_config (the
// model_config.yaml LTS trains from), metrics (valid_ppl, test_ppl, ...) and params (AdaEmb,
// Attn, FFN, nonembedding, total, as LTS counted them):
//
//	{"key": "config_0_j0", "model_config": {"n_layer": 16, "d_model": 512,
//	 "n_head": [4, ...], "d_inner": [1624, ...], "d_embed": -1, "div_val": 2,
//	 "cutoffs": [59997, 99997, 639997, 50264], "n_token": 50264, ...},
//	 "metrics": {"valid_ppl": 52.28, ...}, "params": {"Attn": 20987904, ...}}
//
// n_head and d_inner are a list of n_layer values or one value for every layer. The values
// are held to CheckGPT2, not to a space's grid: a benchmark's d_inner are arbitrary integers
// and are scored as they are.

// ltsKeys are the model_config keys the reader knows; a key outside them is refused, since
// it may change the network. The value of those that shape the network is checked.
var ltsKeys = map[string]bool{
	"n_layer": true, "d_model": true, "n_head": true, "d_inner": true, "d_embed": true, "div_val": true,
	"cutoffs": true, "n_token": true, "adaptive": true, "attn_type": true, "d_head": true, "tie_weight": true,
	"tie_projs": true, "primer_conv": true, "primer_square": true,
	// Training and inference settings that do not change the weights.
	"pre_lnorm": true, "clamp_len": true, "dropatt": true, "dropout": true, "dtype": true, "ext_len": true,
	"mem_len": true, "tgt_len": true, "same_length": true, "sample_softmax": true, "proj_init_std": true,
	"use_cache": true, "weight_init_range": true, "weight_init_std": true, "weight_init_type": true,
}

// IsLTSRecord reports whether raw is a JSON object with a model_config: an LTS record.
func IsLTSRecord(raw []byte) bool {
	var probe struct {
		MC json.RawMessage `json:"model_config"`
	}
	return json.Unmarshal(raw, &probe) == nil && len(probe.MC) > 0
}

// IsLTSFile reports whether the file data holds LTS records, judged by its first record.
func IsLTSFile(data []byte) bool {
	raws, err := splitRecords("", data)
	return err == nil && len(raws) > 0 && IsLTSRecord(raws[0])
}

// ltsRecord is the part of an LTS record the reader uses.
type ltsRecord struct {
	Key         *string                    `json:"key"`
	ModelConfig map[string]json.RawMessage `json:"model_config"`
	Metrics     map[string]float64         `json:"metrics"`
	Params      map[string]float64         `json:"params"`
}

// parseLTS reads one LTS record into r.
func parseLTS(raw json.RawMessage, r *Record) error {
	var lr ltsRecord
	if err := json.Unmarshal(raw, &lr); err != nil {
		return fmt.Errorf("LTS record: %w", err)
	}
	if lr.Key != nil {
		r.ID = *lr.Key
	}
	if lr.ModelConfig == nil {
		return &InvalidArchError{Layer: -1, Field: "model_config", Value: "null", Reason: "want an object"}
	}
	a, err := ltsArch(lr.ModelConfig)
	if err != nil {
		return err
	}
	r.Arch, r.Scores, r.Reported = a, lr.Metrics, lr.Params
	return nil
}

// ltsArch converts an LTS model_config into a GPT-2 architecture.
func ltsArch(mc map[string]json.RawMessage) (Arch, error) {
	keys := make([]string, 0, len(mc))
	for k := range mc {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !ltsKeys[k] {
			return Arch{}, &InvalidArchError{Layer: -1, Field: "model_config." + k, Value: string(mc[k]), Reason: "unknown key (it may change the network)"}
		}
	}
	intField := func(k string, def *int) (int, error) {
		raw, ok := mc[k]
		if !ok || string(raw) == "null" {
			if def != nil {
				return *def, nil
			}
			return 0, &InvalidArchError{Layer: -1, Field: "model_config." + k, Value: "<missing>", Reason: "required"}
		}
		var v int
		if err := json.Unmarshal(raw, &v); err != nil {
			return 0, &InvalidArchError{Layer: -1, Field: "model_config." + k, Value: string(raw), Reason: "want an integer"}
		}
		return v, nil
	}
	n, err := intField("n_layer", nil)
	if err != nil {
		return Arch{}, err
	}
	if n <= 0 || n > MaxDepth {
		return Arch{}, &InvalidArchError{Layer: -1, Field: "model_config.n_layer", Value: n, Reason: fmt.Sprintf("must be from 1 to %d", MaxDepth)}
	}
	d, err := intField("d_model", nil)
	if err != nil {
		return Arch{}, err
	}
	heads, err := perLayer(mc, "n_head", n)
	if err != nil {
		return Arch{}, err
	}
	inner, err := perLayer(mc, "d_inner", n)
	if err != nil {
		return Arch{}, err
	}
	minus1, one := -1, 1
	var e AdaptiveEmbedding
	if e.Vocab, err = intField("n_token", nil); err != nil {
		return Arch{}, err
	}
	if e.DEmbed, err = intField("d_embed", &minus1); err != nil {
		return Arch{}, err
	}
	if e.DivVal, err = intField("div_val", &one); err != nil {
		return Arch{}, err
	}
	if e.DEmbed < -1 || e.DEmbed == 0 {
		return Arch{}, &InvalidArchError{Layer: -1, Field: "model_config.d_embed", Value: e.DEmbed, Reason: "must be -1 (d_model) or positive"}
	}
	if raw, ok := mc["cutoffs"]; ok && string(raw) != "null" {
		if err := json.Unmarshal(raw, &e.Cutoffs); err != nil {
			return Arch{}, &InvalidArchError{Layer: -1, Field: "model_config.cutoffs", Value: string(raw), Reason: "want a list of integers"}
		}
		for _, c := range e.Cutoffs {
			if c <= 0 {
				return Arch{}, &InvalidArchError{Layer: -1, Field: "model_config.cutoffs", Value: string(raw), Reason: "cutoffs must be positive"}
			}
		}
	}
	if err := ltsSupported(mc, e.DivVal); err != nil {
		return Arch{}, err
	}
	e.Normalize()
	a := Arch{Layers: make([]Layer, n), Embed: &e}
	for i := range a.Layers {
		a.Layers[i] = Layer{Hidden: d, Op: OpCSA, Heads: heads[i], FF: []int{inner[i]}}
	}
	if d <= 0 || d > MaxWidth {
		return a, &InvalidArchError{Layer: -1, Field: "model_config.d_model", Value: d, Reason: fmt.Sprintf("must be from 1 to %d", MaxWidth)}
	}
	if err := CheckGPT2(a); err != nil {
		if ie, ok := err.(*InvalidArchError); ok && !strings.HasPrefix(ie.Field, "model_config.") {
			ie.Field = "model_config." + ie.Field
		}
		return a, err
	}
	return a, nil
}

// perLayer reads a per-layer setting: a list of n integers or one integer for every layer.
func perLayer(mc map[string]json.RawMessage, k string, n int) ([]int, error) {
	raw, ok := mc[k]
	field := "model_config." + k
	if !ok || string(raw) == "null" {
		return nil, &InvalidArchError{Layer: -1, Field: field, Value: "<missing>", Reason: "required"}
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '[' {
		var xs []int
		if err := json.Unmarshal(raw, &xs); err != nil {
			return nil, &InvalidArchError{Layer: -1, Field: field, Value: string(raw), Reason: "want a list of integers"}
		}
		if len(xs) != n {
			return nil, &InvalidArchError{Layer: -1, Field: field, Value: string(raw), Reason: fmt.Sprintf("has %d values for n_layer %d", len(xs), n)}
		}
		for i, x := range xs {
			if x <= 0 {
				return nil, &InvalidArchError{Layer: i, Field: field, Value: x, Reason: "must be positive"}
			}
		}
		return xs, nil
	}
	var x int
	if err := json.Unmarshal(raw, &x); err != nil {
		return nil, &InvalidArchError{Layer: -1, Field: field, Value: string(raw), Reason: "want an integer or a list of n_layer integers"}
	}
	if x <= 0 {
		return nil, &InvalidArchError{Layer: -1, Field: field, Value: x, Reason: "must be positive"}
	}
	xs := make([]int, n)
	for i := range xs {
		xs[i] = x
	}
	return xs, nil
}

// ltsSupported refuses settings that change the weights in a way the GPT-2 builds do not
// model: Transformer-XL relative attention (attn_type 0) with the default head width, tied
// softmax word tables, untied softmax projections, no Primer convolution or squared ReLU.
func ltsSupported(mc map[string]json.RawMessage, divVal int) error {
	want := func(k, allowed, why string) error {
		raw, ok := mc[k]
		if !ok || string(raw) == "null" {
			return nil
		}
		for _, a := range strings.Split(allowed, "|") {
			if string(bytes.TrimSpace(raw)) == a {
				return nil
			}
		}
		return &InvalidArchError{Layer: -1, Field: "model_config." + k, Value: string(raw), Reason: why}
	}
	if err := want("attn_type", "0", "only attn_type 0 (relative attention) is modelled"); err != nil {
		return err
	}
	if err := want("d_head", "-1", "only d_head -1 (d_model / n_head) is modelled"); err != nil {
		return err
	}
	if err := want("tie_weight", "true", "only tied softmax word tables (tie_weight true) are modelled"); err != nil {
		return err
	}
	if err := want("primer_conv", "false", "the Primer convolution is not modelled"); err != nil {
		return err
	}
	if err := want("primer_square", "false", "the Primer squared ReLU is not modelled"); err != nil {
		return err
	}
	if divVal != 1 {
		if err := want("adaptive", "true", "div_val above 1 needs adaptive true"); err != nil {
			return err
		}
	}
	if raw, ok := mc["tie_projs"]; ok && string(raw) != "null" {
		var ts []bool
		if err := json.Unmarshal(raw, &ts); err != nil {
			return &InvalidArchError{Layer: -1, Field: "model_config.tie_projs", Value: string(raw), Reason: "want a list of booleans"}
		}
		for _, t := range ts {
			if t {
				return &InvalidArchError{Layer: -1, Field: "model_config.tie_projs", Value: string(raw), Reason: "only untied softmax projections (all false) are modelled"}
			}
		}
	}
	return nil
}
