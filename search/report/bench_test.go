package report_test

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/zeronas/zeronas/search"
	"github.com/zeronas/zeronas/search/plot"
	"github.com/zeronas/zeronas/search/report"
)

// bigRun makes a run of 100,000 evaluated architectures: random sampling of NAS-Bench-BERT
// in 20 batches of 5,000 (the page's cost depends on the archive's size, not on how it
// was searched).
func bigRun(b *testing.B) string {
	b.Helper()
	dir := filepath.Join(b.TempDir(), "big")
	cfg, err := testConfig("random", 5000, 0)
	if err != nil {
		b.Fatal(err)
	}
	cfg.Budget.Evaluations = 100_000
	if err := runSearch(dir, cfg, false); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkBuild100k: reading a 100,000-entry run and writing its page.
func BenchmarkBuild100k(b *testing.B) {
	dir := bigRun(b)
	out := filepath.Join(b.TempDir(), "report.html")
	for b.Loop() {
		if _, err := report.Write([]string{dir}, out, true, report.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	st, _ := os.Stat(out)
	b.ReportMetric(float64(st.Size())/1e6, "MB/page")
}

// BenchmarkBrowserRender: loading a page in headless Chromium until its script has drawn
// the scatter (every point on a canvas), the front and the charts, for the 491-entry test
// run (the baseline) and a 100,000-entry run. ms-to-drawn is the page's own clock from
// navigation start (parsing the file included) to the end of the first drawing; ns/op adds
// the protocol's round trips.
func BenchmarkBrowserRender(b *testing.B) {
	for _, tc := range []struct {
		name string
		dir  func(b *testing.B) string
	}{
		{"archive=491", func(b *testing.B) string { return fixture(b, "nsga2") }},
		{"archive=100000", bigRun},
	} {
		b.Run(tc.name, func(b *testing.B) {
			dir := tc.dir(b)
			out := filepath.Join(b.TempDir(), "report.html")
			if _, err := report.Write([]string{dir}, out, true, report.Options{NoExact: true}); err != nil {
				b.Fatal(err)
			}
			ctx, _ := tab(b)
			u := (&url.URL{Scheme: "file", Path: out}).String()
			var total float64
			n := 0
			for b.Loop() {
				if err := chromedp.Do(ctx, chromedp.Navigate("about:blank"), chromedp.Navigate(u), chromedp.WaitReady(chromedp.CSS("body[data-ready]"))); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				ready, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.dataset.ready`))
				if err != nil {
					b.Fatal(err)
				}
				ms, _ := strconv.ParseFloat(ready, 64)
				total += ms
				n++
				b.StartTimer()
			}
			b.ReportMetric(total/float64(n), "ms-to-drawn")
		})
	}
}

// BenchmarkPlotRead100k is the baseline of BenchmarkBuild100k: today's other reader of a
// run's archive (search/plot, the PNG's data) on the same run.
func BenchmarkPlotRead100k(b *testing.B) {
	dir := bigRun(b)
	for b.Loop() {
		if _, err := plot.ReadData(context.Background(), dir); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRecord100k: what --report adds to each generation of a run that has evaluated
// 100,000 architectures (nothing new to read: the page's building and writing).
func BenchmarkRecord100k(b *testing.B) {
	dir := bigRun(b)
	rec := report.NewRecorder(dir, filepath.Join(b.TempDir(), "report.html"))
	if err := rec.Init(search.RunInfo{}); err != nil {
		b.Fatal(err)
	}
	if err := rec.Record(nil); err != nil { // the first reads the run and solves the exact front
		b.Fatal(err)
	}
	for b.Loop() {
		if err := rec.Record(nil); err != nil {
			b.Fatal(err)
		}
	}
}
