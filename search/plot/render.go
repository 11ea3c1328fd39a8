package plot

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/zeronas/zeronas/search/export"
)

// Format is an image format.
type Format string

// The image formats.
const (
	PNG Format = "png"
	SVG Format = "svg"
)

// ErrFormat reports an output file whose extension names no supported image format.
var ErrFormat = errors.New("unknown image format (want .png or .svg)")

// FormatOf returns the image format named by the extension of path.
func FormatOf(path string) (Format, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".png":
		return PNG, nil
	case ".svg":
		return SVG, nil
	}
	return "", fmt.Errorf("%s: %w", path, ErrFormat)
}

// Options says how a figure is drawn and written.
type Options struct {
	// Width and Height are the size of the figure; if 0, each panel is 4.5 by 3.5 inches.
	Width, Height vg.Length
	// DPI is the resolution of a PNG; if 0, 110 is used.
	DPI int
	// Force replaces an existing output file; without it Render refuses one with
	// export.ErrExists.
	Force bool
}

// Sizes of the figure.
const (
	panelWidth  = 4.5 * vg.Inch
	panelHeight = 3.5 * vg.Inch
	titleHeight = 0.6 * vg.Inch
	defaultDPI  = 110
)

// Render draws the run directory dir (see ReadData) into the file out, a PNG or an SVG as
// its extension says. The file appears whole or not at all.
func Render(ctx context.Context, dir, out string, o Options) error {
	f, err := FormatOf(out)
	if err != nil {
		return err
	}
	d, err := ReadData(ctx, dir)
	if err != nil {
		return err
	}
	return export.WriteFile(out, o.Force, func(w io.Writer) error { return Draw(w, d, f, o) })
}

// Draw writes the figure of d to w in format f: one panel per pair of objectives, with the
// archive in grey and the front highlighted, and a panel of the hypervolume history, tiled
// under a title that names the run.
func Draw(w io.Writer, d *Data, f Format, o Options) error {
	ps, err := panels(d)
	if err != nil {
		return err
	}
	if len(ps) == 0 {
		return errors.New("nothing to plot: one objective and no generations.jsonl")
	}
	cols := int(math.Ceil(math.Sqrt(float64(len(ps)))))
	rows := (len(ps) + cols - 1) / cols
	if o.Width == 0 {
		o.Width = vg.Length(cols) * panelWidth
	}
	if o.Height == 0 {
		o.Height = vg.Length(rows)*panelHeight + titleHeight
	}
	if o.DPI == 0 {
		o.DPI = defaultDPI
	}
	var c vg.CanvasWriterTo
	switch f {
	case PNG:
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(o.Width, o.Height), vgimg.UseDPI(o.DPI))}
	case SVG:
		c = vgsvg.New(o.Width, o.Height)
	default:
		return fmt.Errorf("format %q: %w", f, ErrFormat)
	}
	dc := draw.New(c)
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	drawTitle(dc, title(d))
	grid := make([][]*plot.Plot, rows)
	for r := range grid {
		grid[r] = make([]*plot.Plot, cols)
		for k := range grid[r] {
			if i := r*cols + k; i < len(ps) {
				grid[r][k] = ps[i]
			}
		}
	}
	pad := vg.Points(12)
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: 2 * pad, PadY: 2 * pad, PadLeft: pad, PadRight: pad, PadBottom: pad}
	canvases := plot.Align(grid, tiles, draw.Crop(dc, 0, 0, 0, -titleHeight))
	for r := range grid {
		for k, p := range grid[r] {
			if p != nil {
				p.Draw(canvases[r][k])
			}
		}
	}
	_, err = c.WriteTo(w)
	return err
}

// title names the run of d and says how much of it the figure shows.
func title(d *Data) string {
	c := d.Run.Config
	s := fmt.Sprintf("%s: %s, %s, seed %d: %d on the front (red)", d.Run.Name(), c.Space.Name, c.Strategy, c.Seed, len(d.Run.Front.Front))
	if len(d.Archive) > 0 {
		s += fmt.Sprintf(" of %d evaluated (grey)", len(d.Archive))
	}
	if n := len(d.Run.Generations); n > 0 {
		s += fmt.Sprintf(" in %d generations", n)
	}
	if !d.Run.Front.Feasible {
		s += "\nINFEASIBLE: nothing met the budgets; the front holds the least-violating architectures (x: over budget)"
	}
	return s
}

// drawTitle writes s, one or two lines, centred at the top of dc.
func drawTitle(dc draw.Canvas, s string) {
	style := text.Style{Color: color.Black, Font: font.From(plot.DefaultFont, 13),
		XAlign: draw.XCenter, YAlign: draw.YCenter, Handler: plot.DefaultTextHandler}
	at := vg.Point{X: (dc.Min.X + dc.Max.X) / 2, Y: dc.Max.Y - titleHeight/2}
	dc.FillText(style, at, s)
}
