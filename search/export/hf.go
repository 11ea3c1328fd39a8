package export

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/zeronas/zeronas/search/rundir"
	"github.com/zeronas/zeronas/space"
)

// HFConfig is the Hugging Face style config.json of one architecture. The BERT keys
// (hidden_size, num_attention_heads, intermediate_size) give the first layer's sizes for
// tools that expect a homogeneous model; the model itself is FlexibertLayers, which the
// FlexiBERTConfig lists (attention_type ... ff_dim_list) repeat in the form of Tuli et al.'s
// FlexiBERT code.
type HFConfig struct {
	Architectures         []string `json:"architectures"`
	ModelType             string   `json:"model_type"`
	HiddenSize            int      `json:"hidden_size"`
	NumHiddenLayers       int      `json:"num_hidden_layers"`
	NumAttentionHeads     int      `json:"num_attention_heads"`
	IntermediateSize      int      `json:"intermediate_size"`
	HiddenAct             string   `json:"hidden_act"`
	VocabSize             int      `json:"vocab_size"`
	EmbeddingSize         int      `json:"embedding_size"`
	MaxPositionEmbeddings int      `json:"max_position_embeddings"`
	TypeVocabSize         int      `json:"type_vocab_size"`
	InitializerRange      float64  `json:"initializer_range"`
	LayerNormEps          float64  `json:"layer_norm_eps"`

	// FlexiBERTConfig's per-layer lists: operation ("sa", "l" or "c"), its parameter
	// ("sdp", "wma", "dft", "dct" or the kernel size), hidden sizes, heads and
	// feed-forward widths.
	AttentionType      []string `json:"attention_type"`
	SimilarityList     []any    `json:"similarity_list"`
	HiddenDimList      []int    `json:"hidden_dim_list"`
	AttentionHeadsList []int    `json:"attention_heads_list"`
	FFDimList          [][]int  `json:"ff_dim_list"`

	// FlexibertLayers describes every layer in NAS-Bench-BERT's terms.
	FlexibertLayers []HFLayer `json:"flexibert_layers"`
	// ZeroNAS says where the architecture comes from and what the search found for it.
	ZeroNAS Provenance `json:"zeronas"`
}

// HFLayer is one encoder layer of an HFConfig.
type HFLayer struct {
	HiddenSize         int    `json:"hidden_size"`
	OperationType      string `json:"operation_type"`
	OperationParameter string `json:"operation_parameter"`
	NumOperationHeads  int    `json:"num_operation_heads"`
	// FeedForwardDimensions lists the widths of the feed-forward stack, in order.
	FeedForwardDimensions []int `json:"feed_forward_dimensions"`
}

// Provenance is the zeronas part of an HFConfig.
type Provenance struct {
	ID         string                 `json:"id"`
	Objectives []rundir.ObjectiveSpec `json:"objectives"`
	Values     map[string]float64     `json:"values"`
	// Feasible reports whether the architecture meets the run's budgets; Violation is
	// the sum of its relative excesses over them.
	Feasible  bool    `json:"feasible"`
	Violation float64 `json:"violation"`
	Count     int64   `json:"count,omitempty"`
	// ParamCount is the exact parameter count of the model as configured, embeddings
	// included.
	ParamCount int64           `json:"param_count"`
	Latency    *Measurement    `json:"measured_latency,omitempty"`
	Space      string          `json:"space,omitempty"`
	Strategy   rundir.Strategy `json:"strategy,omitempty"`
	Seed       uint64          `json:"seed"`
	Version    string          `json:"zeronas_version,omitempty"`
}

// flexibertOp returns FlexiBERT's attention_type name of an operation type.
func flexibertOp(op string) string {
	switch op {
	case space.OpLT:
		return "l"
	case space.OpDSC:
		return "c"
	}
	return "sa"
}

// NewHFConfig returns the config.json of m, a member of r's front.
func NewHFConfig(m Member, r *rundir.Run) HFConfig {
	a := m.Arch
	first := a.Layers[0]
	c := HFConfig{
		Architectures: []string{"FlexiBERTModel"}, ModelType: "flexibert",
		HiddenSize: first.Hidden, NumHiddenLayers: a.Depth(), NumAttentionHeads: first.Heads,
		IntermediateSize: first.FF[0], HiddenAct: "gelu",
		VocabSize: space.VocabSize, EmbeddingSize: space.EmbedDim,
		MaxPositionEmbeddings: space.MaxPositions, TypeVocabSize: space.TypeVocab,
		InitializerRange: 0.02, LayerNormEps: 1e-12,
		ZeroNAS: provenance(m, r),
	}
	for _, l := range a.Layers {
		var sim any = strings.ToLower(l.Param)
		if l.Op == space.OpDSC {
			sim = l.Kernel()
		}
		c.AttentionType = append(c.AttentionType, flexibertOp(l.Op))
		c.SimilarityList = append(c.SimilarityList, sim)
		c.HiddenDimList = append(c.HiddenDimList, l.Hidden)
		c.AttentionHeadsList = append(c.AttentionHeadsList, l.Heads)
		c.FFDimList = append(c.FFDimList, l.FF)
		c.FlexibertLayers = append(c.FlexibertLayers, HFLayer{HiddenSize: l.Hidden, OperationType: l.Op,
			OperationParameter: l.Param, NumOperationHeads: l.Heads, FeedForwardDimensions: l.FF})
	}
	return c
}

// folderName names the folder of the i-th of n members: the index, zero-padded to at
// least three digits, and the ID.
func folderName(i, n int, id string) string {
	width := max(3, len(fmt.Sprint(n-1)))
	return fmt.Sprintf("%0*d-%s", width, i, id)
}

// writeHF writes front, r's, as one folder per member, with config.json and arch.json, and
// a README.md, into dir; it stops when ctx is cancelled.
func writeHF(ctx context.Context, dir string, r *rundir.Run, front []Member) error {
	if err := writeSynced(filepath.Join(dir, "README.md"), hfReadme(r, front)); err != nil {
		return err
	}
	for i, m := range front {
		if err := ctx.Err(); err != nil {
			return err
		}
		sub := filepath.Join(dir, folderName(i, len(front), m.ID))
		if err := mkdir(sub); err != nil {
			return err
		}
		files := []struct {
			name string
			v    any
		}{{"config.json", nil}, {"arch.json", m}}
		cfg, err := ConfigOf(m, r)
		if err != nil {
			return fmt.Errorf("%s: %w", sub, err)
		}
		files[0].v = cfg
		for _, f := range files {
			name := f.name
			data, err := indentJSON(f.v)
			if err != nil {
				return fmt.Errorf("encode %s: %w", filepath.Join(sub, name), err)
			}
			if err := writeSynced(filepath.Join(sub, name), data); err != nil {
				return err
			}
		}
	}
	return nil
}

// hfReadme describes an hf export for the person who opens the folder.
func hfReadme(r *rundir.Run, front []Member) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "# Pareto front of %s\n\n", r.Name())
	fmt.Fprintf(&b, "%d untrained FlexiBERT architectures found by zeronas (%s)", len(front), r.Describe())
	if in := r.Infeasible(); in != nil {
		fmt.Fprintf(&b, ".\n\n**None of them meets the run's budgets** (exported with allow infeasible): %v", in)
	}
	b.WriteString(".\nTheir objective values are the search's: a proxy is a zero-cost estimate, not an accuracy.\n\n" +
		"Each folder holds one architecture:\n\n" +
		"- `config.json`: a Hugging Face style configuration (`model_type` \"flexibert\"). The model is the\n" +
		"  per-layer description `flexibert_layers` (repeated as FlexiBERTConfig's `attention_type`,\n" +
		"  `similarity_list`, `hidden_dim_list`, `attention_heads_list` and `ff_dim_list`); `hidden_size`,\n" +
		"  `num_attention_heads` and `intermediate_size` are the first layer's. Embeddings have width\n" +
		"  `embedding_size` and are projected to the first layer's hidden size. Pre-train it, then fine-tune.\n" +
		"- `arch.json`: the canonical architecture, its id and objective values; `zeronas score --arch` reads it.\n\n")
	header := []string{"folder", "depth"}
	for _, o := range r.Objectives() {
		header = append(header, o.Label())
	}
	header = append(header, "feasible")
	b.WriteString("| " + strings.Join(header, " | ") + " |\n|" + strings.Repeat("---|", len(header)) + "\n")
	for i, m := range front {
		row := []string{folderName(i, len(front), m.ID), fmt.Sprint(m.Arch.Depth())}
		for _, o := range r.Objectives() {
			row = append(row, FormatValue(m.Values[o.Name]))
		}
		row = append(row, strconv.FormatBool(m.Feasible))
		b.WriteString("| " + strings.Join(row, " | ") + " |\n")
	}
	return []byte(b.String())
}

// ConfigOf returns the config.json of m, a member of r's front, that the hf format writes:
// an HFConfig for a FlexiBERT encoder, a GPT2Config-compatible object (space.GPT2Config, its
// per-layer lists when the layers differ) with the same "zeronas" provenance for a GPT-2
// decoder.
func ConfigOf(m Member, r *rundir.Run) (any, error) {
	if m.Arch.Embed == nil {
		return NewHFConfig(m, r), nil
	}
	g, err := space.GPT2Config(m.Arch)
	if err != nil {
		return nil, err
	}
	c := make(map[string]any, len(g.Config)+2)
	for k, v := range g.Config {
		c[k] = v
	}
	c["zeronas"] = provenance(m, r)
	if len(g.Notes) > 0 {
		c["zeronas_notes"] = g.Notes
	}
	return c, nil
}

// provenance is what a config says of where its architecture came from.
func provenance(m Member, r *rundir.Run) Provenance {
	return Provenance{ID: m.ID, Objectives: r.Objectives(), Values: m.Values, Feasible: m.Feasible,
		Violation: m.Violation, Count: m.Count, ParamCount: space.Params(m.Arch, space.Faithful), Latency: m.Latency,
		Space: r.Config.Space.Name, Strategy: r.Config.Strategy, Seed: r.Config.Seed, Version: r.Config.Version}
}
