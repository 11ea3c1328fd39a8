package space

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/zeronas/zeronas/internal/input"
)

//go:embed spaces
var builtin embed.FS

// Names lists the built-in spaces, the default first.
func Names() []string {
	return []string{"nas-bench-bert", "flexibert-tiny", "flexibert-small", "flexibert", "gpt2"}
}

// Default is the name of the default space.
const Default = "nas-bench-bert"

// Load is LoadContext without cancellation.
func Load(name string) (*Space, error) { return LoadContext(context.Background(), name) }

// LoadContext returns the built-in space called name, or, when name is not a built-in, the
// space defined by the YAML (FlexiBERT form) or JSON (NAS-Bench-BERT form) file at that
// path, read as input.ReadFile reads (a regular file within the input limit; ctx stops it).
func LoadContext(ctx context.Context, name string) (*Space, error) {
	for _, n := range Names() {
		if n != name {
			continue
		}
		file := "spaces/" + n + ".yaml"
		if n == "nas-bench-bert" {
			file = "spaces/" + n + ".json"
		}
		data, err := builtin.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("space %s: %w", n, err)
		}
		return Parse(n, data)
	}
	data, err := input.ReadFile(ctx, name, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("space %q is neither a built-in (%s) nor a readable file: %w", name, strings.Join(Names(), ", "), err)
	}
	if err != nil {
		return nil, fmt.Errorf("space: %w", err)
	}
	s, err := Parse(name, data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return s, nil
}

// Parse reads a space definition: the NAS-Bench-BERT search-space.json form when data is a
// JSON object with "encoder_layer", the GPT-2 form (gpt2load.go) when it says family: gpt2,
// otherwise the FlexiBERT YAML form.
func Parse(name string, data []byte) (*Space, error) {
	if isGPT2YAML(data) {
		return parseGPT2YAML(name, data)
	}
	var probe map[string]any
	if json.Unmarshal(data, &probe) == nil {
		if _, ok := probe["encoder_layer"]; ok {
			return parseBenchSpace(name, data)
		}
	}
	return parseYAML(name, data)
}

// benchSpace is NAS-Bench-BERT's search-space.json.
type benchSpace struct {
	Hidden []int `json:"hidden_size"`
	Depths []int `json:"num_encoder_layers"`
	Layer  struct {
		Types    []string `json:"operation_type"`
		Heads    []int    `json:"num_operation_heads"`
		FFDim    []int    `json:"feed_forward_dimension"`
		FFCounts []int    `json:"num_feed_forward"`
		SA       []string `json:"SA"`
		LT       []string `json:"LT"`
		DSC      []int    `json:"DSC"`
	} `json:"encoder_layer"`
}

func parseBenchSpace(name string, data []byte) (*Space, error) {
	var b benchSpace
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("space definition: %w", err)
	}
	s := &Space{Name: name, Hidden: b.Hidden, Depths: b.Depths, Heads: b.Layer.Heads,
		FFCounts: b.Layer.FFCounts, FFWidths: b.Layer.FFDim, SharedHidden: true, UniformFF: true}
	seen := map[string]bool{}
	for _, t := range b.Layer.Types {
		if seen[t] {
			return nil, fmt.Errorf("space %s: operation_type: %s is listed twice", name, t)
		}
		seen[t] = true
		switch t {
		case OpSA:
			for _, p := range b.Layer.SA {
				s.Ops = append(s.Ops, OpChoice{OpSA, strings.ToUpper(p)})
			}
		case OpLT:
			for _, p := range b.Layer.LT {
				s.Ops = append(s.Ops, OpChoice{OpLT, strings.ToUpper(p)})
			}
		case OpDSC:
			for _, k := range b.Layer.DSC {
				s.Ops = append(s.Ops, OpChoice{OpDSC, strconv.Itoa(k)})
			}
		default:
			return nil, fmt.Errorf("space definition: operation_type %q: unknown (want SA, LT or DSC)", t)
		}
	}
	if err := s.check(); err != nil {
		return nil, err
	}
	return s, nil
}

// yamlSpace is the FlexiBERT design-space YAML. The two optional keys shared_hidden and
// uniform_feed_forward select NAS-Bench-BERT-style homogeneous layers.
type yamlSpace struct {
	Name         string   `yaml:"name"`
	Datasets     []string `yaml:"datasets"`
	SharedHidden bool     `yaml:"shared_hidden"`
	UniformFF    bool     `yaml:"uniform_feed_forward"`
	Architecture struct {
		Hidden   []int               `yaml:"hidden_size"`
		Heads    []int               `yaml:"num_heads"`
		Depths   []int               `yaml:"encoder_layers"`
		Types    []string            `yaml:"operation_types"`
		FFCounts []int               `yaml:"number_of_feed-forward_stacks"`
		FFWidths []int               `yaml:"feed-forward_hidden"`
		Params   map[string][]string `yaml:"operation_parameters"`
	} `yaml:"architecture"`
}

var yamlOps = map[string]string{"sa": OpSA, "l": OpLT, "c": OpDSC}

// decodeYAML decodes a space definition into v, refusing keys v does not know.
func decodeYAML(data []byte, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("space definition: %w", err)
	}
	return nil
}

func parseYAML(name string, data []byte) (*Space, error) {
	var y yamlSpace
	if err := decodeYAML(data, &y); err != nil {
		return nil, err
	}
	if y.Name != "" {
		name = y.Name
	}
	a := y.Architecture
	s := &Space{Name: name, Hidden: a.Hidden, Depths: a.Depths, Heads: a.Heads,
		FFCounts: a.FFCounts, FFWidths: a.FFWidths, SharedHidden: y.SharedHidden, UniformFF: y.UniformFF}
	seen := map[string]bool{}
	for _, t := range a.Types {
		if seen[strings.ToLower(t)] {
			return nil, fmt.Errorf("space %s: operation_types: %s is listed twice", name, t)
		}
		seen[strings.ToLower(t)] = true
		op, ok := yamlOps[strings.ToLower(t)]
		if !ok {
			return nil, fmt.Errorf("space definition: operation_types: %q unknown (want sa, l or c)", t)
		}
		params := a.Params[strings.ToLower(t)]
		if len(params) == 0 {
			return nil, fmt.Errorf("space definition: operation_parameters.%s: missing", t)
		}
		for _, p := range params {
			s.Ops = append(s.Ops, OpChoice{op, strings.ToUpper(p)})
		}
	}
	if err := s.check(); err != nil {
		return nil, err
	}
	return s, nil
}
