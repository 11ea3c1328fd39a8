// Package exact computes the exact Pareto front of a whole space when every objective and
// budget is a sum of per-layer terms (objectives.Terms), by a layer-wise Pareto dynamic
// programme: for each depth reached and each hidden size of the last layer it keeps only the
// non-dominated partial sums, since a partial architecture dominated by another with the same
// depth and last hidden size stays dominated whatever layers follow.
package exact

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"sort"

	"github.com/zeronas/zeronas/objectives"
	"github.com/zeronas/zeronas/space"
)

// ErrNotDecomposable is returned for an objective or budget without per-layer terms.
var ErrNotDecomposable = errors.New("exact: objective does not split into per-layer terms")

// ErrInfeasible is returned when no architecture of the space meets the budgets.
var ErrInfeasible = errors.New("exact: no architecture meets the budgets")

// Budget bounds a decomposable quantity whose terms are never negative.
type Budget struct {
	Name  string
	Terms objectives.Terms
	Max   float64
}

// Problem is a space, its objectives and its budgets.
type Problem struct {
	Space      *space.Space
	Objectives []objectives.Objective
	Budgets    []Budget
}

// Point is one vector of the exact front.
type Point struct {
	// Values holds the objectives in their own sense.
	Values []float64
	// Count is the number of architectures that attain Values.
	Count *big.Int
	// Archs holds one architecture attaining Values, or every one (up to a limit) when
	// asked for all.
	Archs []space.Arch
}

// Options tunes Solve.
type Options struct {
	// All lists every architecture attaining each front vector, up to MaxPerPoint.
	All bool
	// MaxPerPoint caps the architectures listed per vector when All is set; if 0, 1000.
	MaxPerPoint int
}

// Front is the exact Pareto front.
type Front struct {
	Points []Point
	// Nodes is the number of partial architectures the programme kept, a measure of its work.
	Nodes int
}

// node is a partial architecture: its vector (minimised objectives, then budget sums) and
// the ways of reaching it.
type node struct {
	v     []float64
	count *big.Int
	from  []edge
}

type edge struct {
	parent *node // nil for the first layer
	layer  space.Layer
}

// Solve returns the exact Pareto front of p.
func Solve(ctx context.Context, p Problem, opt Options) (*Front, error) {
	if opt.MaxPerPoint <= 0 {
		opt.MaxPerPoint = 1000
	}
	terms, sense, err := p.terms()
	if err != nil {
		return nil, err
	}
	nObj := len(p.Objectives)
	sp := p.Space
	// Per-layer vectors, with the choices dominated within their hidden size dropped.
	choices := map[int][]*node{}
	for _, h := range sp.Hidden {
		var ns []*node
		for _, l := range sp.LayerChoices(h) {
			v := make([]float64, len(terms))
			for i, t := range terms {
				v[i] = sense[i] * t.Layer(l)
			}
			ns = append(ns, &node{v: v, count: big.NewInt(1), from: []edge{{nil, l}}})
		}
		choices[h] = nondominated(ns)
	}
	// A shared hidden size splits the space into one programme per size.
	hiddenSets := [][]int{sp.Hidden}
	if sp.SharedHidden {
		hiddenSets = nil
		for _, h := range sp.Hidden {
			hiddenSets = append(hiddenSets, []int{h})
		}
	}
	maxDepth := sp.Depths[len(sp.Depths)-1]
	var finals []*node
	nodes := 0
	for _, g := range hiddenSets {
		// states[h]: non-dominated partials whose last layer has hidden size h.
		states := map[int][]*node{}
		for _, h := range g {
			emb := make([]float64, len(terms))
			for i, t := range terms {
				emb[i] = sense[i] * t.Embedding(h)
			}
			states[h] = p.feasible(extend([]*node{{v: emb, count: big.NewInt(1)}}, nil, choices[h], nObj, true))
		}
		for depth := 1; ; depth++ {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			for _, h := range g {
				nodes += len(states[h])
				if slices.Contains(sp.Depths, depth) {
					finals = append(finals, states[h]...)
				}
			}
			if depth == maxDepth {
				break
			}
			next := map[int][]*node{}
			for _, h2 := range g {
				var cand []*node
				for _, h1 := range g {
					proj := make([]float64, len(terms))
					for i, t := range terms {
						proj[i] = sense[i] * t.Projection(h1, h2)
					}
					cand = append(cand, extend(states[h1], proj, choices[h2], nObj, false)...)
				}
				next[h2] = nondominated(p.feasible(cand))
			}
			states = next
		}
	}
	if len(finals) == 0 {
		return nil, ErrInfeasible
	}
	front := groups(finals, nObj)
	out := &Front{Nodes: nodes}
	for _, n := range front {
		vals := make([]float64, nObj)
		for i := range vals {
			vals[i] = sense[i] * n[0].v[i]
		}
		limit := 1
		if opt.All {
			limit = opt.MaxPerPoint
		}
		pt := Point{Values: vals, Count: new(big.Int)}
		for _, m := range n {
			pt.Count.Add(pt.Count, m.count)
			pt.Archs = append(pt.Archs, archs(m, limit-len(pt.Archs))...)
		}
		out.Points = append(out.Points, pt)
	}
	sort.Slice(out.Points, func(i, j int) bool { return less(out.Points[i].Values, out.Points[j].Values) })
	return out, nil
}

func less(a, b []float64) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

// terms returns the terms of every objective then every budget, and the sign that turns
// each into a quantity to minimise.
func (p Problem) terms() ([]objectives.Terms, []float64, error) {
	var ts []objectives.Terms
	var sense []float64
	for _, o := range p.Objectives {
		t, ok := o.Terms()
		if !ok {
			return nil, nil, fmt.Errorf("%w: %s (use expected mode and a latency table or FLOPs)", ErrNotDecomposable, o.Name())
		}
		s := 1.0
		if o.Sense() == objectives.Max {
			s = -1
		}
		ts, sense = append(ts, t), append(sense, s)
	}
	for _, b := range p.Budgets {
		if b.Terms == nil {
			return nil, nil, fmt.Errorf("%w: budget %s", ErrNotDecomposable, b.Name)
		}
		ts, sense = append(ts, b.Terms), append(sense, 1)
	}
	return ts, sense, nil
}

// feasible drops partials already over a budget: budget terms are never negative, so
// adding layers cannot bring them back.
func (p Problem) feasible(ns []*node) []*node {
	if len(p.Budgets) == 0 {
		return ns
	}
	off := len(p.Objectives)
	out := ns[:0]
	for _, n := range ns {
		ok := true
		for j, b := range p.Budgets {
			if n.v[off+j] > b.Max {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, n)
		}
	}
	return out
}

// extend returns every parent extended by the projection (if any) and every layer choice.
// The additions follow objectives.Sum's order, so a vector equals the objective's value of
// the same architecture bit for bit.
func extend(parents []*node, proj []float64, layers []*node, nObj int, first bool) []*node {
	out := make([]*node, 0, len(parents)*len(layers))
	for _, par := range parents {
		for _, l := range layers {
			v := make([]float64, len(par.v))
			for i := range v {
				v[i] = par.v[i]
				if proj != nil {
					v[i] += proj[i]
				}
				v[i] += l.v[i]
			}
			var from []edge
			var parent *node
			if !first {
				parent = par
			}
			for _, e := range l.from {
				from = append(from, edge{parent, e.layer})
			}
			out = append(out, &node{v: v, count: new(big.Int).Mul(par.count, l.count), from: from})
		}
	}
	return out
}
