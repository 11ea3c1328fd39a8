package plot

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"

	"github.com/zeronas/zeronas/search/rundir"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// thinCells is the side of the grid on which overlapping archive points are drawn once.
const thinCells = 150

// panels returns the panels of the figure of d: one scatter plot per pair of objectives,
// then the hypervolume history when there is one.
func panels(d *Data) ([]*plot.Plot, error) {
	var ps []*plot.Plot
	n := len(d.Run.Objectives())
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			p, err := scatterPanel(d, i, j)
			if err != nil {
				return nil, err
			}
			ps = append(ps, p)
		}
	}
	if len(d.Run.Generations) > 0 {
		p, err := historyPanel(d.Run.Generations)
		if err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
	return ps, nil
}

// newPanel returns an empty panel with labelled axes and a grid.
func newPanel(x, y string) *plot.Plot {
	p := plot.New()
	p.X.Label.Text, p.Y.Label.Text = x, y
	p.X.Tick.Marker, p.Y.Tick.Marker = siTicks{}, siTicks{}
	p.Add(plotter.NewGrid())
	return p
}

// scatterPanel plots objective j against objective i: the archive in grey, the front in red
// on top. The figure's title says which is which: a legend would hide points.
func scatterPanel(d *Data, i, j int) (*plot.Plot, error) {
	archiveColor, frontColor := color.Gray{Y: 175}, color.RGBA{R: 214, G: 39, B: 40, A: 255}
	objs := d.Run.Objectives()
	p := newPanel(objs[i].Label(), objs[j].Label())
	var feasible, infeasible plotter.XYs
	for k, v := range d.Archive {
		xy := plotter.XY{X: v[i], Y: v[j]}
		if d.Infeasible[k] {
			infeasible = append(infeasible, xy)
		} else {
			feasible = append(feasible, xy)
		}
	}
	// Architectures over budget are crosses, those within it dots, on the archive and on
	// the front alike.
	cross, dot := draw.CrossGlyph{}, draw.CircleGlyph{}
	for _, g := range []struct {
		xys   plotter.XYs
		shape draw.GlyphDrawer
	}{{feasible, dot}, {infeasible, cross}} {
		if len(g.xys) == 0 {
			continue
		}
		s, err := plotter.NewScatter(thin(g.xys, thinCells))
		if err != nil {
			return nil, fmt.Errorf("archive: %w", err)
		}
		s.GlyphStyle = draw.GlyphStyle{Color: archiveColor, Radius: vg.Points(1.6), Shape: g.shape}
		p.Add(s)
	}
	xys := make(plotter.XYs, len(d.Run.Front.Front))
	for k, m := range d.Run.Front.Front {
		xys[k] = plotter.XY{X: m.Values[objs[i].Name], Y: m.Values[objs[j].Name]}
	}
	s, err := plotter.NewScatter(xys)
	if err != nil {
		return nil, fmt.Errorf("front: %w", err)
	}
	s.GlyphStyle = draw.GlyphStyle{Color: frontColor, Radius: vg.Points(3), Shape: dot}
	if !d.Run.Front.Feasible {
		s.GlyphStyle.Shape, s.GlyphStyle.Radius = cross, vg.Points(3.5)
	}
	p.Add(s)
	padAxes(p)
	return p, nil
}

// historyPanel plots the hypervolume against the evaluations, generation by generation.
func historyPanel(gens []rundir.GenerationLine) (*plot.Plot, error) {
	historyColor := color.RGBA{R: 31, G: 119, B: 180, A: 255}
	p := newPanel("evaluations", "hypervolume")
	xys := make(plotter.XYs, len(gens))
	for k, g := range gens {
		xys[k] = plotter.XY{X: float64(g.Evaluations), Y: g.Hypervolume}
	}
	line, points, err := plotter.NewLinePoints(xys)
	if err != nil {
		return nil, fmt.Errorf("hypervolume: %w", err)
	}
	line.Color = historyColor
	line.Width = vg.Points(1.5)
	points.GlyphStyle = draw.GlyphStyle{Color: historyColor, Radius: vg.Points(2), Shape: draw.CircleGlyph{}}
	p.Add(line, points)
	padAxes(p)
	if ref := gens[len(gens)-1].ReferencePoint; len(ref) > 0 {
		terms := make([]string, len(ref))
		for k, r := range ref {
			terms[k] = strconv.FormatFloat(r, 'g', 4, 64)
		}
		p.Title.Text = "reference point (" + strings.Join(terms, ", ") + ")"
		p.Title.TextStyle.Font.Size = vg.Points(10)
	}
	return p, nil
}

// padAxes widens both axes of p by a few percent, so that no point sits on an axis.
func padAxes(p *plot.Plot) {
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		d := 0.04 * (a.Max - a.Min)
		a.Min, a.Max = a.Min-d, a.Max+d
	}
}

// thin drops the points that would be drawn over an earlier one: it keeps the first point
// in every cell of a cells x cells grid over the points' range.
func thin(xys plotter.XYs, cells int) plotter.XYs {
	if len(xys) <= cells {
		return xys
	}
	xmin, xmax, ymin, ymax := plotter.XYRange(xys)
	cell := func(v, lo, hi float64) int {
		if hi <= lo {
			return 0
		}
		return int(float64(cells-1) * (v - lo) / (hi - lo))
	}
	seen := make(map[[2]int]bool)
	out := xys[:0:0]
	for _, p := range xys {
		c := [2]int{cell(p.X, xmin, xmax), cell(p.Y, ymin, ymax)}
		if !seen[c] {
			seen[c] = true
			out = append(out, p)
		}
	}
	return out
}

// siTicks are gonum's default ticks with large values shortened by an SI suffix: 9.2M, not
// 9.2e+06.
type siTicks struct{}

// Ticks returns the ticks of [lo, hi].
func (siTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(lo, hi)
	scale, suffix := 1.0, ""
	switch m := math.Max(math.Abs(lo), math.Abs(hi)); {
	case m >= 1e9:
		scale, suffix = 1e9, "G"
	case m >= 1e6:
		scale, suffix = 1e6, "M"
	case m >= 1e4:
		scale, suffix = 1e3, "k"
	}
	if suffix == "" {
		return ticks
	}
	for k, t := range ticks {
		if t.Label != "" {
			ticks[k].Label = strconv.FormatFloat(t.Value/scale, 'g', 4, 64) + suffix
		}
	}
	return ticks
}
