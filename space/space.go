package space

import (
	"fmt"
	"math"
	"math/big"
	"slices"
	"sort"
	"strconv"
)

// SeqLen is the sequence length at which FLOPs, latency and memory are counted unless
// said otherwise: the length NAS-Bench-BERT pre-trained with.
const SeqLen = 128

// EmbedDim is the width of the token, position and type embeddings (ELECTRA-small style).
const EmbedDim = 128

// Vocabulary sizes of the embeddings.
const (
	VocabSize    = 30522
	MaxPositions = 512
	TypeVocab    = 2
)

// Limits on a space definition: beyond them a model would not fit in memory, and a typo
// (a width of 10^9) should be an error, not an allocation.
const (
	MaxWidth   = 1 << 16 // hidden sizes and feed-forward widths
	MaxDepth   = 256
	MaxHeads   = 1024
	MaxFFCount = 64
	MaxKernel  = 1024
	// MaxLayerChoices bounds the layers a space offers, summed over its hidden sizes:
	// LayerChoices, Enumerate and latency tables list them all, and a feed-forward stack
	// of many free widths multiplies them beyond any memory (widths^count).
	MaxLayerChoices = 1 << 20
)

// OpChoice is one operation a layer may take: a type and its parameter.
type OpChoice struct {
	Op    string `json:"op"`
	Param string `json:"param"`
}

// String returns the operation as a space file lists it: "SA SDP", "DSC 5".
func (o OpChoice) String() string { return o.Op + " " + o.Param }

// Space is a FlexiBERT-style design space: the choices for depth and, per layer, hidden
// size, operation, heads and feed-forward stack.
type Space struct {
	// Name identifies the space in run configurations and output.
	Name string `json:"name"`
	// Hidden lists the hidden sizes.
	Hidden []int `json:"hidden"`
	// Depths lists the numbers of layers.
	Depths []int `json:"depths"`
	// Heads lists the numbers of operation heads; a layer may only use those that divide
	// its hidden size.
	Heads []int `json:"heads"`
	// Ops lists the operations.
	Ops []OpChoice `json:"ops"`
	// FFCounts lists the numbers of feed-forward layers of a stack.
	FFCounts []int `json:"ff_counts"`
	// FFWidths lists the widths a feed-forward layer may take.
	FFWidths []int `json:"ff_widths"`
	// SharedHidden makes one hidden size serve every layer (NAS-Bench-BERT); otherwise each
	// layer chooses its own and a projection joins layers of different sizes.
	SharedHidden bool `json:"shared_hidden"`
	// UniformFF makes every feed-forward layer of a stack the same width (NAS-Bench-BERT);
	// otherwise each layer of the stack chooses its width.
	UniformFF bool `json:"uniform_ff"`
}

// InvalidArchError reports an architecture that is not in a space.
type InvalidArchError struct {
	// Layer is the index of the offending layer, or -1 for the architecture as a whole.
	Layer int
	// Field names the offending field as the benchmark spells it.
	Field string
	// Value is the offending value.
	Value any
	// Reason says what is wrong.
	Reason string
}

// Error names the layer, the field, the value and the reason.
func (e *InvalidArchError) Error() string {
	if e.Layer < 0 {
		return fmt.Sprintf("%s=%v: %s", e.Field, e.Value, e.Reason)
	}
	return fmt.Sprintf("layer %d: %s=%v: %s", e.Layer, e.Field, e.Value, e.Reason)
}

// Validate reports the first way in which a is not an architecture of s, as an
// *InvalidArchError, or nil.
func (s *Space) Validate(a Arch) error {
	if !slices.Contains(s.Depths, len(a.Layers)) {
		return &InvalidArchError{Layer: -1, Field: "encoder_layers", Value: len(a.Layers), Reason: fmt.Sprintf("depth not in %v", s.Depths)}
	}
	for i, l := range a.Layers {
		if err := s.validateLayer(l); err != nil {
			err.Layer = i
			return err
		}
		if s.SharedHidden && l.Hidden != a.Layers[0].Hidden {
			return &InvalidArchError{Layer: i, Field: "hidden_size", Value: l.Hidden, Reason: fmt.Sprintf("space %s shares one hidden size (layer 0 has %d)", s.Name, a.Layers[0].Hidden)}
		}
	}
	return nil
}

func (s *Space) validateLayer(l Layer) *InvalidArchError {
	bad := func(field string, v any, reason string) *InvalidArchError {
		return &InvalidArchError{Field: field, Value: v, Reason: reason}
	}
	if l.Hidden <= 0 {
		return bad("hidden_size", l.Hidden, "must be positive")
	}
	if !slices.Contains(s.Hidden, l.Hidden) {
		return bad("hidden_size", l.Hidden, fmt.Sprintf("not in %v", s.Hidden))
	}
	if !slices.Contains([]string{OpSA, OpLT, OpDSC}, l.Op) {
		return bad("operation_type", l.Op, "unknown operation (want SA, LT or DSC)")
	}
	if !slices.Contains(s.Ops, OpChoice{l.Op, l.Param}) {
		return bad("operation_parameter", l.Param, fmt.Sprintf("not a parameter of %s in %s", l.Op, s.Name))
	}
	if l.Heads <= 0 {
		return bad("num_operation_heads", l.Heads, "must be positive")
	}
	if !slices.Contains(s.Heads, l.Heads) {
		return bad("num_operation_heads", l.Heads, fmt.Sprintf("not in %v", s.Heads))
	}
	if l.Hidden%l.Heads != 0 {
		return bad("num_operation_heads", l.Heads, fmt.Sprintf("does not divide hidden_size %d", l.Hidden))
	}
	if !slices.Contains(s.FFCounts, len(l.FF)) {
		return bad("num_feed_forward", len(l.FF), fmt.Sprintf("not in %v", s.FFCounts))
	}
	for _, w := range l.FF {
		if w <= 0 {
			return bad("feed_forward_dimension", w, "must be positive")
		}
		if !slices.Contains(s.FFWidths, w) {
			return bad("feed_forward_dimension", w, fmt.Sprintf("not in %v", s.FFWidths))
		}
		if s.UniformFF && w != l.FF[0] {
			return bad("feed_forward_dimension", l.FF, "space requires one width per feed-forward stack")
		}
	}
	return nil
}

// Check validates the definition of s, as Load does: every list has choices, none twice,
// each within the package's limits, and every hidden size has a head count dividing it.
// It puts the lists in canonical form (sorted, kernel sizes without leading zeros or
// signs). A space decoded from elsewhere (a run's configuration) must pass it before use.
func (s *Space) Check() error { return s.check() }

// check validates the space definition itself.
func (s *Space) check() error {
	empty := func(name string, n int) error {
		if n == 0 {
			return fmt.Errorf("space %s: %s: no choices", s.Name, name)
		}
		return nil
	}
	for _, c := range []struct {
		name string
		n    int
	}{{"hidden_size", len(s.Hidden)}, {"encoder_layers", len(s.Depths)}, {"num_heads", len(s.Heads)},
		{"operation_types", len(s.Ops)}, {"number_of_feed-forward_stacks", len(s.FFCounts)}, {"feed-forward_hidden", len(s.FFWidths)}} {
		if err := empty(c.name, c.n); err != nil {
			return err
		}
	}
	for _, xs := range []struct {
		name string
		v    []int
		max  int
	}{{"hidden_size", s.Hidden, MaxWidth}, {"encoder_layers", s.Depths, MaxDepth}, {"num_heads", s.Heads, MaxHeads},
		{"number_of_feed-forward_stacks", s.FFCounts, MaxFFCount}, {"feed-forward_hidden", s.FFWidths, MaxWidth}} {
		for _, x := range xs.v {
			if x <= 0 || x > xs.max {
				return fmt.Errorf("space %s: %s: %d must be from 1 to %d", s.Name, xs.name, x, xs.max)
			}
		}
	}
	for _, xs := range []struct {
		name string
		v    []int
	}{{"hidden_size", s.Hidden}, {"encoder_layers", s.Depths}, {"num_heads", s.Heads},
		{"number_of_feed-forward_stacks", s.FFCounts}, {"feed-forward_hidden", s.FFWidths}} {
		if err := noDuplicates(s.Name, xs.name, xs.v); err != nil {
			return err
		}
	}
	for i, o := range s.Ops {
		switch o.Op {
		case OpSA:
			if o.Param != "SDP" && o.Param != "WMA" {
				return fmt.Errorf("space %s: operation %s: unknown parameter %q (want SDP or WMA)", s.Name, o.Op, o.Param)
			}
		case OpLT:
			if o.Param != "DFT" && o.Param != "DCT" {
				return fmt.Errorf("space %s: operation %s: unknown parameter %q (want DFT or DCT)", s.Name, o.Op, o.Param)
			}
		case OpDSC:
			if k, err := strconv.Atoi(o.Param); err != nil || k <= 0 || k > MaxKernel {
				return fmt.Errorf("space %s: operation %s: kernel size %q must be an integer from 1 to %d", s.Name, o.Op, o.Param, MaxKernel)
			} else {
				s.Ops[i].Param = strconv.Itoa(k) // "05" and "5" are one kernel
			}
		default:
			return fmt.Errorf("space %s: unknown operation type %q", s.Name, o.Op)
		}
	}
	if err := noDuplicates(s.Name, "operation_parameters", s.Ops); err != nil {
		return err
	}
	for _, h := range s.Hidden {
		if len(s.headsFor(h)) == 0 {
			return fmt.Errorf("space %s: no head count in %v divides hidden size %d", s.Name, s.Heads, h)
		}
	}
	// In floating point: the count may be far beyond any integer type.
	stacks := 0.0
	for _, c := range s.FFCounts {
		if s.UniformFF {
			stacks += float64(len(s.FFWidths))
		} else {
			stacks += math.Pow(float64(len(s.FFWidths)), float64(c))
		}
	}
	layers := 0.0
	for _, h := range s.Hidden {
		layers += float64(len(s.Ops)) * float64(len(s.headsFor(h))) * stacks
	}
	if layers > MaxLayerChoices {
		return fmt.Errorf("space %s: %.3g layer choices (operations x heads x feed-forward stacks, over the hidden sizes): over the limit of %d (MaxLayerChoices); fewer feed-forward widths or stack lengths, or uniform_feed_forward, reduce them",
			s.Name, layers, MaxLayerChoices)
	}
	for _, v := range [][]int{s.Hidden, s.Depths, s.Heads, s.FFCounts, s.FFWidths} {
		sort.Ints(v)
	}
	return nil
}

// noDuplicates reports the first value listed twice in the list called list: a choice
// counted twice would inflate the space and bias sampling towards it.
func noDuplicates[T comparable](space, list string, xs []T) error {
	seen := make(map[T]bool, len(xs))
	for _, x := range xs {
		if seen[x] {
			return fmt.Errorf("space %s: %s: %v is listed twice", space, list, x)
		}
		seen[x] = true
	}
	return nil
}

func (s *Space) headsFor(hidden int) []int {
	var hs []int
	for _, n := range s.Heads {
		if hidden%n == 0 {
			hs = append(hs, n)
		}
	}
	return hs
}

// ffStacks lists every feed-forward stack a layer may take, in a fixed order.
func (s *Space) ffStacks() [][]int {
	var out [][]int
	for _, c := range s.FFCounts {
		if s.UniformFF {
			for _, w := range s.FFWidths {
				st := make([]int, c)
				for i := range st {
					st[i] = w
				}
				out = append(out, st)
			}
			continue
		}
		idx := make([]int, c)
		for {
			st := make([]int, c)
			for i, j := range idx {
				st[i] = s.FFWidths[j]
			}
			out = append(out, st)
			i := c - 1
			for ; i >= 0; i-- {
				idx[i]++
				if idx[i] < len(s.FFWidths) {
					break
				}
				idx[i] = 0
			}
			if i < 0 {
				break
			}
		}
	}
	return out
}

// layerCount returns len(s.LayerChoices(hidden)) without building them.
func (s *Space) layerCount(hidden int) int64 {
	var stacks int64
	for _, c := range s.FFCounts {
		stacks += s.stacksOf(c)
	}
	return int64(len(s.Ops)) * int64(len(s.headsFor(hidden))) * stacks
}

// stacksOf returns the number of feed-forward stacks of c layers.
func (s *Space) stacksOf(c int) int64 {
	if s.UniformFF {
		return int64(len(s.FFWidths))
	}
	n := int64(1)
	for i := 0; i < c; i++ {
		n *= int64(len(s.FFWidths))
	}
	return n
}

// LayerChoices lists every layer the space allows at a hidden size, in a fixed order.
func (s *Space) LayerChoices(hidden int) []Layer {
	var out []Layer
	stacks := s.ffStacks()
	for _, op := range s.Ops {
		for _, n := range s.headsFor(hidden) {
			for _, st := range stacks {
				out = append(out, Layer{Hidden: hidden, Op: op.Op, Param: op.Param, Heads: n, FF: st})
			}
		}
	}
	return out
}

// Count returns the number of architectures in s.
func (s *Space) Count() *big.Int {
	total := new(big.Int)
	for _, d := range s.Depths {
		total.Add(total, s.countDepth(d))
	}
	return total
}

func (s *Space) countDepth(d int) *big.Int {
	D := big.NewInt(int64(d))
	if s.SharedHidden {
		sum := new(big.Int)
		for _, h := range s.Hidden {
			n := big.NewInt(s.layerCount(h))
			sum.Add(sum, n.Exp(n, D, nil))
		}
		return sum
	}
	per := int64(0)
	for _, h := range s.Hidden {
		per += s.layerCount(h)
	}
	n := big.NewInt(per)
	return n.Exp(n, D, nil)
}
