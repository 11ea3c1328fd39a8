package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReport: search with a live page, report one run and compare two, and the errors.
func TestReport(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	for _, args := range [][]string{
		{"search", "--out", a, "--generations", "3", "--population", "20", "--latency", "flops", "--report"},
		{"resume", a, "--generations", "5", "--report"},
		{"search", "--out", b, "--generations", "3", "--population", "20", "--latency", "flops", "--seed", "2"},
	} {
		if _, errs, code := run(t, args...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
	}
	live, err := os.ReadFile(filepath.Join(a, "report.html"))
	if err != nil || !strings.Contains(string(live), `"generation":5,`) {
		t.Fatalf("live page after resume: %v", err)
	}
	out, errs, code := run(t, "report", a)
	if code != 0 || !strings.Contains(out, filepath.Join(a, "report.html")) {
		t.Fatalf("report: exit %d: %s%s", code, out, errs)
	}
	again, _ := os.ReadFile(filepath.Join(a, "report.html"))
	if string(again) != string(live) {
		t.Error("'zeronas report' of the finished run differs from the page --report left")
	}
	cmp := filepath.Join(dir, "compare.html")
	if _, errs, code := run(t, "report", a, b, "--out", cmp); code != 0 {
		t.Fatalf("compare: exit %d: %s", code, errs)
	}
	flops := filepath.Join(dir, "flops")
	if _, errs, code := run(t, "search", "--out", flops, "--generations", "2", "--population", "10", "--objectives", "proxy,latency", "--latency", "flops"); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	ex := filepath.Join(dir, "exact")
	if _, errs, code := run(t, "search", "--out", ex, "--strategy", "exact", "--latency", "flops", "--report"); code != 0 {
		t.Fatalf("exact: exit %d: %s", code, errs)
	}
	if page, err := os.ReadFile(filepath.Join(ex, "report.html")); err != nil || !strings.Contains(string(page), "Exact front of nas-bench-bert") {
		t.Errorf("exact --report: %v", err)
	}
	notes := filepath.Join(dir, "notes.html")
	os.WriteFile(notes, []byte("mine"), 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"report"}, "give a run directory"},
		{[]string{"report", a, b}, "give --out"},
		{[]string{"report", a, flops, "--out", cmp}, "do not compare: objectives"},
		{[]string{"report", filepath.Join(dir, "none")}, "run directory"},
		{[]string{"report", a, "--out", notes}, "is not a zeronas report"},
	} {
		_, errs, code := run(t, tc.args...)
		if code != 2 || !strings.Contains(errs, tc.want) || strings.Count(errs, "\n") != 1 {
			t.Errorf("%v: exit %d, %q; want exit 2 and one line with %q", tc.args, code, errs, tc.want)
		}
	}
	if data, _ := os.ReadFile(notes); string(data) != "mine" {
		t.Error("the user's file changed")
	}
}
