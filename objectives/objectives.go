// Package objectives declares what a search optimises: named objectives with a sense
// (minimise or maximise), how each splits into per-layer terms when it does, and the
// constraints (parameter and latency budgets) that make an architecture infeasible.
package objectives

import (
	"fmt"
	"slices"
	"strings"

	"github.com/zeronas/zeronas/proxy"
	"github.com/zeronas/zeronas/space"
)

// Sense says whether an objective is minimised or maximised.
type Sense string

// Senses.
const (
	Min Sense = "min"
	Max Sense = "max"
)

// Minimised returns v as a value to minimise: negated for a maximised objective.
func (s Sense) Minimised(v float64) float64 {
	if s == Max {
		return -v
	}
	return v
}

// Natural is the inverse of Minimised.
func (s Sense) Natural(minimised float64) float64 { return s.Minimised(minimised) }

// Terms splits a value over an architecture: the embeddings (by the first layer's hidden
// size and, for a GPT-2 decoder, its adaptive embedding; e is nil for FlexiBERT), each
// layer, and each projection between consecutive layers of different hidden size. The value
// of an architecture is the sum of its terms.
type Terms interface {
	Embedding(hidden int, e *space.AdaptiveEmbedding) float64
	Layer(l space.Layer) float64
	Projection(from, to int) float64
}

// Sum returns the value of a under t.
func Sum(t Terms, a space.Arch) float64 {
	if len(a.Layers) == 0 {
		return 0
	}
	v := t.Embedding(a.Layers[0].Hidden, a.Embed)
	for i, l := range a.Layers {
		v += t.Layer(l)
		if i+1 < len(a.Layers) {
			v += t.Projection(l.Hidden, a.Layers[i+1].Hidden)
		}
	}
	return v
}

// Objective is one quantity a search optimises. An objective with Terms has Value equal to
// Sum of its terms.
type Objective interface {
	// Name is the objective's name in run files: proxy, params, latency or flops.
	Name() string
	Sense() Sense
	// Value returns the objective of a. It is a pure function of a.
	Value(a space.Arch) float64
	// Terms returns the objective's per-layer split, or ok false when it has none (a
	// sampled proxy, a measured latency).
	Terms() (t Terms, ok bool)
}

// Names lists the objectives New knows.
func Names() []string { return []string{"proxy", "params", "latency", "flops", "memory"} }

// SenseOf returns the sense of the objective called name.
func SenseOf(name string) (Sense, error) {
	switch name {
	case "proxy":
		return Max, nil
	case "params", "latency", "flops", "memory":
		return Min, nil
	}
	return "", fmt.Errorf("objectives: unknown objective %q (want %s)", name, strings.Join(Names(), ", "))
}

// Unit returns the unit of the objective called name, or "" for a unitless one.
func Unit(name string) string {
	switch name {
	case "latency":
		return "ms"
	case "params":
		return "count"
	case "flops":
		return "FLOPs"
	case "memory":
		return "MB"
	}
	return ""
}

// ParseNames returns the objective names of a comma-separated list: at least two, each
// known and given once.
func ParseNames(list string) ([]string, error) {
	var out []string
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		if _, err := SenseOf(name); err != nil {
			return nil, err
		}
		if slices.Contains(out, name) {
			return nil, fmt.Errorf("objectives: %q given twice", name)
		}
		out = append(out, name)
	}
	if len(out) < 2 {
		return nil, fmt.Errorf("objectives: %q: a multi-objective search needs at least two", list)
	}
	return out, nil
}

// decomposed is an objective that is the sum of cached per-layer terms.
type decomposed struct {
	name  string
	sense Sense
	terms Terms
}

func (d decomposed) Name() string               { return d.name }
func (d decomposed) Sense() Sense               { return d.sense }
func (d decomposed) Value(a space.Arch) float64 { return Sum(d.terms, a) }
func (d decomposed) Terms() (Terms, bool)       { return d.terms, true }

// NewParams returns the parameter count of the faithful model, what a user would train.
func NewParams() Objective { return decomposed{"params", Min, Memoize(paramTerms{}, QuantumCount)} }

type paramTerms struct{}

func (paramTerms) Embedding(h int, e *space.AdaptiveEmbedding) float64 {
	return sumParams(space.StemTensors(nil, h, e, space.Faithful))
}
func (paramTerms) Layer(l space.Layer) float64 {
	return sumParams(space.LayerTensors(nil, 0, l, space.Faithful))
}
func (paramTerms) Projection(from, to int) float64 {
	return sumParams(space.ProjectionTensors(nil, 0, from, to))
}

func sumParams(ts []space.Tensor) float64 {
	var n int64
	for _, t := range ts {
		n += t.Params()
	}
	return float64(n)
}

// NewFLOPs returns the analytic FLOP count of a forward pass of the faithful model over
// space.SeqLen tokens.
func NewFLOPs() Objective { return decomposed{"flops", Min, Memoize(flopTerms{}, QuantumCount)} }

type flopTerms struct{}

func (flopTerms) Embedding(h int, e *space.AdaptiveEmbedding) float64 {
	return space.StemFLOPs(h, e, space.Faithful, space.SeqLen)
}
func (flopTerms) Layer(l space.Layer) float64 {
	return space.LayerFLOPs(l, space.Faithful, space.SeqLen)
}
func (flopTerms) Projection(from, to int) float64 {
	return space.ProjectionFLOPs(from, to, space.SeqLen)
}

// MemoryBatch is the batch of the memory objective; its sequence length is space.SeqLen.
const MemoryBatch = 1

// NewMemory returns the analytic peak inference memory in MB of the faithful model
// (space.PeakMemoryMB at batch MemoryBatch and space.SeqLen tokens), minimised. A peak is a
// maximum over blocks, not a sum, so it has no per-layer terms: the exact programme
// refuses it.
func NewMemory() Objective {
	p, _ := NewParams().Terms()
	return memory{p}
}

// memory counts the weights with the memoised parameter terms: counting them tensor by
// tensor took ten times as long as every other objective together.
type memory struct{ params Terms }

func (memory) Name() string { return "memory" }
func (memory) Sense() Sense { return Min }
func (m memory) Value(a space.Arch) float64 {
	if len(a.Layers) == 0 {
		return 0
	}
	return space.MemoryMB(Sum(m.params, a), space.PeakActivations(a, space.Faithful, space.SeqLen), MemoryBatch)
}
func (memory) Terms() (Terms, bool) { return nil, false }

// NewProxy returns the ZeroLM score, maximised. In expected mode it is the sum of cached
// per-layer terms; a sampled score draws its weights from the architecture's ID, so it does
// not split and is computed whole.
func NewProxy(z *proxy.ZeroLM) Objective {
	if z.Settings().Mode == proxy.Expected {
		return decomposed{"proxy", Max, Memoize(proxyTerms{z}, QuantumScore)}
	}
	return sampledProxy{z}
}

type sampledProxy struct{ z *proxy.ZeroLM }

func (sampledProxy) Name() string                 { return "proxy" }
func (sampledProxy) Sense() Sense                 { return Max }
func (p sampledProxy) Value(a space.Arch) float64 { return p.z.Score(a).Score }
func (sampledProxy) Terms() (Terms, bool)         { return nil, false }

type proxyTerms struct{ z *proxy.ZeroLM }

func (t proxyTerms) Embedding(h int, e *space.AdaptiveEmbedding) float64 { return t.z.StemScore(h, e) }
func (proxyTerms) Projection(int, int) float64                           { return 0 }
func (t proxyTerms) Layer(l space.Layer) float64                         { return t.z.LayerScore(l) }

// LatencyModel predicts latency in milliseconds from per-block costs.
type LatencyModel interface {
	Terms
	// Describe says what the model is (a measured table and its device, or an analytic
	// estimate), for run configurations and output.
	Describe() string
}

// NewLatency returns the latency the model predicts, in milliseconds.
func NewLatency(m LatencyModel) Objective {
	return decomposed{"latency", Min, Memoize(m, QuantumLatency)}
}

// orTerms returns memoised terms when a Set was made by NewSet, the plain ones otherwise.
func orTerms(memo, plain Terms) Terms {
	if memo != nil {
		return memo
	}
	return plain
}

// Set is the objectives of a search and its budgets. Make it with NewSet.
type Set struct {
	Objectives []Objective
	// MaxParams and MaxLatencyMS bound the faithful parameter count and the predicted
	// latency; 0 means no bound.
	MaxParams    float64
	MaxLatencyMS float64
	// Latency predicts latency for the latency budget.
	Latency LatencyModel

	params, latency Terms // memoised terms of the budgets
}

// NewSet returns a Set of objs with budgets (0: none); lat predicts latency for the latency
// budget and may be nil when there is none.
func NewSet(objs []Objective, maxParams, maxLatencyMS float64, lat LatencyModel) (*Set, error) {
	if maxLatencyMS > 0 && lat == nil {
		return nil, fmt.Errorf("objectives: a latency budget needs a latency model")
	}
	if maxParams < 0 || maxLatencyMS < 0 {
		return nil, fmt.Errorf("objectives: budgets must not be negative")
	}
	s := &Set{Objectives: objs, MaxParams: maxParams, MaxLatencyMS: maxLatencyMS, Latency: lat}
	if lat != nil {
		s.latency = Memoize(lat, QuantumLatency)
	}
	s.params, _ = NewParams().Terms()
	return s, nil
}

// Parse returns the objectives named in a comma-separated list (see ParseNames); lat
// predicts latency and may be nil when latency is not among them.
func Parse(list string, z *proxy.ZeroLM, lat LatencyModel) ([]Objective, error) {
	names, err := ParseNames(list)
	if err != nil {
		return nil, err
	}
	out := make([]Objective, len(names))
	for i, name := range names {
		switch name {
		case "proxy":
			out[i] = NewProxy(z)
		case "params":
			out[i] = NewParams()
		case "flops":
			out[i] = NewFLOPs()
		case "memory":
			out[i] = NewMemory()
		case "latency":
			if lat == nil {
				return nil, fmt.Errorf("objectives: latency needs a latency model")
			}
			out[i] = NewLatency(lat)
		}
	}
	return out, nil
}

// Values returns each objective of a in its own sense.
func (s *Set) Values(a space.Arch) []float64 {
	v := make([]float64, len(s.Objectives))
	for i, o := range s.Objectives {
		v[i] = o.Value(a)
	}
	return v
}

// Minimised returns values turned into a vector to minimise: maximised objectives negated.
func (s *Set) Minimised(values []float64) []float64 {
	m := make([]float64, len(values))
	for i, o := range s.Objectives {
		m[i] = o.Sense().Minimised(values[i])
	}
	return m
}

// Natural is the inverse of Minimised.
func (s *Set) Natural(minimised []float64) []float64 { return s.Minimised(minimised) }

// Violation returns how far a is outside the budgets: the sum of the relative excesses
// (0.1 is 10% over a budget), 0 when feasible.
func (s *Set) Violation(a space.Arch) float64 {
	var v float64
	s.eachExcess(a, func(e Excess) { v += e.Value/e.Max - 1 })
	return v
}

// Excess is an architecture's value under a budget it breaks.
type Excess struct {
	// Budget names the budget: "max_params" or "max_latency_ms".
	Budget string
	// Value is the architecture's parameter count or predicted latency; Max the budget.
	Value, Max float64
}

// Excesses returns the budgets a breaks, in the order max_params, max_latency_ms.
func (s *Set) Excesses(a space.Arch) []Excess {
	var out []Excess
	s.eachExcess(a, func(e Excess) { out = append(out, e) })
	return out
}

// eachExcess calls f with every budget a breaks, in Excesses' order. Violation runs for
// every evaluation, so this builds no slice.
func (s *Set) eachExcess(a space.Arch, f func(Excess)) {
	if s.MaxParams > 0 {
		if v := Sum(orTerms(s.params, paramTerms{}), a); v > s.MaxParams {
			f(Excess{"max_params", v, s.MaxParams})
		}
	}
	if s.MaxLatencyMS > 0 && s.Latency != nil {
		if v := Sum(orTerms(s.latency, s.Latency), a); v > s.MaxLatencyMS {
			f(Excess{"max_latency_ms", v, s.MaxLatencyMS})
		}
	}
}
