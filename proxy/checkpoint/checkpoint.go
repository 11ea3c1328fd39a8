// Package checkpoint computes ZeroLM on given weights: a safetensors checkpoint of a
// zeronas PyTorch export, of a Hugging Face BERT or GPT-2 model, or of any model whose
// header names each tensor's role. Pretrained, fine-tuned and pruned checkpoints are scored
// as they are, which is how ZeroLM ranks sub-networks and pruned models.
//
// Each tensor gets a role (attention, ffn, embedding, other) from the header's
// __metadata__ when it names one (zeronas's exports do), else from its name (see Role);
// tensors no rule knows are listed as unknown, never silently dropped. ZeroLM sums its
// statistic over the 2-D tensors of roles attention and ffn, per role. GPT-2's fused
// c_attn weight (in x 3H) is scored as its three H-wide blocks, Q, K and V, as zeronas and
// BERT keep them. Matrices are scored in parallel; the sums are added in file order, so
// the result does not depend on the number of workers.
package checkpoint

import (
	"context"
	"fmt"
	"regexp"
	"runtime"
	"slices"

	"github.com/zeronas/zeronas/internal/input"
	"github.com/zeronas/zeronas/internal/parallel"
	"github.com/zeronas/zeronas/internal/safetensors"
	"github.com/zeronas/zeronas/proxy"
)

// Roles of tensors, as zeronas's exports name them.
const (
	Attention = "attention"
	FFN       = "ffn"
	Embedding = "embedding"
	Other     = "other"
)

// rule maps tensor names matching re to a role.
type rule struct {
	re   *regexp.Regexp
	role string
}

// rules recognise zeronas's, Hugging Face BERT's and GPT-2's names; the first match wins.
var rules = []rule{
	// zeronas export: layerN.attn.*, layerN.ff.*, layerN.project, embed.*; norms are other.
	{regexp.MustCompile(`(^|\.)(norm|LayerNorm|ln_1|ln_2|ln_f)\.(weight|bias)$`), Other},
	{regexp.MustCompile(`^layer\d+\.attn\.`), Attention},
	{regexp.MustCompile(`^layer\d+\.ff\.\d+\.`), FFN},
	{regexp.MustCompile(`^layer\d+\.project\.`), Other},
	{regexp.MustCompile(`^embed\.`), Embedding},
	// BERT (optionally under "bert."): encoder.layer.N.{attention,intermediate,output}.
	{regexp.MustCompile(`(^|\.)encoder\.layer\.\d+\.attention\.(self\.(query|key|value)|output\.dense)\.`), Attention},
	{regexp.MustCompile(`(^|\.)encoder\.layer\.\d+\.(intermediate|output)\.dense\.`), FFN},
	{regexp.MustCompile(`(^|\.)embeddings\.`), Embedding},
	{regexp.MustCompile(`(^|\.)(pooler|cls)\.`), Other},
	// GPT-2 (optionally under "transformer."): h.N.attn.{c_attn,c_proj}, h.N.mlp.{c_fc,c_proj}.
	{regexp.MustCompile(`(^|\.)h\.\d+\.attn\.(c_attn|c_proj)\.`), Attention},
	{regexp.MustCompile(`(^|\.)h\.\d+\.attn\.(bias|masked_bias)$`), Other}, // causal masks
	{regexp.MustCompile(`(^|\.)h\.\d+\.mlp\.(c_fc|c_proj)\.`), FFN},
	{regexp.MustCompile(`(^|\.)(wte|wpe)\.weight$`), Embedding},
	{regexp.MustCompile(`^lm_head\.`), Other},
}

var fusedQKV = regexp.MustCompile(`(^|\.)h\.\d+\.attn\.c_attn\.weight$`)

// Role returns the role of a tensor by its name, or "" when no rule knows it.
func Role(name string) string {
	for _, r := range rules {
		if r.re.MatchString(name) {
			return r.role
		}
	}
	return ""
}

// Matrix is the capacity of one scored matrix.
type Matrix struct {
	Name string  `json:"name"`
	Role string  `json:"role"`
	Rows int     `json:"rows"`
	Cols int     `json:"cols"`
	C    float64 `json:"capacity"`
}

// Result is the ZeroLM score of a checkpoint.
type Result struct {
	Stat  proxy.Stat `json:"stat"`
	Alpha float64    `json:"alpha"`
	Attn  float64    `json:"s_attn"`
	FFN   float64    `json:"s_ffn"`
	Score float64    `json:"score"`
	// Params counts the elements of the tensors of each role ("unknown" for the rest).
	Params map[string]int64 `json:"params"`
	// Matrices lists the scored matrices in file order.
	Matrices []Matrix `json:"matrices"`
	// Unknown lists the tensors no rule or metadata gave a role.
	Unknown []string `json:"unknown"`
}

// MaxFileBytes bounds a checkpoint file: larger than any model zeronas scores on one
// machine, small enough that a wrong path (a device) is refused rather than read forever.
const MaxFileBytes = 32 << 30

// ReadFile reads and checks a safetensors file: a regular file of at most MaxFileBytes,
// read until ctx is done.
func ReadFile(ctx context.Context, path string) (*safetensors.File, error) {
	b, err := input.ReadFile(ctx, path, MaxFileBytes)
	if err != nil {
		return nil, err
	}
	f, err := safetensors.Parse(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// Roles returns each tensor's role: the metadata's when it names attention, ffn, embedding
// or other for the tensor, else Role's; "" for unknown tensors.
func Roles(f *safetensors.File) map[string]string {
	out := make(map[string]string, len(f.Tensors))
	for _, t := range f.Tensors {
		switch r := f.Metadata[t.Name]; r {
		case Attention, FFN, Embedding, Other:
			out[t.Name] = r
		default:
			out[t.Name] = Role(t.Name)
		}
	}
	return out
}

// Score returns ZeroLM with statistic stat and balance alpha on the weights of f, scoring
// the matrices on workers goroutines (GOMAXPROCS when workers < 1).
func Score(f *safetensors.File, stat proxy.Stat, alpha float64, workers int) (*Result, error) {
	rs, err := ScoreStats(f, []proxy.Stat{stat}, alpha, workers)
	if err != nil {
		return nil, err
	}
	return rs[0], nil
}

// ScoreStats is Score for several statistics at once, one Result each, reading and
// decomposing every matrix once (see proxy.MatrixCapacities).
func ScoreStats(f *safetensors.File, stats []proxy.Stat, alpha float64, workers int) ([]*Result, error) {
	for _, stat := range stats {
		switch stat {
		case proxy.Frob, proxy.Nuclear, proxy.StableRank, proxy.Entropy:
		default:
			return nil, fmt.Errorf("stat %q: want frob, nuclear, stable-rank or entropy", stat)
		}
	}
	res := &Result{Alpha: alpha, Params: map[string]int64{}, Unknown: []string{}}
	roles := Roles(f)
	type job struct {
		name, role     string
		rows, cols     int
		block, nblocks int
	}
	var jobs []job
	for _, t := range f.Tensors {
		role := roles[t.Name]
		if role == "" {
			res.Unknown = append(res.Unknown, t.Name)
			res.Params["unknown"] += t.Len()
			continue
		}
		res.Params[role] += t.Len()
		if (role != Attention && role != FFN) || len(t.Shape) != 2 || t.Len() == 0 {
			continue
		}
		if fusedQKV.MatchString(t.Name) && t.Shape[1]%3 == 0 {
			for b := 0; b < 3; b++ {
				jobs = append(jobs, job{t.Name, role, t.Shape[0], t.Shape[1], b, 3})
			}
			continue
		}
		jobs = append(jobs, job{t.Name, role, t.Shape[0], t.Shape[1], 0, 1})
	}
	caps := make([][]float64, len(jobs))
	res.Matrices = make([]Matrix, len(jobs))
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	err := parallel.For(context.Background(), len(jobs), workers, func(_, i int) error {
		j := jobs[i]
		w, err := f.Float64s(j.name)
		if err != nil {
			return err
		}
		rows, cols, name := j.rows, j.cols, j.name
		if j.nblocks > 1 {
			w, cols = columns(w, rows, cols, j.block, j.nblocks), cols/j.nblocks
			name = fmt.Sprintf("%s[%s]", j.name, [...]string{"q", "k", "v"}[j.block])
		}
		res.Matrices[i] = Matrix{Name: name, Role: j.role, Rows: rows, Cols: cols}
		caps[i] = proxy.MatrixCapacities(stats, rows, cols, w)
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]*Result, len(stats))
	for s, stat := range stats {
		r := *res
		r.Stat = stat
		r.Matrices = slices.Clone(res.Matrices)
		for i := range r.Matrices {
			m := &r.Matrices[i]
			m.C = caps[i][s]
			if m.Role == Attention {
				r.Attn += m.C
			} else {
				r.FFN += m.C
			}
		}
		r.Score = proxy.Combine(alpha, r.Attn, r.FFN)
		out[s] = &r
	}
	return out, nil
}

// columns returns block b of nb equal column blocks of the rows x cols matrix w.
func columns(w []float64, rows, cols, b, nb int) []float64 {
	c := cols / nb
	out := make([]float64, 0, rows*c)
	for r := 0; r < rows; r++ {
		out = append(out, w[r*cols+b*c:r*cols+(b+1)*c]...)
	}
	return out
}
