package space

import "fmt"

// Build says how the model of an architecture is instantiated for scoring.
type Build int

// The three builds of docs/search-spaces.md.
const (
	// Faithful uses the architecture's own hidden sizes and feed-forward widths.
	Faithful Build = iota
	// Legacy uses hidden 256 and feed-forward width 1024 for every layer, as every
	// published zero-cost proxy on NAS-Bench-BERT did.
	Legacy
	// AsTrained is the model the NAS-Bench-BERT labels came from: every layer plain
	// scaled dot-product attention and a 4H-wide first feed-forward layer.
	AsTrained
	// TransformerXL is the GPT-2 model LiteTransformerSearch trained its records with:
	// archai's Transformer-XL decoder with relative attention (see gpt2shapes.go).
	TransformerXL
)

var buildNames = []string{"faithful", "legacy", "as-trained", "transformer-xl"}

// String returns the build's name.
func (b Build) String() string {
	if b < 0 || int(b) >= len(buildNames) {
		return fmt.Sprintf("Build(%d)", int(b))
	}
	return buildNames[b]
}

// ParseBuild returns the build named s.
func ParseBuild(s string) (Build, error) {
	for i, n := range buildNames {
		if n == s {
			return Build(i), nil
		}
	}
	return 0, fmt.Errorf("unknown build %q (want faithful, legacy, as-trained or transformer-xl)", s)
}

// Role is the sub-module a tensor belongs to.
type Role uint8

// Roles of tensors.
const (
	Attention Role = iota
	FeedForward
	Embedding
	Other
)

// String returns the role's name.
func (r Role) String() string {
	return [...]string{"attention", "feed-forward", "embedding", "other"}[r]
}

// Kind is what a tensor is.
type Kind uint8

// Kinds of tensors.
const (
	// Matrix is a weight matrix Out x In: a Linear layer or a pointwise convolution.
	Matrix Kind = iota
	// Kernel is a depthwise convolution kernel Out x 1 x K.
	Kernel
	// Norm is a LayerNorm over Out features (gain and bias).
	Norm
	// Table is an embedding table of Out rows of width In.
	Table
	// Vector is a learned vector of Out entries (Transformer-XL's attention biases).
	Vector
)

// String returns the kind's name.
func (k Kind) String() string {
	return [...]string{"matrix", "kernel", "norm", "table", "vector"}[k]
}

// Tensor is one parameter tensor of a built model.
type Tensor struct {
	// Name names the tensor within its layer, for example "attn.q"; FullName adds the layer.
	Name string `json:"name"`
	// Layer is the encoder layer index, or -1 for embeddings.
	Layer int  `json:"layer"`
	Role  Role `json:"role"`
	Kind  Kind `json:"kind"`
	// Out and In are the fan-out and fan-in of a matrix (stored Out x In).
	Out int `json:"out"`
	In  int `json:"in"`
	// K is the kernel size of a Kernel and 1 otherwise.
	K int `json:"k"`
	// Bias reports a bias vector of Out entries.
	Bias bool `json:"bias"`
	// Init names how the weights are initialised: "weight" (the proxy's init scheme),
	// "ones-zeros" for a LayerNorm, "embedding" for a table.
	Init string `json:"init"`
}

// FullName locates the tensor in the model, for example "layer1.attn.q".
func (t Tensor) FullName() string {
	if t.Layer < 0 {
		return t.Name
	}
	return fmt.Sprintf("layer%d.%s", t.Layer, t.Name)
}

// Params returns the number of parameters of t, bias included.
func (t Tensor) Params() int64 {
	var n int64
	switch t.Kind {
	case Norm:
		return 2 * int64(t.Out)
	case Vector:
		return int64(t.Out)
	case Kernel:
		n = int64(t.Out) * int64(t.In) * int64(t.K)
	default:
		n = int64(t.Out) * int64(t.In)
	}
	if t.Bias {
		n += int64(t.Out)
	}
	return n
}

// Scored reports whether ZeroLM gives t a capacity: attention and feed-forward matrices.
func (t Tensor) Scored() bool {
	return t.Kind == Matrix && (t.Role == Attention || t.Role == FeedForward)
}

func linear(name string, layer int, role Role, in, out int, bias bool) Tensor {
	return Tensor{Name: name, Layer: layer, Role: role, Kind: Matrix, Out: out, In: in, K: 1, Bias: bias, Init: "weight"}
}

func norm(name string, layer, n int) Tensor {
	return Tensor{Name: name, Layer: layer, Role: Other, Kind: Norm, Out: n, In: 1, K: 1, Init: "ones-zeros"}
}

// BuiltLayer returns l as build b instantiates it.
func BuiltLayer(l Layer, b Build) Layer {
	if l.Op == OpCSA {
		return l // GPT-2 builds differ in their tensors, not in their sizes
	}
	switch b {
	case Legacy:
		ff := make([]int, len(l.FF))
		for i := range ff {
			ff[i] = 1024
		}
		return Layer{Hidden: 256, Op: l.Op, Param: l.Param, Heads: l.Heads, FF: ff}
	case AsTrained:
		H := l.Hidden
		// H -> 4H, then on through the stack's later widths: 4H -> H for one
		// feed-forward layer, 4H -> f -> f -> H for three.
		ff := append([]int{4 * H}, l.FF[1:]...)
		return Layer{Hidden: H, Op: OpSA, Param: "SDP", Heads: l.Heads, FF: ff}
	}
	return l
}

// EmbeddingTensors appends the embedding tensors for a first layer of hidden size h,
// including the projection from EmbedDim when h differs from it.
func EmbeddingTensors(dst []Tensor, h int) []Tensor {
	dst = append(dst,
		Tensor{Name: "embed.word", Layer: -1, Role: Embedding, Kind: Table, Out: VocabSize, In: EmbedDim, K: 1, Init: "embedding"},
		Tensor{Name: "embed.position", Layer: -1, Role: Embedding, Kind: Table, Out: MaxPositions, In: EmbedDim, K: 1, Init: "embedding"},
		Tensor{Name: "embed.type", Layer: -1, Role: Embedding, Kind: Table, Out: TypeVocab, In: EmbedDim, K: 1, Init: "embedding"},
		norm("embed.norm", -1, EmbedDim),
	)
	if h != EmbedDim {
		dst = append(dst, linear("embed.project", -1, Embedding, EmbedDim, h, true))
	}
	return dst
}

// LayerTensors appends the tensors of layer i, already built (see BuiltLayer), in build b.
// The build matters only for the legacy linear transform, which has no output projection.
func LayerTensors(dst []Tensor, i int, l Layer, b Build) []Tensor {
	H := l.Hidden
	switch l.Op {
	case OpCSA:
		return decoderTensors(dst, i, l, b)
	case OpSA:
		dst = append(dst,
			linear("attn.q", i, Attention, H, H, true),
			linear("attn.k", i, Attention, H, H, true),
			linear("attn.v", i, Attention, H, H, true),
			linear("attn.out", i, Attention, H, H, true))
		if l.Param == "WMA" {
			dst = append(dst, linear("attn.wma", i, Attention, H, H, false))
		}
		dst = append(dst, norm("attn.norm", i, H))
	case OpLT:
		dst = append(dst, linear("attn.in", i, Attention, H, H, true))
		if b != Legacy {
			dst = append(dst, linear("attn.out", i, Attention, H, H, true), norm("attn.norm", i, H))
		}
	case OpDSC:
		nh := max(1, l.Heads/2)
		A := nh * (H / l.Heads)
		k := l.Kernel()
		dst = append(dst,
			linear("attn.q", i, Attention, H, A, true),
			linear("attn.k", i, Attention, H, A, true),
			linear("attn.v", i, Attention, H, A, true),
			Tensor{Name: "attn.depthwise", Layer: i, Role: Attention, Kind: Kernel, Out: H, In: 1, K: k, Init: "weight"},
			linear("attn.pointwise", i, Attention, H, A, true),
			linear("attn.kernel_gen", i, Attention, A, nh*k, true),
			linear("attn.conv_out", i, Attention, H, A, true),
			linear("attn.out", i, Attention, H, H, true),
			norm("attn.norm", i, H))
	}
	in := H
	for j, w := range l.FF {
		dst = append(dst, linear(ffName(j), i, FeedForward, in, w, true))
		in = w
	}
	dst = append(dst, linear(ffName(len(l.FF)), i, FeedForward, in, H, true), norm("ff.norm", i, H))
	return dst
}

var ffNames = [...]string{"ff.0", "ff.1", "ff.2", "ff.3", "ff.4", "ff.5", "ff.6", "ff.7"}

func ffName(j int) string {
	if j < len(ffNames) {
		return ffNames[j]
	}
	return fmt.Sprintf("ff.%d", j)
}

// ProjectionTensors appends the projection between a layer of hidden size from and the next
// of hidden size to; nothing when they are equal.
func ProjectionTensors(dst []Tensor, i, from, to int) []Tensor {
	if from == to {
		return dst
	}
	return append(dst, linear("project", i, Other, from, to, true))
}

// Tensors returns every parameter tensor of a as build b instantiates it.
func Tensors(a Arch, b Build) []Tensor {
	return AppendTensors(nil, a, b)
}

// AppendTensors appends the tensors of a in build b to dst and returns it.
func AppendTensors(dst []Tensor, a Arch, b Build) []Tensor {
	if len(a.Layers) == 0 {
		return dst
	}
	first := BuiltLayer(a.Layers[0], b)
	dst = StemTensors(dst, first.Hidden, a.Embed, b)
	for i, l := range a.Layers {
		bl := BuiltLayer(l, b)
		dst = LayerTensors(dst, i, bl, b)
		if i+1 < len(a.Layers) {
			dst = ProjectionTensors(dst, i, bl.Hidden, BuiltLayer(a.Layers[i+1], b).Hidden)
		}
	}
	return dst
}

// Params returns the exact parameter count of a in build b: weights, biases, LayerNorms
// and embeddings.
func Params(a Arch, b Build) int64 {
	var n int64
	for _, t := range Tensors(a, b) {
		n += t.Params()
	}
	return n
}

// MarshalText encodes b by name, so settings files read "faithful", not 0.
func (b Build) MarshalText() ([]byte, error) { return []byte(b.String()), nil }

// UnmarshalText decodes a build name.
func (b *Build) UnmarshalText(text []byte) error {
	v, err := ParseBuild(string(text))
	if err != nil {
		return err
	}
	*b = v
	return nil
}
