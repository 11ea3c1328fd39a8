package report_test

import (
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/zeronas/zeronas/search"
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

// BenchmarkBrowserRender100k: loading the page of a 100,000-entry run in headless Chromium
// until its script has drawn the scatter (every point on a canvas), the front and the
// charts. ms-to-drawn is the page's own clock from navigation start (parsing the 5 MB file
// included) to the end of the first drawing; ns/op adds the protocol's round trips.
func BenchmarkBrowserRender100k(b *testing.B) {
	dir := bigRun(b)
	out := filepath.Join(b.TempDir(), "report.html")
	p, err := report.Write([]string{dir}, out, true, report.Options{NoExact: true})
	if err != nil {
		b.Fatal(err)
	}
	if n := len(p.Runs[0].Archive.IDs); n != 100_000 {
		b.Fatalf("archive of %d, want 100000", n)
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
