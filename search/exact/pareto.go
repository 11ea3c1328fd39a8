package exact

import (
	"math/big"
	"sort"

	"github.com/zeronas/zeronas/space"
)

// groups returns the nodes that are non-dominated on their first k coordinates, grouped by
// equal first-k vectors.
func groups(ns []*node, k int) [][]*node {
	sort.SliceStable(ns, func(i, j int) bool { return lexLess(ns[i].v[:k], ns[j].v[:k]) })
	var out [][]*node
	for _, n := range ns {
		if len(out) > 0 && equal(out[len(out)-1][0].v[:k], n.v[:k]) {
			out[len(out)-1] = append(out[len(out)-1], n)
			continue
		}
		// In lexicographic order no later vector dominates an earlier one.
		dominated := false
		for i := len(out) - 1; i >= 0; i-- {
			if weaklyDominates(out[i][0].v[:k], n.v[:k]) {
				dominated = true
				break
			}
		}
		if !dominated {
			out = append(out, []*node{n})
		}
	}
	return out
}

// nondominated returns the non-dominated nodes, nodes of equal vectors merged into one.
func nondominated(ns []*node) []*node {
	if len(ns) == 0 {
		return ns
	}
	k := len(ns[0].v)
	var out []*node
	for _, g := range groups(ns, k) {
		if len(g) == 1 {
			out = append(out, g[0])
			continue
		}
		m := &node{v: g[0].v, count: new(big.Int)}
		for _, n := range g {
			m.count.Add(m.count, n.count)
			m.from = append(m.from, n.from...)
		}
		out = append(out, m)
	}
	return out
}

func lexLess(a, b []float64) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

func equal(a, b []float64) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// weaklyDominates reports a[i] <= b[i] for every i.
func weaklyDominates(a, b []float64) bool {
	for i := range a {
		if a[i] > b[i] {
			return false
		}
	}
	return true
}

// archs returns up to limit architectures that reach n.
func archs(n *node, limit int) []space.Arch {
	if limit <= 0 {
		return nil
	}
	var out []space.Arch
	for _, e := range n.from {
		if len(out) >= limit {
			break
		}
		if e.parent == nil {
			out = append(out, space.Arch{Layers: []space.Layer{cloneLayer(e.layer)}, Embed: e.embed.Clone()})
			continue
		}
		for _, a := range archs(e.parent, limit-len(out)) {
			a.Layers = append(a.Layers, cloneLayer(e.layer))
			out = append(out, a)
		}
	}
	return out
}

func cloneLayer(l space.Layer) space.Layer {
	l.FF = append([]int(nil), l.FF...)
	return l
}
