package space

import (
	"errors"
	"fmt"
)

// Conversions of GPT-2 architectures into the configurations other tools read. The run
// directory's exporter (search/export) wires them to `zeronas export --format lts|hf`.

// LTSConfig returns a's model_config in LiteTransformerSearch's form, that of the records
// ParseRecords reads (so LTS tooling reads it, and zeronas reads it back to the same
// architecture): per-layer n_head and d_inner lists, d_embed -1 for d_model, the cutoffs
// below the vocabulary followed by n_token, and the settings the transformer-xl build
// models (relative attention, tied word tables, untied projections).
func LTSConfig(a Arch) (map[string]any, error) {
	if err := CheckGPT2(a); err != nil {
		return nil, fmt.Errorf("lts config: %w", err)
	}
	heads, inner := make([]int, len(a.Layers)), make([]int, len(a.Layers))
	for i, l := range a.Layers {
		heads[i], inner[i] = l.Heads, l.FF[0]
	}
	e := a.Embed
	dEmbed := e.DEmbed
	if dEmbed == 0 {
		dEmbed = -1
	}
	cutoffs := append(append([]int{}, e.Cutoffs...), e.Vocab)
	return map[string]any{
		"n_layer": len(a.Layers), "d_model": a.Layers[0].Hidden, "n_head": heads, "d_inner": inner,
		"d_embed": dEmbed, "div_val": e.DivVal, "cutoffs": cutoffs, "n_token": e.Vocab,
		"adaptive": true, "attn_type": 0, "d_head": -1, "tie_weight": true, "tie_projs": make([]bool, len(cutoffs)),
		"primer_conv": false, "primer_square": false,
	}, nil
}

// HFConfig is a GPT2Config-compatible config.json for a GPT-2 architecture.
type HFConfig struct {
	// Config is the config.json object.
	Config map[string]any
	// Uniform reports every layer with the same n_head and d_inner: Config is then a stock
	// GPT2Config (n_head and n_inner integers). Otherwise n_head and n_inner are per-layer
	// lists, the convention of per-layer GPT-2 implementations (archai's GPT2Flex), which
	// stock transformers does not read.
	Uniform bool
	// Notes say what the config cannot express, for the exporter to print.
	Notes []string
}

// ErrNotGPT2 is returned when a FlexiBERT architecture is given a GPT-2 conversion.
var ErrNotGPT2 = errors.New("not a GPT-2 architecture")

// GPT2Config returns a as a GPT2Config-compatible config (the faithful build: Hugging
// Face's GPT-2 block, GPT2Positions learned positions). An adaptive embedding (div_val above
// 1, a d_embed of its own or cutoffs) has no GPT2Config field: its settings are kept under
// archai's names (adaptive, div_val, d_embed, cutoffs) and a note says so.
func GPT2Config(a Arch) (HFConfig, error) {
	if a.Embed == nil {
		return HFConfig{}, ErrNotGPT2
	}
	if err := CheckGPT2(a); err != nil {
		return HFConfig{}, fmt.Errorf("hf config: %w", err)
	}
	d := a.Layers[0].Hidden
	heads, inner := make([]int, len(a.Layers)), make([]int, len(a.Layers))
	uniform := true
	for i, l := range a.Layers {
		heads[i], inner[i] = l.Heads, l.FF[0]
		uniform = uniform && l.Heads == heads[0] && l.FF[0] == inner[0]
	}
	c := map[string]any{
		"model_type": "gpt2", "architectures": []string{"GPT2LMHeadModel"},
		"vocab_size": a.Embed.Vocab, "n_positions": GPT2Positions, "n_embd": d, "n_layer": len(a.Layers),
		"activation_function": "gelu_new", "layer_norm_epsilon": 1e-5, "initializer_range": 0.02,
		"resid_pdrop": 0.1, "embd_pdrop": 0.1, "attn_pdrop": 0.1, "tie_word_embeddings": true,
	}
	out := HFConfig{Config: c, Uniform: uniform}
	if uniform {
		c["n_head"], c["n_inner"] = heads[0], inner[0]
	} else {
		c["n_head"], c["n_inner"] = heads, inner
		out.Notes = append(out.Notes, "layers differ in n_head or d_inner: n_head and n_inner are per-layer lists, which stock GPT2Config does not read")
	}
	if e := a.Embed; e.DivVal != 1 || e.Width(d) != d || len(e.Cutoffs) > 0 {
		c["adaptive"], c["div_val"], c["d_embed"], c["cutoffs"] = true, e.DivVal, e.Width(d), append([]int{}, e.Cutoffs...)
		out.Notes = append(out.Notes, fmt.Sprintf("adaptive embedding (div_val %d, d_embed %d, cutoffs %v) kept under archai's keys; stock GPT2Config builds a plain %d x %d embedding instead", e.DivVal, e.Width(d), e.Cutoffs, e.Vocab, d))
	}
	return out, nil
}
