package proxy

import (
	"encoding/binary"
	"encoding/hex"
	"sync"

	"github.com/zeronas/zeronas/space"
)

// Score is a ZeroLM score and its sub-module sums: attention, feed-forward and, when the
// settings weigh it, the embeddings.
type Score struct {
	Attn  float64 `json:"s_attn"`
	FFN   float64 `json:"s_ffn"`
	Emb   float64 `json:"s_embed,omitempty"`
	Score float64 `json:"score"`
}

// Combine returns alpha * attn + (1 - alpha) * ffn.
func Combine(alpha, attn, ffn float64) float64 { return alpha*attn + (1-alpha)*ffn }

// ZeroLM scores architectures with the ZeroLM proxy under fixed settings. It is safe for
// concurrent use; its scores do not depend on the order or concurrency of calls.
type ZeroLM struct {
	set   Settings
	draws *DrawCache // shared Monte Carlo statistics, or nil

	mu       sync.Mutex
	expected map[shapeKey]float64 // Monte Carlo expectations by shape
	cache    terms                // expected mode: capacities by layer and stem
}

type shapeKey struct{ in, out int }

// Option configures a ZeroLM.
type Option func(*ZeroLM)

// WithDrawCache makes an expected-mode scorer take the Monte Carlo statistics (all but
// frob) from c, computing them there on a miss, so that scorers of other statistics given
// c reuse its singular values. Scores are the same as without it, bit for bit.
func WithDrawCache(c *DrawCache) Option { return func(z *ZeroLM) { z.draws = c } }

// NewZeroLM returns a scorer with settings s and options opts.
func NewZeroLM(s Settings, opts ...Option) (*ZeroLM, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	z := &ZeroLM{set: s, expected: map[shapeKey]float64{}}
	for _, o := range opts {
		o(z)
	}
	return z, nil
}

// Settings returns the scorer's settings.
func (z *ZeroLM) Settings() Settings { return z.set }

// Score returns the ZeroLM score of a. In expected mode it adds capacities cached by layer
// and stem, in the order scoreTensors adds them: the same score, several times faster.
func (z *ZeroLM) Score(a space.Arch) Score {
	if z.set.Mode == Expected {
		return z.scoreExpected(a)
	}
	return z.scoreTensors(a)
}

// scoreTensors is the score tensor by tensor: the reference, and sampled mode.
func (z *ZeroLM) scoreTensors(a space.Arch) Score {
	var s Score
	var seed [2]uint64
	if z.set.Mode == Sampled {
		seed = archSeed(z.set.Seed, a.ID())
	}
	var buf [160]space.Tensor // 16 GPT-2 layers and their embeddings without a heap copy
	for i, t := range space.AppendTensors(buf[:0], a, z.set.Build) {
		if !z.scored(t) {
			continue
		}
		var c float64
		if z.set.Mode == Sampled {
			c = sampleCapacity(newStream(seed[0], seed[1]^uint64(i)*0x9e3779b97f4a7c15), z.set.Stat, z.set.Init, t.In, t.Out)
		} else {
			c = z.Expected(t.In, t.Out)
		}
		z.add(&s, t.Role, c)
	}
	s.Score = z.combine(s)
	return s
}

// scored reports whether t counts towards the score: attention and feed-forward matrices,
// and embedding tables and matrices when the embedding sub-module is weighed.
func (z *ZeroLM) scored(t space.Tensor) bool {
	if t.Role == space.Embedding {
		return z.set.Embed != 0 && (t.Kind == space.Matrix || t.Kind == space.Table)
	}
	return t.Scored()
}

func (z *ZeroLM) add(s *Score, r space.Role, c float64) {
	switch r {
	case space.Attention:
		s.Attn += c
	case space.Embedding:
		s.Emb += c
	default:
		s.FFN += c
	}
}

func (z *ZeroLM) combine(s Score) float64 {
	v := Combine(z.set.Alpha, s.Attn, s.FFN)
	if z.set.Embed != 0 {
		v += z.set.Embed * s.Emb
	}
	return v
}

// LayerScore returns the expected-mode score of one layer alone, embeddings excluded: the
// per-layer term of the score, alpha times the layer's attention capacities plus 1 - alpha
// times its feed-forward ones, each summed in tensor order.
func (z *ZeroLM) LayerScore(l space.Layer) float64 {
	var s Score
	z.addLayer(&s, l)
	return Combine(z.set.Alpha, s.Attn, s.FFN)
}

// StemScore returns the expected-mode score of the embeddings of a model whose first layer
// has hidden size h (and, for GPT-2, adaptive embedding e): Embed * S_embed, 0 unless the
// settings weigh the embedding sub-module.
func (z *ZeroLM) StemScore(h int, e *space.AdaptiveEmbedding) float64 {
	if z.set.Embed == 0 {
		return 0
	}
	return z.set.Embed * z.stem(h, e)
}

// Expected returns the expected capacity of an out x in matrix under the scorer's init and
// statistic: exact for frob, a cached Monte Carlo mean otherwise (from the scorer's
// DrawCache when it has one).
func (z *ZeroLM) Expected(in, out int) float64 {
	if z.set.Stat == Frob {
		return variance(z.set.Init, in, out) * float64(max(in, out))
	}
	k := shapeKey{in, out}
	z.mu.Lock()
	v, ok := z.expected[k]
	z.mu.Unlock()
	if ok {
		return v
	}
	if z.draws != nil {
		v = z.draws.expected(z.set.Stat, z.set.Init, in, out)
	} else {
		// Seeded by the shape alone, so the value is the same whoever asks first.
		rng := newStream(uint64(in), uint64(out))
		for d := 0; d < expectedDraws; d++ {
			v += sampleCapacity(rng, z.set.Stat, z.set.Init, in, out)
		}
		v /= expectedDraws
	}
	z.mu.Lock()
	z.expected[k] = v
	z.mu.Unlock()
	return v
}

// archSeed derives the weight stream of an architecture from the run seed and its ID.
func archSeed(seed uint64, id string) [2]uint64 {
	b, err := hex.DecodeString(id)
	var h uint64
	if err == nil && len(b) >= 8 {
		h = binary.BigEndian.Uint64(b)
	}
	return [2]uint64{splitmix(seed), splitmix(h ^ 0xd1b54a32d192ed03)}
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
