package main

import (
	"strings"
	"testing"
)

// TestDefaultBeatsPaper: the default proxy (faithful build, N(0, 0.02), alpha calibrated by
// benchmark sampling on 50 records) scored on records it was not calibrated on must clearly
// beat the paper's rho 0.76 and tau 0.53.
func TestDefaultBeatsPaper(t *testing.T) {
	s, err := newSetup("nas-bench-bert", "../data/nas-bench-bert/nas-bench-bert-dev.json", 50, 10)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := table(s, false)
	if err != nil {
		t.Fatal(err)
	}
	r := rows[0]
	if r.Build != "faithful" || r.Init != "normal" {
		t.Fatalf("first row %+v is not the default", r)
	}
	if r.OutRho < 0.80 || r.OutTau < 0.58 {
		t.Errorf("held-out rho %.3f, tau %.3f: not clearly above the paper's 0.76 and 0.53", r.OutRho, r.OutTau)
	}
	// The published legacy parameter-count baseline, reproduced on these records.
	for _, r := range rows {
		if r.Proxy == "params" && r.Build == "legacy" && (r.InRho < 0.6 || r.InRho > 0.72) {
			t.Errorf("legacy params rho %.3f, published 0.652 on all 500", r.InRho)
		}
	}
}

// A run without calibration seeds is a clear error, not a table of NaN.
func TestRunRefusesNoRepeats(t *testing.T) {
	for _, repeats := range []int{0, -1} {
		if err := run("nas-bench-bert", "../data/nas-bench-bert/nas-bench-bert-dev.json", t.TempDir(), 50, repeats, false, true, true); err == nil || !strings.Contains(err.Error(), "-repeats") {
			t.Errorf("repeats %d: err %v, want one naming -repeats", repeats, err)
		}
	}
}
