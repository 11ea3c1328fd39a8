package report_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/zeronas/zeronas/search"
	"github.com/zeronas/zeronas/search/report"
	"github.com/zeronas/zeronas/space"
)

// pageWatch checks, after every generation, that the page shows that generation.
type pageWatch struct {
	t    *testing.T
	path string
	seen int
}

func (w *pageWatch) Init(search.RunInfo) error { return nil }
func (w *pageWatch) Record(rep *search.Report[space.Arch]) error {
	data, err := os.ReadFile(w.path)
	if err != nil {
		return err
	}
	if !bytes.Contains(data, fmt.Appendf(nil, `"generation":%d,"evaluations":%d,`, rep.Generation, rep.Evaluations)) {
		w.t.Errorf("after generation %d the page does not show it", rep.Generation)
	}
	w.seen++
	return nil
}

// TestRecorder: a search with a live page, stopped and resumed, rewrites the page after
// every generation, and ends with the page 'zeronas report' writes of the finished run.
func TestRecorder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	live := filepath.Join(dir, "report.html")
	cfg, err := testConfig("nsga2", 30, 4)
	if err != nil {
		t.Fatal(err)
	}
	w := &pageWatch{t: t, path: live}
	if err := runSearch(dir, cfg, false, report.NewRecorder(dir, live), w); err != nil {
		t.Fatal(err)
	}
	cfg.Budget.Generations = 7
	if err := runSearch(dir, cfg, true, report.NewRecorder(dir, live), w); err != nil {
		t.Fatal(err)
	}
	if w.seen != 8 {
		t.Errorf("%d generations watched, want 8", w.seen)
	}
	after := filepath.Join(t.TempDir(), "after.html")
	if _, err := report.Write([]string{dir}, after, false, report.Options{}); err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(live)
	b, _ := os.ReadFile(after)
	if !bytes.Equal(a, b) {
		t.Errorf("the live page (%d bytes) differs from the report of the finished run (%d bytes)", len(a), len(b))
	}
	// A file that is not a report stops the search before its first generation.
	mine := filepath.Join(t.TempDir(), "notes.html")
	os.WriteFile(mine, []byte("mine"), 0o644)
	err = runSearch(filepath.Join(t.TempDir(), "run2"), cfg, false, report.NewRecorder(dir, mine))
	if data, _ := os.ReadFile(mine); err == nil || string(data) != "mine" {
		t.Errorf("recording over a user's file: %v, file %q", err, data)
	}
}
