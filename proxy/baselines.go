package proxy

import (
	"fmt"

	"github.com/zeronas/zeronas/space"
)

// Proxy predicts the quality of an architecture: higher is better.
type Proxy interface {
	Name() string
	Value(a space.Arch) float64
}

// ProxyNames lists the proxies New accepts.
func ProxyNames() []string { return []string{"zerolm", "params", "flops", "attn", "ffn"} }

// New returns the proxy called name under settings s (the build applies to every proxy;
// the init, statistic, mode and alpha to the ZeroLM family).
func New(name string, s Settings) (Proxy, error) {
	switch name {
	case "params":
		return params{s.Build}, nil
	case "flops":
		return flops{s.Build}, nil
	case "zerolm", "attn", "ffn":
		z, err := NewZeroLM(s)
		if err != nil {
			return nil, err
		}
		return part{z, name}, nil
	}
	return nil, fmt.Errorf("proxy: unknown proxy %q (want zerolm, params, flops, attn or ffn)", name)
}

type params struct{ b space.Build }

func (params) Name() string                 { return "params" }
func (p params) Value(a space.Arch) float64 { return float64(space.Params(a, p.b)) }

type flops struct{ b space.Build }

func (flops) Name() string                 { return "flops" }
func (f flops) Value(a space.Arch) float64 { return space.FLOPs(a, f.b, space.SeqLen) }

// part is ZeroLM's score, or one of its sub-module sums.
type part struct {
	z    *ZeroLM
	name string
}

func (p part) Name() string { return p.name }

func (p part) Value(a space.Arch) float64 {
	s := p.z.Score(a)
	switch p.name {
	case "attn":
		return s.Attn
	case "ffn":
		return s.FFN
	}
	return s.Score
}
