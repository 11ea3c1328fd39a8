package space

import (
	"errors"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// gpt2YAML is a GPT-2 space definition. Each size is a list of choices or a grid
// {from, to, step}; step defaults to 1.
//
//	name: my-gpt2
//	family: gpt2
//	architecture:
//	  n_layer: {from: 2, to: 16}
//	  d_model: {from: 128, to: 1024, step: 64}
//	  n_head: [2, 4, 8]
//	  d_inner: {from: 512, to: 4096, step: 64}
//	embedding:
//	  n_token: 50264
//	  d_embed: [-1]          # -1: d_model
//	  div_val: [1, 2, 4]
//	  cutoffs: [59997, 99997, 639997, 50264]
type gpt2YAML struct {
	Name         string `yaml:"name"`
	Family       string `yaml:"family"`
	Architecture struct {
		Layers intGrid `yaml:"n_layer"`
		DModel intGrid `yaml:"d_model"`
		Heads  intGrid `yaml:"n_head"`
		DInner intGrid `yaml:"d_inner"`
	} `yaml:"architecture"`
	Embedding struct {
		Vocab   int     `yaml:"n_token"`
		DEmbed  intGrid `yaml:"d_embed"`
		DivVal  intGrid `yaml:"div_val"`
		Cutoffs []int   `yaml:"cutoffs"`
	} `yaml:"embedding"`
}

// maxGrid bounds the number of values of one grid, so that a typo is an error, not an
// allocation.
const maxGrid = MaxWidth

// intGrid is a list of integers or {from, to, step}.
type intGrid []int

// UnmarshalYAML reads a list, a single integer or a {from, to, step} mapping.
func (g *intGrid) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.SequenceNode:
		var xs []int
		if err := n.Decode(&xs); err != nil {
			return err
		}
		*g = xs
		return nil
	case yaml.ScalarNode:
		var x int
		if err := n.Decode(&x); err != nil {
			return err
		}
		*g = []int{x}
		return nil
	case yaml.MappingNode:
		var r struct {
			From *int `yaml:"from"`
			To   *int `yaml:"to"`
			Step *int `yaml:"step"`
		}
		dec := n
		if err := dec.Decode(&r); err != nil {
			return err
		}
		for i := 0; i < len(n.Content); i += 2 {
			if k := n.Content[i].Value; k != "from" && k != "to" && k != "step" {
				return fmt.Errorf("line %d: unknown key %q in a grid (want from, to, step)", n.Content[i].Line, k)
			}
		}
		if r.From == nil || r.To == nil {
			return fmt.Errorf("line %d: a grid needs from and to", n.Line)
		}
		step := 1
		if r.Step != nil {
			step = *r.Step
		}
		if step <= 0 || *r.To < *r.From {
			return fmt.Errorf("line %d: grid from %d to %d step %d: need from <= to and step > 0", n.Line, *r.From, *r.To, step)
		}
		if (*r.To-*r.From)/step+1 > maxGrid {
			return fmt.Errorf("line %d: grid from %d to %d step %d has over %d values", n.Line, *r.From, *r.To, step, maxGrid)
		}
		var xs []int
		for x := *r.From; x <= *r.To; x += step {
			xs = append(xs, x)
		}
		*g = xs
		return nil
	}
	return fmt.Errorf("line %d: want a list, an integer or {from, to, step}", n.Line)
}

// isGPT2YAML reports whether data is a space definition with family: gpt2.
func isGPT2YAML(data []byte) bool {
	var probe struct {
		Family string `yaml:"family"`
	}
	return yaml.Unmarshal(data, &probe) == nil && strings.EqualFold(probe.Family, FamilyGPT2)
}

func parseGPT2YAML(name string, data []byte) (*Space, error) {
	var y gpt2YAML
	if err := decodeYAML(data, &y); err != nil {
		return nil, err
	}
	if y.Name != "" {
		name = y.Name
	}
	a, e := y.Architecture, y.Embedding
	for _, c := range []struct {
		field string
		v     intGrid
	}{{"architecture.n_layer", a.Layers}, {"architecture.d_model", a.DModel}, {"architecture.n_head", a.Heads},
		{"architecture.d_inner", a.DInner}, {"embedding.div_val", e.DivVal}} {
		if len(c.v) == 0 {
			return nil, fmt.Errorf("space %s: %s: missing", name, c.field)
		}
	}
	if e.Vocab == 0 {
		return nil, errors.New("space " + name + ": embedding.n_token: missing")
	}
	dEmbed := e.DEmbed
	if len(dEmbed) == 0 {
		dEmbed = intGrid{-1}
	}
	s := &Space{Name: name, Family: FamilyGPT2, Depths: a.Layers, Hidden: a.DModel, Heads: a.Heads,
		Ops: []OpChoice{{OpCSA, ""}}, FFCounts: []int{1}, FFWidths: a.DInner, SharedHidden: true, UniformFF: true}
	for _, de := range dEmbed {
		if de < -1 || de == 0 {
			return nil, fmt.Errorf("space %s: embedding.d_embed: %d must be -1 (d_model) or positive", name, de)
		}
		for _, dv := range e.DivVal {
			emb := AdaptiveEmbedding{Vocab: e.Vocab, DEmbed: de, DivVal: dv, Cutoffs: append([]int(nil), e.Cutoffs...)}
			emb.Normalize()
			s.Embeds = append(s.Embeds, emb)
		}
	}
	if err := s.check(); err != nil {
		return nil, err
	}
	return s, nil
}
