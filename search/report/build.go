package report

import (
	"fmt"
	"math"
	"strings"

	"github.com/zeronas/zeronas/search"
	"github.com/zeronas/zeronas/space"
)

// Options tunes Build.
type Options struct {
	// NoExact skips computing the exact front of the space, which takes from milliseconds
	// (NAS-Bench-BERT) to seconds (FlexiBERT with a latency table).
	NoExact bool
}

// Build reads the run directories dirs into a Page: a report of one run, or a comparison of
// several runs of the same space and objectives.
func Build(dirs []string, o Options) (*Page, error) {
	if len(dirs) == 0 {
		return nil, fmt.Errorf("report: no run directory")
	}
	var sns []*snapshot
	for _, d := range dirs {
		src, err := openSource(d)
		if err != nil {
			return nil, err
		}
		sn, err := src.read()
		if err != nil {
			return nil, err
		}
		sns = append(sns, sn)
	}
	return newPage(sns, func(sn *snapshot) *exactRef {
		if o.NoExact {
			return nil
		}
		return solveExact(sn)
	}, nil)
}

// newPage builds the page of snapshots sns; exact returns the exact front of a run, or nil;
// ab keeps the archive of a single run between pages (nil: a new one).
func newPage(sns []*snapshot, exact func(*snapshot) *exactRef, ab *archiveBuilder) (*Page, error) {
	first := sns[0]
	for _, sn := range sns[1:] {
		if a, b := objectiveList(first.objectives), objectiveList(sn.objectives); a != b {
			return nil, fmt.Errorf("%s and %s do not compare: objectives %s and %s", first.run.Dir, sn.run.Dir, a, b)
		}
		for i, d := range sn.defs {
			if d != first.defs[i] {
				return nil, fmt.Errorf("%s and %s do not compare: objective %s is %s in one and %s in the other",
					first.run.Dir, sn.run.Dir, sn.objectives[i].Name, first.defs[i], d)
			}
		}
		if sn.spaceKey != first.spaceKey {
			return nil, fmt.Errorf("%s and %s do not compare: spaces %s and %s differ", first.run.Dir, sn.run.Dir, first.run.Space, sn.run.Space)
		}
	}
	p := &Page{Objectives: labelled(first.objectives)}
	var names []string
	for _, sn := range sns {
		r, err := buildRun(sn, ab)
		if err != nil {
			return nil, err
		}
		if e := exact(sn); e != nil {
			r.Exact = e.compare(p.Objectives, r)
		}
		p.Runs = append(p.Runs, r)
		names = append(names, r.Name)
	}
	if len(sns) == 1 {
		p.Title = "zeronas report: " + names[0]
		return p, nil
	}
	p.Title = "zeronas comparison: " + strings.Join(names, ", ")
	p.Common = common(sns, p)
	return p, nil
}

// buildRun turns a snapshot into the page's view of the run; ab, if not nil, holds the
// archive as far as an earlier snapshot of the same run had it.
func buildRun(sn *snapshot, ab *archiveBuilder) (*Run, error) {
	r := *sn.run
	r.CSVHeader = sn.csvHeader
	for i, m := range sn.front {
		mem := Member{Index: i, ID: m.id, Violation: m.violation, Count: m.count,
			Params: space.Params(m.arch, space.Faithful), Config: m.config, CSV: m.csv}
		for _, o := range sn.objectives {
			mem.Values = append(mem.Values, m.values[o.Name])
		}
		for _, l := range m.arch.Layers {
			mem.Layers = append(mem.Layers, Layer{Op: l.Op, Param: l.Param, Hidden: l.Hidden, Heads: l.Heads, FF: l.FF})
		}
		r.Front = append(r.Front, mem)
	}
	if ab == nil {
		ab = &archiveBuilder{}
	}
	r.Archive = ab.extend(sn)
	r.History = sn.history
	return &r, nil
}

// common compares the runs' final fronts on the normalisation of their union.
func common(sns []*snapshot, p *Page) *Common {
	c := &Common{SameNormalisation: true}
	var fronts [][][]float64
	m := len(p.Objectives)
	ideal, nadir := make([]float64, m), make([]float64, m)
	for i := range ideal {
		ideal[i], nadir[i] = math.Inf(1), math.Inf(-1)
	}
	for k, r := range p.Runs {
		if sns[k].norm != sns[0].norm {
			c.SameNormalisation = false
		}
		if !r.Feasible { // least-violating architectures are no solutions: hypervolume 0
			fronts = append(fronts, nil)
			continue
		}
		var pts [][]float64
		for _, mem := range r.Front {
			v := minimised(p.Objectives, mem.Values)
			for i := range v {
				ideal[i], nadir[i] = math.Min(ideal[i], v[i]), math.Max(nadir[i], v[i])
			}
			pts = append(pts, v)
		}
		fronts = append(fronts, pts)
	}
	for _, pts := range fronts {
		hv := 0.0
		if len(pts) > 0 {
			hv = search.NormalizedHypervolume(pts, ideal, nadir)
		}
		c.Hypervolumes = append(c.Hypervolumes, hv)
	}
	return c
}

// minimised returns values with maximised objectives negated.
func minimised(objs []Objective, values []float64) []float64 {
	out := make([]float64, len(values))
	for i, v := range values {
		if objs[i].Sense == "max" {
			v = -v
		}
		out[i] = v
	}
	return out
}

func objectiveList(objs []Objective) string {
	var s []string
	for _, o := range objs {
		s = append(s, o.Name+" ("+o.Sense+")")
	}
	return strings.Join(s, ", ")
}

// labelled gives each objective its axis label and unit.
func labelled(objs []Objective) []Objective {
	out := make([]Objective, len(objs))
	for i, o := range objs {
		better := "lower is better"
		if o.Sense == "max" {
			better = "higher is better"
		}
		switch o.Name {
		case "proxy":
			o.Label, o.Unit = "ZeroLM proxy score ("+better+")", ""
		case "params":
			o.Label, o.Unit = "parameters ("+better+")", "parameters"
		case "latency":
			o.Label, o.Unit = "latency, ms ("+better+")", "ms"
		case "flops":
			o.Label, o.Unit = "FLOPs ("+better+")", "FLOPs"
		default:
			o.Label = o.Name + " (" + better + ")"
		}
		out[i] = o
	}
	return out
}
