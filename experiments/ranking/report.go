package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/zeronas/zeronas/space"
)

func f3(v float64) string {
	if math.IsNaN(v) {
		return "-"
	}
	return strconv.FormatFloat(v, 'f', 3, 64)
}

func pm(m, sd float64) string {
	if math.IsNaN(m) {
		return "-"
	}
	return f3(m) + " ± " + f3(sd)
}

func paramString(r result) string {
	if len(r.params) == 0 {
		return "-"
	}
	var vs []string
	for _, p := range r.params {
		vs = append(vs, strconv.FormatFloat(p, 'f', 2, 64))
	}
	return r.c.paramNames + " = " + strings.Join(vs, ", ")
}

func labels(r result) string {
	if r.c.k == 0 {
		return "none"
	}
	return strconv.Itoa(r.c.k)
}

func writeMarkdown(w io.Writer, runs []spaceRun, seeds int, total time.Duration) {
	fmt.Fprintf(w, "# Past ZeroLM: results (issue 14)\n\nWritten by `go run ./experiments/ranking` (`make experiments`); the plan is PLAN.md beside this file. "+
		"Every score: faithful build, N(0, 0.02) init, expected mode. **Held out**: a fitted candidate is fitted on the calibration records drawn with seed s "+
		"(`proxy.CalibrationSample`, the records ZeroLM's alpha is calibrated on) and scored on the rest, seeds 1..%d, mean ± sd of Spearman rho and Kendall tau-b; "+
		"a label-free candidate is scored on the same held-out records of the 50-label split (so its spread is comparable) and on all records. "+
		"**In-sample** (fitted and scored on every record) is beside, never instead. **Beats ZeroLM**: held-out mean above ZeroLM as shipped (B0) by more than "+
		"the larger of the two seed sds, in both rho and tau.\n\n", seeds)
	for _, sr := range runs {
		b := sr.b
		fmt.Fprintf(w, "## %s\n\n%s, n = %d, space %s, target %s. Run time %s (2 shared cores; noisy). SVD statistics: %s.\n\n",
			b.name, b.file, len(b.recs), b.sp.Name, space.TargetNote(b.target), sr.elapsed.Round(time.Second), statTimes(b))
		fmt.Fprintln(w, "| id | candidate | labels | held-out rho | held-out tau | all-records rho | all-records tau | in-sample rho | in-sample tau | beats ZeroLM | fitted (mean over seeds) |")
		fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|---|")
		for _, r := range sr.results {
			beats := "no"
			switch {
			case r.c.skip != "":
				beats = r.c.skip
			case r.c.id == "B0":
				beats = "(reference)"
			case r.beats:
				beats = "**yes**"
			}
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", r.c.id, r.c.name, labels(r),
				pm(r.outRho, r.outRhoSD), pm(r.outTau, r.outTauSD), f3(r.allRho), f3(r.allTau), f3(r.inRho), f3(r.inTau), beats, paramString(r))
		}
		fmt.Fprintln(w)
		if sr.note != "" {
			fmt.Fprintf(w, "%s\n\n", sr.note)
		}
	}
	fmt.Fprintf(w, "## Decision\n\n%s\n\n", decision(runs))
	for _, sr := range runs {
		a, c := find(sr.results, "6a"), find(sr.results, "6c")
		if a != nil && c != nil && !math.IsNaN(a.outRho) {
			fmt.Fprintf(w, "The Marchenko-Pastur approximation (6c) against the Monte Carlo SVDs (6a) on %s: held-out rho %s against %s, tau %s against %s.\n\n",
				sr.b.name, f3(c.outRho), f3(a.outRho), f3(c.outTau), f3(a.outTau))
		}
	}
	fmt.Fprintf(w, "Total run time %s.\n", total.Round(time.Second))
}

// decision states which candidates beat ZeroLM on every space.
func decision(runs []spaceRun) string {
	wins := map[string]int{}
	var order []string
	for _, sr := range runs {
		for _, r := range sr.results {
			if r.c.baseline {
				continue
			}
			if !slices.Contains(order, r.c.id) {
				order = append(order, r.c.id)
			}
			if r.beats {
				wins[r.c.id]++
			}
		}
	}
	var both, one []string
	for _, id := range order {
		switch wins[id] {
		case len(runs):
			both = append(both, id)
		case 0:
		default:
			one = append(one, id)
		}
	}
	s := "No candidate beats ZeroLM as shipped out of sample on both spaces by more than the seeds' spread."
	if len(both) > 0 {
		s = "Beats ZeroLM as shipped on both spaces: candidate " + strings.Join(both, ", ") + "."
	}
	if len(one) > 0 {
		s += " On one space only (not a win): " + strings.Join(one, ", ") + "."
	}
	return s
}

func writeCSV(w io.Writer, runs []spaceRun) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"space", "id", "candidate", "labels", "n", "out_rho", "out_rho_sd", "out_tau", "out_tau_sd", "all_rho", "all_tau", "in_rho", "in_tau", "beats_zerolm", "skip", "fitted"})
	g := func(v float64) string { return strconv.FormatFloat(v, 'g', 6, 64) }
	for _, sr := range runs {
		for _, r := range sr.results {
			cw.Write([]string{r.space, r.c.id, r.c.name, labels(r), strconv.Itoa(r.n), g(r.outRho), g(r.outRhoSD), g(r.outTau), g(r.outTauSD),
				g(r.allRho), g(r.allTau), g(r.inRho), g(r.inTau), strconv.FormatBool(r.beats), r.c.skip, paramString(r)})
		}
	}
	cw.Flush()
	return cw.Error()
}

func find(rs []result, id string) *result {
	for i := range rs {
		if rs[i].c.id == id {
			return &rs[i]
		}
	}
	return nil
}
