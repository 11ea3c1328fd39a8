package report

import (
	"context"
	"errors"
	"math"

	"github.com/zeronas/zeronas/search"
	"github.com/zeronas/zeronas/search/exact"
	"github.com/zeronas/zeronas/search/nas"
)

// exactRef is the exact front of a run's space, objectives and budgets, or why there is none.
type exactRef struct {
	points       [][]float64 // minimised
	ideal, nadir []float64
	hv           float64
	note         string
}

// solveExact computes the exact front of sn's problem. It returns nil when the objectives do
// not split into per-layer terms (then no fraction is shown), and a note when the budgets
// leave no architecture.
func solveExact(sn *snapshot) *exactRef {
	if sn.run.Strategy == "exact" {
		return &exactRef{note: "this run is the exact front (fraction 1 by construction)"}
	}
	p, err := sn.problem()
	if err != nil {
		return &exactRef{note: "the exact front could not be set up: " + err.Error()}
	}
	f, err := exact.Solve(context.Background(), nas.ExactProblem(p), exact.Options{})
	switch {
	case errors.Is(err, exact.ErrInfeasible):
		return &exactRef{note: "no architecture of the space meets the budgets"}
	case err != nil:
		return nil
	}
	m := p.NumObjectives()
	e := &exactRef{ideal: make([]float64, m), nadir: make([]float64, m)}
	for i := range e.ideal {
		e.ideal[i], e.nadir[i] = math.Inf(1), math.Inf(-1)
	}
	for _, pt := range f.Points {
		v := p.Set.Minimised(pt.Values)
		for i := range v {
			e.ideal[i], e.nadir[i] = math.Min(e.ideal[i], v[i]), math.Max(e.nadir[i], v[i])
		}
		e.points = append(e.points, v)
	}
	e.hv = search.NormalizedHypervolume(e.points, e.ideal, e.nadir)
	return e
}

// compare measures r's front, with objectives objs, against the exact front.
func (e *exactRef) compare(objs []Objective, r *Run) *Exact {
	if e.note != "" {
		return &Exact{Note: e.note}
	}
	out := &Exact{Vectors: len(e.points), Hypervolume: e.hv}
	if !r.Feasible {
		out.Note = "the run's front is infeasible"
		return out
	}
	var pts [][]float64
	for _, m := range r.Front {
		pts = append(pts, minimised(objs, m.Values))
	}
	out.RunHypervolume = search.NormalizedHypervolume(pts, e.ideal, e.nadir)
	if e.hv > 0 {
		out.Fraction = out.RunHypervolume / e.hv
	}
	return out
}
