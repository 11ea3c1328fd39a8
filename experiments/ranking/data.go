package main

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"time"

	"github.com/zeronas/zeronas/proxy"
	"github.com/zeronas/zeronas/space"
)

// bench is one space's labelled records and every per-record quantity a candidate ranks by,
// computed once: the faithful build, N(0, 0.02) init, expected mode.
type bench struct {
	name   string // "NAS-Bench-BERT" or "LTS GPT-2"
	file   string
	sp     *space.Space
	recs   []space.Record
	labels []float64
	target string

	z     *proxy.ZeroLM // frob, the shipped statistic
	parts proxy.Parts   // ZeroLM's sub-module sums, from proxy.ScoreAll
	third []float64     // embeddings and the matrices between layers (candidate 1)
	// opNames and ops: the attention sum split by operation (candidate 2).
	opNames []string
	ops     [][]float64
	depth   []float64
	// layerA and layerF: per-record, per-layer attention and feed-forward sums (candidate 4).
	layerA, layerF [][]float64
	// stats holds the sub-module sums under other statistics (candidate 6), when computed.
	stats map[proxy.Stat]proxy.Parts
	// mp holds them from the Marchenko-Pastur approximation (mp.go).
	mp map[proxy.Stat]proxy.Parts
	// statTime is the wall time of each statistic's sums on this machine.
	statTime map[proxy.Stat]time.Duration
}

var faithful = proxy.Settings{Build: space.Faithful, Init: proxy.Normal, Stat: proxy.Frob, Mode: proxy.Expected}

func loadBench(name, spaceName, path string) (*bench, error) {
	sp, err := space.Load(spaceName)
	if err != nil {
		return nil, err
	}
	recs, err := space.ReadRecords(path, sp)
	if err != nil {
		return nil, err
	}
	y, target, err := proxy.Labels(path, recs)
	if err != nil {
		return nil, err
	}
	z, err := proxy.NewZeroLM(faithful)
	if err != nil {
		return nil, err
	}
	b := &bench{name: name, file: filepath.Base(path), sp: sp, recs: recs, labels: y, target: target, z: z,
		stats: map[proxy.Stat]proxy.Parts{}, mp: map[proxy.Stat]proxy.Parts{}, statTime: map[proxy.Stat]time.Duration{}}
	b.parts, err = b.sums(z)
	if err != nil {
		return nil, err
	}
	b.features()
	for _, st := range ensembleStats[1:] {
		b.addStatMP(st)
	}
	return b, nil
}

func (b *bench) archs() []space.Arch {
	a := make([]space.Arch, len(b.recs))
	for i, r := range b.recs {
		a[i] = r.Arch
	}
	return a
}

// sums returns the sub-module sums of every record under z.
func (b *bench) sums(z *proxy.ZeroLM) (proxy.Parts, error) {
	s, err := proxy.ScoreAll(context.Background(), z, b.archs(), runtime.GOMAXPROCS(0))
	if err != nil {
		return proxy.Parts{}, err
	}
	return proxy.PartsOf(s), nil
}

// addStat computes the sub-module sums under statistic st (expected mode: a cached Monte
// Carlo mean per matrix shape, which is what makes it affordable or not).
func (b *bench) addStat(st proxy.Stat) error {
	set := faithful
	set.Stat = st
	z, err := proxy.NewZeroLM(set)
	if err != nil {
		return err
	}
	start := time.Now()
	p, err := b.sums(z)
	if err != nil {
		return fmt.Errorf("%s %s: %w", b.name, st, err)
	}
	b.stats[st], b.statTime[st] = p, time.Since(start)
	return nil
}

// opGroup names the attention group of a layer: its operation, DSC whatever its kernel.
func opGroup(l space.Layer) string {
	if l.Op == space.OpDSC || l.Param == "" {
		return l.Op
	}
	return l.Param
}

// features walks every record's tensors once for the quantities ZeroLM's score does not
// keep apart: the third sum, attention by operation, and per-layer sums.
func (b *bench) features() {
	n := len(b.recs)
	group := map[string]int{}
	for _, o := range space.Operations() {
		g := opGroup(space.Layer{Op: o.Op, Param: o.Param})
		if _, ok := group[g]; !ok {
			group[g] = len(b.opNames)
			b.opNames = append(b.opNames, g)
		}
	}
	b.ops = make([][]float64, len(b.opNames))
	for g := range b.ops {
		b.ops[g] = make([]float64, n)
	}
	b.third, b.depth = make([]float64, n), make([]float64, n)
	b.layerA, b.layerF = make([][]float64, n), make([][]float64, n)
	bd := faithful.Build
	for i, r := range b.recs {
		a := r.Arch
		b.depth[i] = float64(a.Depth())
		b.layerA[i], b.layerF[i] = make([]float64, a.Depth()), make([]float64, a.Depth())
		for _, t := range space.Tensors(a, bd) {
			switch {
			case t.Scored():
				c := b.z.Expected(t.In, t.Out)
				if t.Role == space.Attention {
					b.layerA[i][t.Layer] += c
					b.ops[group[opGroup(a.Layers[t.Layer])]][i] += c
				} else {
					b.layerF[i][t.Layer] += c
				}
			case t.Kind == space.Matrix || (t.Kind == space.Table && t.Role == space.Embedding):
				b.third[i] += b.z.Expected(t.In, t.Out)
			}
		}
	}
	// Drop the groups no record uses (GPT-2 has one operation).
	var names []string
	var ops [][]float64
	for g, v := range b.ops {
		for _, x := range v {
			if x != 0 {
				names, ops = append(names, b.opNames[g]), append(ops, v)
				break
			}
		}
	}
	b.opNames, b.ops = names, ops
}
