// Package pytorch exports zeronas architectures as PyTorch models: zeronas_models.py, one
// self-contained module (torch only, 1.13 or later) implementing every operation of
// zeronas's spaces exactly as space.Tensors shapes them and objectives/latency computes them
// (FlexiBERT's builds, and GPT-2's faithful build with its adaptive embedding and softmax);
// beside it one folder per architecture with its config.json and, optionally, its initial
// weights as model.safetensors.
//
//	from zeronas_models import build, load_safetensors
//	model = build("D/000-9e16b0efd971857e/config.json")
//	model.load_state_dict(load_safetensors("D/000-9e16b0efd971857e/model.safetensors"), strict=True)
//	hidden = model(input_ids)
//
// The state-dict names are zeronas's tensor names (space.Tensor.FullName) followed by
// ".weight" or ".bias"; the weights are those of proxy.ZeroLM.Weights, so that the attention
// and feed-forward matrices are exactly what ZeroLM's sampled mode scores for the seed, build
// and init. The safetensors header's __metadata__ names each tensor's role (attention, ffn,
// embedding, other): ZeroLM sums its statistic over the 2-D tensors of roles attention and
// ffn, so any tool can recompute it from the file alone.
//
// GPT-2's transformer-xl build is refused (ErrTransformerXL): its relative attention is
// implemented neither in the module nor in zeronas's Go forward pass, so nothing could check
// an export of it.
//
// The package takes architectures, not a run directory: search/export wires it into
// 'zeronas export --format pytorch'.
package pytorch

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/zeronas/zeronas/internal/atomicfile"
	"github.com/zeronas/zeronas/proxy"
	"github.com/zeronas/zeronas/space"
)

// Files of an export.
const (
	ModuleFile  = "zeronas_models.py"
	ConfigFile  = "config.json"
	WeightsFile = "model.safetensors"
)

// Format is the config.json format the module reads.
const Format = "zeronas-pytorch/1"

// LayerNormEps is the LayerNorm epsilon of every model: BERT's, and that of zeronas's Go
// forward pass for GPT-2 too (Hugging Face's GPT-2 uses 1e-5; the config says which).
const LayerNormEps = 1e-12

// Activation is the GELU of GPT-2 exports: the exact (erf) form of zeronas's Go forward
// pass. The module also runs "gelu_new", Hugging Face's GPT-2 default (tanh form).
const Activation = "gelu"

//go:embed zeronas_models.py
var module []byte

// Module returns the source of zeronas_models.py.
func Module() []byte { return append([]byte(nil), module...) }

// RoleName returns the name of role r in configs and safetensors metadata.
func RoleName(r space.Role) string {
	return [...]string{"attention", "ffn", "embedding", "other"}[r]
}

// Config is an architecture's config.json: what build() in the module reads (format,
// family, the embedding sizes and the layers as the build instantiates them) and what
// zeronas knows of it.
type Config struct {
	Format                string      `json:"format"`
	Family                string      `json:"family"`
	ID                    string      `json:"id"`
	Build                 space.Build `json:"build"`
	VocabSize             int         `json:"vocab_size"`
	EmbeddingSize         int         `json:"embedding_size"`
	MaxPositionEmbeddings int         `json:"max_position_embeddings"`
	TypeVocabSize         int         `json:"type_vocab_size,omitempty"`
	LayerNormEps          float64     `json:"layer_norm_eps"`
	// Activation is the feed-forward activation of a GPT-2 decoder (see Activation).
	Activation string        `json:"activation,omitempty"`
	Layers     []space.Layer `json:"layers"`
	// Embed is a GPT-2 decoder's adaptive embedding (vocab, d_embed, div_val, cutoffs).
	Embed *space.AdaptiveEmbedding `json:"embed,omitempty"`
	// Arch is the architecture as searched; Layers differ from it in the legacy and
	// as-trained builds.
	Arch space.Arch `json:"arch"`
	// Space names the space the architecture comes from, if known.
	Space string `json:"space,omitempty"`
	// Params counts the parameters by role, and in total.
	Params map[string]int64 `json:"params"`
	// Weights describes model.safetensors when the export has one.
	Weights *WeightsInfo `json:"weights,omitempty"`
}

// WeightsInfo says where a model's initial weights come from.
type WeightsInfo struct {
	File string     `json:"file"`
	Init proxy.Init `json:"init"`
	Seed uint64     `json:"seed"`
	Note string     `json:"note"`
}

// NewConfig returns the config of a in build b.
func NewConfig(a space.Arch, b space.Build, spaceName string) Config {
	c := Config{Format: Format, Family: "flexibert", ID: a.ID(), Build: b,
		VocabSize: space.VocabSize, EmbeddingSize: space.EmbedDim, MaxPositionEmbeddings: space.MaxPositions,
		TypeVocabSize: space.TypeVocab, LayerNormEps: LayerNormEps, Arch: a.Clone(), Space: spaceName,
		Params: map[string]int64{}}
	if a.Embed != nil {
		c.Family, c.VocabSize, c.EmbeddingSize = "gpt2", a.Embed.Vocab, a.Embed.Width(a.Layers[0].Hidden)
		c.MaxPositionEmbeddings, c.TypeVocabSize, c.Activation = space.GPT2Positions, 0, Activation
		c.Embed = a.Embed.Clone()
	}
	for _, l := range a.Layers {
		c.Layers = append(c.Layers, space.BuiltLayer(l, b))
	}
	for _, t := range space.Tensors(a, b) {
		c.Params[RoleName(t.Role)] += t.Params()
		c.Params["total"] += t.Params()
	}
	return c
}

// Options say what Write exports.
type Options struct {
	// Space names the architectures' space, recorded in each config.
	Space string
	// Settings give the build of the models and, for the weights, the init and seed.
	Settings proxy.Settings
	// Weights adds each model's initial weights as model.safetensors.
	Weights bool
}

// DirName names the folder of the i-th architecture: its index and ID, "000-9e16b0efd971857e".
func DirName(i int, a space.Arch) string { return fmt.Sprintf("%03d-%s", i, a.ID()) }

// ErrTransformerXL reports an export in GPT-2's transformer-xl build.
var ErrTransformerXL = errors.New("the transformer-xl build (Transformer-XL relative attention with r_w/r_r biases and relative " +
	"positions, as LTS trained it) is implemented neither in zeronas_models.py nor in zeronas's Go forward pass, so its export " +
	"could not be checked; search with --build faithful (Hugging Face's GPT-2 block) to export PyTorch models, or export " +
	"this run with --format lts or hf")

// Write writes the module and one folder per architecture (see DirName) into dir, which it
// creates if needed. Files are written atomically; a caller wanting the whole export to
// appear at once writes into a temporary folder and renames it.
func Write(dir string, archs []space.Arch, o Options) error {
	if len(archs) == 0 {
		return fmt.Errorf("pytorch export: no architectures")
	}
	if o.Settings.Build == space.TransformerXL {
		return fmt.Errorf("pytorch export: %w", ErrTransformerXL)
	}
	for i, a := range archs {
		if a.Embed == nil {
			continue
		}
		if o.Settings.Build != space.Faithful {
			return fmt.Errorf("pytorch export: architecture %d (%s): build %s does not apply to a GPT-2 decoder (want faithful)", i, a.ID(), o.Settings.Build)
		}
		if err := space.CheckGPT2(a); err != nil {
			return fmt.Errorf("pytorch export: architecture %d (%s): %w", i, a.ID(), err)
		}
	}
	var z *proxy.ZeroLM
	if o.Weights {
		var err error
		if z, err = proxy.NewZeroLM(o.Settings); err != nil {
			return fmt.Errorf("pytorch export: %w", err)
		}
	}
	if err := atomicfile.Write(filepath.Join(dir, ModuleFile), module); err != nil {
		return err
	}
	for i, a := range archs {
		if len(a.Layers) == 0 {
			return fmt.Errorf("pytorch export: architecture %d: no layers", i)
		}
		sub := filepath.Join(dir, DirName(i, a))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			return fmt.Errorf("pytorch export: %w", err)
		}
		c := NewConfig(a, o.Settings.Build, o.Space)
		if z != nil {
			c.Weights = &WeightsInfo{File: WeightsFile, Init: o.Settings.Init, Seed: o.Settings.Seed, Note: WeightsNote}
			path := filepath.Join(sub, WeightsFile)
			if err := atomicfile.WriteWith(path, func(w io.Writer) error { return WriteWeights(w, z, a) }, os.Rename); err != nil {
				return err
			}
		}
		js, err := json.MarshalIndent(c, "", "  ")
		if err != nil {
			return err
		}
		if err := atomicfile.Write(filepath.Join(sub, ConfigFile), append(js, '\n')); err != nil {
			return err
		}
	}
	return nil
}
