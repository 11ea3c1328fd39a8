package space

import (
	"encoding/json"
	"fmt"
	"slices"
)

// GPT-2 decoders (the space of LiteTransformerSearch, Javaheripi et al. 2022) use the same
// Arch and Layer as FlexiBERT encoders, so that sampling, variation, enumeration, the exact
// programme, the objectives and their memo serve both without a fork:
//
//   - every layer is Layer{Hidden: d_model, Op: OpCSA, Param: "", Heads: n_head,
//     FF: [d_inner]}: one hidden size shared by all layers (SharedHidden), one causal
//     self-attention operation, a one-layer feed-forward block;
//   - the architecture carries its adaptive input embedding and tied adaptive softmax in
//     Arch.Embed (vocabulary, d_embed, div_val, cutoffs), omitted from FlexiBERT's canonical
//     JSON, so FlexiBERT IDs do not change;
//   - a Space of Family GPT2 lists the embeddings a search may choose in Embeds.
//
// The shapes of each build (Faithful: Hugging Face's GPT-2 block; TransformerXL: the model
// that produced the LTS benchmark's labels and parameter columns) are in gpt2shapes.go.

// OpCSA is the operation of a GPT-2 decoder layer: causal multi-head self-attention. It
// has no parameter.
const OpCSA = "CSA"

// FamilyGPT2 is the Family of GPT-2 decoder spaces; FlexiBERT spaces have Family "".
const FamilyGPT2 = "gpt2"

// Limits on GPT-2 embeddings, beside those of space.go.
const (
	MaxVocab   = 1 << 22
	MaxDivVal  = 64
	MaxCutoffs = 16
	// GPT2Positions is the number of learned positions of the Faithful build (GPT2Config's
	// n_positions default).
	GPT2Positions = 1024
)

// AdaptiveEmbedding is a GPT-2 decoder's adaptive input embedding (Baevski and Auli 2019) and its
// adaptive softmax, whose word tables are tied to the embedding's and whose projections are
// not (LTS's tie_weight true, tie_projs false). The vocabulary splits at Cutoffs into
// clusters; cluster i embeds its tokens in DEmbed/DivVal^i dimensions, projected to d_model.
type AdaptiveEmbedding struct {
	// Vocab is the number of tokens (LTS's n_token).
	Vocab int `json:"vocab"`
	// DEmbed is the width of the first cluster; 0 means d_model (LTS's d_embed -1). A fixed
	// width is kept as given even where it equals d_model, so that it stays fixed when a
	// search changes d_model.
	DEmbed int `json:"d_embed,omitempty"`
	// DivVal divides the width from one cluster to the next; 1 is a plain embedding.
	DivVal int `json:"div_val"`
	// Cutoffs are the cluster boundaries below Vocab, ascending. LTS lists boundaries at or
	// above the vocabulary too (its GPT-2 records give 59997, 99997, 639997, 50264 for a
	// vocabulary of 50,264, that is one cluster); the canonical form drops them.
	Cutoffs []int `json:"cutoffs,omitempty"`
}

// Clone returns a deep copy of e (nil for nil).
func (e *AdaptiveEmbedding) Clone() *AdaptiveEmbedding {
	if e == nil {
		return nil
	}
	c := *e
	c.Cutoffs = slices.Clone(e.Cutoffs)
	return &c
}

// Equal reports whether e and o are the same embedding (both nil counts as equal).
func (e *AdaptiveEmbedding) Equal(o *AdaptiveEmbedding) bool {
	if e == nil || o == nil {
		return e == o
	}
	return e.Vocab == o.Vocab && e.DEmbed == o.DEmbed && e.DivVal == o.DivVal && slices.Equal(e.Cutoffs, o.Cutoffs)
}

// Width returns the first cluster's width for a model of width dModel.
func (e *AdaptiveEmbedding) Width(dModel int) int {
	if e.DEmbed > 0 {
		return e.DEmbed
	}
	return dModel
}

// Cluster is one cluster of an adaptive embedding: tokens [From, To) of width Width.
type Cluster struct{ From, To, Width int }

// Clusters returns the clusters of e for a model of width dModel.
func (e *AdaptiveEmbedding) Clusters(dModel int) []Cluster {
	bounds := append(append([]int{0}, e.Cutoffs...), e.Vocab)
	w := e.Width(dModel)
	out := make([]Cluster, 0, len(bounds)-1)
	for i := 0; i+1 < len(bounds); i++ {
		out = append(out, Cluster{bounds[i], bounds[i+1], w})
		w /= max(1, e.DivVal)
	}
	return out
}

// Normalize puts e in canonical form: DEmbed -1 becomes 0 (d_model) and cutoffs at or above
// the vocabulary are dropped, the rest sorted and deduplicated.
func (e *AdaptiveEmbedding) Normalize() {
	if e.DEmbed == -1 {
		e.DEmbed = 0
	}
	var cs []int
	for _, c := range e.Cutoffs {
		if c < e.Vocab {
			cs = append(cs, c)
		}
	}
	slices.Sort(cs)
	e.Cutoffs = slices.Compact(cs)
}

// check reports the first way in which e is not a well-formed embedding for d_model.
func (e *AdaptiveEmbedding) check(dModel int) *InvalidArchError {
	bad := func(field string, v any, reason string) *InvalidArchError {
		return &InvalidArchError{Layer: -1, Field: field, Value: v, Reason: reason}
	}
	switch {
	case e.Vocab <= 0 || e.Vocab > MaxVocab:
		return bad("n_token", e.Vocab, fmt.Sprintf("must be from 1 to %d", MaxVocab))
	case e.DivVal <= 0 || e.DivVal > MaxDivVal:
		return bad("div_val", e.DivVal, fmt.Sprintf("must be from 1 to %d", MaxDivVal))
	case e.DEmbed < 0 || e.DEmbed > MaxWidth:
		return bad("d_embed", e.DEmbed, fmt.Sprintf("must be -1 (d_model) or from 1 to %d", MaxWidth))
	case len(e.Cutoffs) > MaxCutoffs:
		return bad("cutoffs", e.Cutoffs, fmt.Sprintf("at most %d cutoffs below n_token", MaxCutoffs))
	}
	prev := 0
	for _, c := range e.Cutoffs {
		if c <= prev || c >= e.Vocab {
			return bad("cutoffs", e.Cutoffs, fmt.Sprintf("must ascend strictly from 1 to n_token-1 (%d)", e.Vocab-1))
		}
		prev = c
	}
	for i, c := range e.Clusters(dModel) {
		if c.Width < 1 {
			return bad("div_val", e.DivVal, fmt.Sprintf("leaves cluster %d of d_embed %d no width", i, e.Width(dModel)))
		}
	}
	return nil
}

// CheckGPT2 reports the first way in which a is not a well-formed GPT-2 decoder, whatever
// grid it was drawn from: an embedding, at least one layer, every layer a CSA layer of the
// same positive d_model with a head count that divides it and one positive d_inner, all
// within the size limits. Benchmark records are held to this, not to a space's grid: their
// values may lie off it and are scored as they are.
func CheckGPT2(a Arch) error {
	if a.Embed == nil {
		return &InvalidArchError{Layer: -1, Field: "embed", Value: "<missing>", Reason: "a GPT-2 architecture needs its embedding (n_token, div_val, ...)"}
	}
	if len(a.Layers) == 0 || len(a.Layers) > MaxDepth {
		return &InvalidArchError{Layer: -1, Field: "n_layer", Value: len(a.Layers), Reason: fmt.Sprintf("must be from 1 to %d", MaxDepth)}
	}
	d := a.Layers[0].Hidden
	for i, l := range a.Layers {
		bad := func(field string, v any, reason string) error {
			return &InvalidArchError{Layer: i, Field: field, Value: v, Reason: reason}
		}
		switch {
		case l.Op != OpCSA || l.Param != "":
			return bad("op", l.Op+" "+l.Param, "a GPT-2 layer is causal self-attention (op CSA, no parameter)")
		case l.Hidden <= 0 || l.Hidden > MaxWidth:
			return bad("d_model", l.Hidden, fmt.Sprintf("must be from 1 to %d", MaxWidth))
		case l.Hidden != d:
			return bad("d_model", l.Hidden, fmt.Sprintf("every layer shares d_model (layer 0 has %d)", d))
		case l.Heads <= 0 || l.Heads > MaxHeads:
			return bad("n_head", l.Heads, fmt.Sprintf("must be from 1 to %d", MaxHeads))
		case d%l.Heads != 0:
			return bad("n_head", l.Heads, fmt.Sprintf("does not divide d_model %d", d))
		case len(l.FF) != 1:
			return bad("d_inner", l.FF, "a GPT-2 layer has one feed-forward width")
		case l.FF[0] <= 0 || l.FF[0] > MaxWidth:
			return bad("d_inner", l.FF[0], fmt.Sprintf("must be from 1 to %d", MaxWidth))
		}
	}
	if err := a.Embed.check(d); err != nil {
		return err
	}
	return nil
}

// validateGPT2 is Validate for a GPT-2 space: a well-formed decoder on the space's grid.
func (s *Space) validateGPT2(a Arch) error {
	if err := CheckGPT2(a); err != nil {
		return err
	}
	if !slices.Contains(s.Depths, len(a.Layers)) {
		return &InvalidArchError{Layer: -1, Field: "n_layer", Value: len(a.Layers), Reason: fmt.Sprintf("not in %v", s.Depths)}
	}
	for i, l := range a.Layers {
		bad := func(field string, v any, choices []int) error {
			return &InvalidArchError{Layer: i, Field: field, Value: v, Reason: fmt.Sprintf("not in space %s's %s", s.Name, gridString(choices))}
		}
		switch {
		case !slices.Contains(s.Hidden, l.Hidden):
			return bad("d_model", l.Hidden, s.Hidden)
		case !slices.Contains(s.Heads, l.Heads):
			return bad("n_head", l.Heads, s.Heads)
		case !slices.Contains(s.FFWidths, l.FF[0]):
			return bad("d_inner", l.FF[0], s.FFWidths)
		}
	}
	for _, e := range s.Embeds {
		if e.Equal(a.Embed) {
			return nil
		}
	}
	return &InvalidArchError{Layer: -1, Field: "embed", Value: string(mustJSON(a.Embed)), Reason: fmt.Sprintf("not one of space %s's embeddings", s.Name)}
}

// gridString prints a long arithmetic grid as from..to step k, anything else as a list.
func gridString(xs []int) string {
	if len(xs) > 4 {
		step := xs[1] - xs[0]
		arith := true
		for i := 2; i < len(xs); i++ {
			if xs[i]-xs[i-1] != step {
				arith = false
				break
			}
		}
		if arith {
			return fmt.Sprintf("%d..%d step %d", xs[0], xs[len(xs)-1], step)
		}
	}
	return fmt.Sprint(xs)
}

// checkGPT2 validates a GPT-2 space definition.
func (s *Space) checkGPT2() error {
	if len(s.Embeds) == 0 {
		return fmt.Errorf("space %s: embedding: no choices", s.Name)
	}
	if len(s.Ops) != 1 || s.Ops[0] != (OpChoice{OpCSA, ""}) || !slices.Equal(s.FFCounts, []int{1}) || !s.SharedHidden {
		return fmt.Errorf("space %s: a GPT-2 space has CSA layers of one d_inner and a shared d_model", s.Name)
	}
	for _, h := range s.Hidden {
		for i := range s.Embeds {
			if err := s.Embeds[i].check(h); err != nil {
				return fmt.Errorf("space %s: embedding at d_model %d: %v", s.Name, h, err)
			}
		}
	}
	return nil
}

// sampleEmbed returns a copy of one of s's embeddings drawn uniformly, or nil for FlexiBERT
// (drawing nothing from rng, so FlexiBERT's random streams are unchanged).
func (s *Space) sampleEmbed(rng interface{ Intn(int) int }) *AdaptiveEmbedding {
	if len(s.Embeds) == 0 {
		return nil
	}
	return s.Embeds[rng.Intn(len(s.Embeds))].Clone()
}

// mustJSON encodes v, which holds only ints, strings and slices of them.
func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("space: encode: " + err.Error())
	}
	return b
}
