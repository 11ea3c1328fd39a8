// Package space defines FlexiBERT-style Transformer architectures, the spaces they are drawn
// from, and everything a search needs from a space: validation, canonical encoding and IDs,
// uniform sampling, enumeration, variation operators and the weight shapes of each build.
package space

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
)

// Operation types of a layer's token-mixing block.
const (
	OpSA  = "SA"  // self-attention; parameter SDP or WMA
	OpLT  = "LT"  // parameter-free linear transform; parameter DFT or DCT
	OpDSC = "DSC" // dynamic separable convolution; parameter the kernel size
)

// Layer is one encoder layer: a token-mixing operation followed by a feed-forward stack.
type Layer struct {
	// Hidden is the layer's hidden size.
	Hidden int `json:"hidden"`
	// Op is the operation type: SA, LT or DSC.
	Op string `json:"op"`
	// Param is the operation parameter: SDP or WMA for SA, DFT or DCT for LT, the kernel
	// size in decimal for DSC.
	Param string `json:"param"`
	// Heads is the number of operation heads; it divides Hidden.
	Heads int `json:"heads"`
	// FF lists the widths of the feed-forward stack: Hidden -> FF[0] -> ... -> FF[k-1] -> Hidden.
	FF []int `json:"ff"`
}

// Kernel returns the convolution kernel size of a DSC layer and 0 for other operations.
func (l Layer) Kernel() int {
	if l.Op != OpDSC {
		return 0
	}
	k, err := strconv.Atoi(l.Param)
	if err != nil {
		return 0
	}
	return k
}

// Operations lists every operation a layer may have, in a fixed order: the operation type
// and its parameter, "k" standing for any kernel size of a DSC layer. Space definitions
// may use only these, and caches key layers by their position here (Layer.OpIndex).
func Operations() []OpChoice {
	return []OpChoice{{OpSA, "SDP"}, {OpSA, "WMA"}, {OpLT, "DFT"}, {OpLT, "DCT"}, {OpDSC, "k"}}
}

// OpIndex returns the position of l's operation in Operations, or -1 if it lists none.
func (l Layer) OpIndex() int {
	for i, o := range Operations() {
		if o.Op == l.Op && (o.Param == l.Param || o.Op == OpDSC) {
			return i
		}
	}
	return -1
}

// Equal reports whether two layers are the same.
func (l Layer) Equal(o Layer) bool {
	if l.Hidden != o.Hidden || l.Op != o.Op || l.Param != o.Param || l.Heads != o.Heads || len(l.FF) != len(o.FF) {
		return false
	}
	for i := range l.FF {
		if l.FF[i] != o.FF[i] {
			return false
		}
	}
	return true
}

// Arch is an encoder architecture: its layers in order. Embeddings are fixed by the space
// family (ELECTRA-small style, width EmbedDim) and projected to the first layer's hidden size.
type Arch struct {
	Layers []Layer `json:"layers"`
}

// Clone returns a deep copy of a.
func (a Arch) Clone() Arch {
	c := Arch{Layers: make([]Layer, len(a.Layers))}
	for i, l := range a.Layers {
		l.FF = append([]int(nil), l.FF...)
		c.Layers[i] = l
	}
	return c
}

// Equal reports whether two architectures are the same.
func (a Arch) Equal(b Arch) bool {
	if len(a.Layers) != len(b.Layers) {
		return false
	}
	for i := range a.Layers {
		if !a.Layers[i].Equal(b.Layers[i]) {
			return false
		}
	}
	return true
}

// Canonical returns the canonical JSON encoding of a: fixed key order, no white space.
// Two architectures are the same network exactly when their canonical encodings are equal.
func (a Arch) Canonical() []byte {
	b, err := json.Marshal(a)
	if err != nil {
		// Arch holds only ints, strings and slices of them; Marshal cannot fail.
		panic("space: canonical encoding: " + err.Error())
	}
	return b
}

// ID returns a stable identifier of a: the first 16 hex digits of the SHA-256 of its
// canonical encoding. It does not depend on the space, so the same network has the same ID
// in every space and every run.
func (a Arch) ID() string {
	sum := sha256.Sum256(a.Canonical())
	return hex.EncodeToString(sum[:8])
}

// Depth returns the number of layers.
func (a Arch) Depth() int { return len(a.Layers) }
