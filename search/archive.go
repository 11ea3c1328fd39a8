package search

import (
	"slices"
	"sort"
)

// archive is the unbounded, deduplicated Pareto archive of a run: every individual seen
// that no other seen individual constrained-dominates. All members share the smallest
// violation seen (0 once anything feasible has been seen). Members are kept sorted by
// objectives, then key, so the archive's content and order depend only on the set of
// individuals added, not on the order in which they came.
//
// Individuals live in an append-only store, and the sorted membership is a slice of
// indexes into it, cheap to shift on insertion; the store is compacted when most of it
// has left the archive.
type archive[G any] struct {
	store   []Individual[G]
	members []int32 // indexes into store, sorted
	keys    map[string]struct{}
	level   float64 // the members' common violation
	version int     // incremented on every change
}

func newArchive[G any]() *archive[G] { return &archive[G]{keys: map[string]struct{}{}} }

// feasible reports whether the archive holds feasible individuals.
func (a *archive[G]) feasible() bool { return len(a.members) > 0 && a.level == 0 }

// front returns a copy of the members, in order.
func (a *archive[G]) front() []Individual[G] {
	out := make([]Individual[G], len(a.members))
	for i, j := range a.members {
		out[i] = a.store[j]
	}
	return out
}

// objectives returns the objectives of the i-th member.
func (a *archive[G]) objectives(i int) []float64 { return a.store[a.members[i]].Objectives }

// lowerBound returns the index of the first member whose objectives are not
// lexicographically smaller than p. Only members before it can dominate p.
func (a *archive[G]) lowerBound(p []float64) int {
	return sort.Search(len(a.members), func(i int) bool { return compareVectors(a.objectives(i), p) >= 0 })
}

// rejects reports whether e could not enter the archive whatever its key: it violates
// more than the members, or a member dominates it. *hint is the index of the member that
// last rejected a point; it is checked first and updated.
func (a *archive[G]) rejects(e Eval, hint *int) bool {
	if len(a.members) == 0 || e.Violation < a.level {
		return false
	}
	if e.Violation > a.level {
		return true
	}
	if *hint < len(a.members) && paretoDominates(a.objectives(*hint), e.Objectives) {
		return true
	}
	pos := a.lowerBound(e.Objectives)
	if len(e.Objectives) == 2 { // the predecessor has the smallest second objective
		return pos > 0 && paretoDominates(a.objectives(pos-1), e.Objectives)
	}
	for i := pos - 1; i >= 0; i-- {
		if paretoDominates(a.objectives(i), e.Objectives) {
			*hint = i
			return true
		}
	}
	return false
}

// add inserts ind unless its key is known or it is rejected, removing the members it
// dominates, and reports whether it entered.
func (a *archive[G]) add(ind Individual[G]) bool {
	if _, ok := a.keys[ind.Key]; ok {
		return false
	}
	hint := len(a.members)
	if a.rejects(ind.Eval, &hint) {
		return false
	}
	if len(a.members) > 0 && ind.Violation < a.level {
		a.members = a.members[:0]
		clear(a.keys)
	}
	p := ind.Objectives
	pos := a.lowerBound(p) // again: rejects may not have searched
	for pos < len(a.members) && slices.Equal(a.objectives(pos), p) && a.store[a.members[pos]].Key < ind.Key {
		pos++
	}
	if len(p) == 2 { // the members p dominates follow it and its copies
		start := pos
		for start < len(a.members) && slices.Equal(a.objectives(start), p) {
			start++
		}
		end := start
		for end < len(a.members) && paretoDominates(p, a.objectives(end)) {
			delete(a.keys, a.store[a.members[end]].Key)
			end++
		}
		a.members = slices.Delete(a.members, start, end)
	} else { // only members after p can be dominated by it
		kept := a.members[:pos]
		for _, j := range a.members[pos:] {
			if paretoDominates(p, a.store[j].Objectives) {
				delete(a.keys, a.store[j].Key)
			} else {
				kept = append(kept, j)
			}
		}
		a.members = kept
	}
	a.members = slices.Insert(a.members, pos, int32(len(a.store)))
	a.store = append(a.store, ind)
	a.keys[ind.Key] = struct{}{}
	a.level = ind.Violation
	a.version++
	if len(a.store) > 1024 && len(a.store) > 4*len(a.members) {
		a.store, a.members = a.front(), a.members[:0]
		for i := range a.store {
			a.members = append(a.members, int32(i))
		}
	}
	return true
}

// hypervolume returns the normalised hypervolume of the members, or 0 when they are
// infeasible.
func (a *archive[G]) hypervolume(ideal, nadir []float64) float64 {
	if !a.feasible() {
		return 0
	}
	ref := NormalizedReferencePoint(len(ideal))
	flat := make([]float64, 0, len(a.members)*len(ideal))
	points := make([][]float64, 0, len(a.members))
	for i := range a.members {
		n := len(flat)
		flat = normalize(a.objectives(i), ideal, nadir, flat)
		if p := flat[n:]; strictlyBelow(p, ref) {
			points = append(points, p)
		}
	}
	if len(ref) == 2 { // normalising keeps the members' order
		return hv2Sorted(points, ref)
	}
	return hypervolume(points, ref)
}
