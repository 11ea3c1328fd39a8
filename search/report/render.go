package report

import (
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"math"
	"strconv"
	"strings"
)

var (
	//go:embed assets/page.html
	pageHTML string
	//go:embed assets/common.js assets/scatter.js assets/detail.js assets/table.js
	scripts embed.FS
	//go:embed assets/report.css
	reportCSS string
)

// reportJS is the page's script: its four parts in one function scope, run once.
var reportJS = func() string {
	var b strings.Builder
	b.WriteString("(function () {\n")
	for _, name := range []string{"common.js", "scatter.js", "detail.js", "table.js"} {
		data, err := scripts.ReadFile("assets/" + name)
		if err != nil {
			panic(err) // embedded at build time: cannot happen
		}
		b.Write(data)
	}
	b.WriteString("})();\n")
	return b.String()
}()

var pageTemplate = template.Must(template.New("page").Funcs(template.FuncMap{
	"value":   formatValue,
	"percent": func(f float64) string { return strconv.FormatFloat(100*f, 'f', 2, 64) + "%" },
	"fixed":   func(f float64, d int) string { return strconv.FormatFloat(f, 'f', d, 64) },
	"int":     func(n int64) string { return groupDigits(strconv.FormatInt(n, 10)) },
	"layers":  layersText,
	"int64":   func(n int) int64 { return int64(n) },
	"rounded": func(f float64) int64 { return int64(math.Round(f)) },
}).Parse(pageHTML))

// view is what the template reads: the page, and the page as JSON for the script.
type view struct {
	*Page
	Data     template.JS
	Archives []template.JS
	Script   template.JS
	Style    template.CSS
}

// Render writes p as one self-contained HTML page.
func Render(w io.Writer, p *Page) error {
	data, err := json.Marshal(p) // escapes <, > and &, so the data cannot end its script element
	if err != nil {
		return fmt.Errorf("report: encode page data: %w", err)
	}
	v := view{Page: p, Data: template.JS(data), Script: template.JS(reportJS), Style: template.CSS(reportCSS)}
	for _, r := range p.Runs {
		a := r.Archive.JSON()
		if a == nil {
			return fmt.Errorf("report: run %s: archive not laid out", r.Name)
		}
		v.Archives = append(v.Archives, template.JS(a)) // IDs were encoded by encoding/json, which escapes <, > and &
	}
	return pageTemplate.Execute(w, v)
}

// Single reports whether the page shows one run.
func (p *Page) Single() bool { return len(p.Runs) == 1 }

// AnyCount reports whether any front member carries a count of architectures.
func (r *Run) AnyCount() bool {
	for _, m := range r.Front {
		if m.Count != 0 {
			return true
		}
	}
	return false
}

// AnyViolation reports whether any front member exceeds a budget.
func (r *Run) AnyViolation() bool {
	for _, m := range r.Front {
		if m.Violation > 0 {
			return true
		}
	}
	return false
}

// LastHypervolume is the hypervolume of the last generation; NaN when there is none.
func (r *Run) LastHypervolume() float64 {
	if len(r.History) == 0 {
		return math.NaN()
	}
	return r.History[len(r.History)-1].Hypervolume
}

// formatValue formats an objective value for a table: integers with grouped digits, other
// values to four significant digits.
func formatValue(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return groupDigits(strconv.FormatInt(int64(v), 10))
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// groupDigits puts thin separators between groups of three digits of an integer.
func groupDigits(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteRune(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// layersText describes layers compactly, as the CSV export's layers column does.
func layersText(ls []Layer) string {
	var parts []string
	for _, l := range ls {
		ff := make([]string, len(l.FF))
		for i, w := range l.FF {
			ff[i] = strconv.Itoa(w)
		}
		parts = append(parts, fmt.Sprintf("%s-%s h%d ×%d ff %s", l.Op, l.Param, l.Hidden, l.Heads, strings.Join(ff, "-")))
	}
	return strings.Join(parts, " | ")
}

// SettingRows lays the runs' settings out as rows: the setting's name, then its value in
// each run ("" where a run has none), in the first run's order.
func (p *Page) SettingRows() [][]string {
	var names []string
	seen := map[string]bool{}
	for _, r := range p.Runs {
		for _, s := range r.Settings {
			if !seen[s.Name] {
				seen[s.Name] = true
				names = append(names, s.Name)
			}
		}
	}
	extra := func(r *Run) []Setting {
		var out []Setting
		if r.Exact != nil {
			v := r.Exact.Note
			if r.Exact.Fraction > 0 {
				v = fmt.Sprintf("%.4f of %.4f: %.2f%% (exact front of %d vectors, reference 1.1 on its ideal and nadir)",
					r.Exact.RunHypervolume, r.Exact.Hypervolume, 100*r.Exact.Fraction, r.Exact.Vectors)
				if r.Exact.Note != "" {
					v += "; " + r.Exact.Note
				}
			}
			out = append(out, Setting{"hypervolume vs exact front", v})
		}
		return out
	}
	for _, r := range p.Runs {
		for _, s := range extra(r) {
			if !seen[s.Name] {
				seen[s.Name] = true
				names = append(names, s.Name)
			}
		}
	}
	rows := make([][]string, len(names))
	for i, n := range names {
		rows[i] = make([]string, 1+len(p.Runs))
		rows[i][0] = n
		for j, r := range p.Runs {
			for _, s := range append(r.Settings, extra(r)...) {
				if s.Name == n {
					rows[i][j+1] = s.Value
				}
			}
		}
	}
	return rows
}
