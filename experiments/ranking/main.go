// Command ranking runs issue 14's candidates for a better training-free ranking than ZeroLM
// (experiments/ranking/PLAN.md) on NAS-Bench-BERT and LTS GPT-2 records, with the baselines,
// and writes results.md and results.csv: every candidate, failures included, held out over
// seeded calibration samples.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/zeronas/zeronas/internal/atomicfile"
	"github.com/zeronas/zeronas/proxy"
)

func main() {
	bert := flag.String("bert", "experiments/data/nas-bench-bert/nas-bench-bert-dev.json", "NAS-Bench-BERT records")
	lts := flag.String("lts", "experiments/data/lts/gpt2-lm1b-dev.jsonl", "LTS GPT-2 records")
	out := flag.String("out", "experiments/ranking", "output folder")
	seeds := flag.Int("seeds", 20, "calibration seeds")
	svdBERT := flag.Bool("svd-bert", true, "compute the Monte Carlo SVD statistics (candidates 6a, 6b) on NAS-Bench-BERT")
	svdLTS := flag.Bool("svd-lts", false, "also compute them on LTS: hours on 2 cores today")
	svdCost := flag.Bool("svd-cost", true, "where they are not computed, time one shape to estimate their cost")
	flag.Parse()
	if err := run(options{bert: *bert, lts: *lts, out: *out, seeds: *seeds, svdBERT: *svdBERT, svdLTS: *svdLTS, svdCost: *svdCost}); err != nil {
		fmt.Fprintln(os.Stderr, "ranking:", err)
		os.Exit(1)
	}
}

// spaceRun is one space's results and how long its parts took.
type spaceRun struct {
	b       *bench
	results []result
	elapsed time.Duration
	note    string // what was not run and why
}

// options are the program's flags.
type options struct {
	bert, lts, out  string
	seeds           int
	svdBERT, svdLTS bool
	svdCost         bool
}

func run(o options) error {
	if o.seeds < 1 {
		return fmt.Errorf("-seeds %d: need at least one calibration seed", o.seeds)
	}
	start := time.Now()
	var runs []spaceRun
	for _, s := range []struct {
		name, space, path string
		svd               bool
	}{{"NAS-Bench-BERT", "nas-bench-bert", o.bert, o.svdBERT}, {"LTS GPT-2", "gpt2", o.lts, o.svdLTS}} {
		t0 := time.Now()
		b, err := loadBench(s.name, s.space, s.path)
		if err != nil {
			return err
		}
		if s.svd {
			for _, st := range ensembleStats[1:] {
				if err := b.addStat(st); err != nil {
					return err
				}
			}
		}
		rs, err := evaluateAll(b, o.seeds)
		if err != nil {
			return err
		}
		var note string
		if o.svdCost {
			if note, err = costNote(b); err != nil {
				return err
			}
		}
		runs = append(runs, spaceRun{b: b, results: rs, elapsed: time.Since(t0), note: note})
	}
	var md, csv bytes.Buffer
	writeMarkdown(&md, runs, o.seeds, time.Since(start))
	if err := writeCSV(&csv, runs); err != nil {
		return err
	}
	if err := atomicfile.Write(filepath.Join(o.out, "results.md"), md.Bytes()); err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(o.out, "results.csv"), csv.Bytes())
}

// evaluateAll evaluates the baselines and every candidate on b.
func evaluateAll(b *bench, seeds int) ([]result, error) {
	bs, err := baselines(b)
	if err != nil {
		return nil, err
	}
	cs, err := candidates(b)
	if err != nil {
		return nil, err
	}
	var rs []result
	for _, c := range append(bs, cs...) {
		r, err := evaluate(b, c, seeds)
		if err != nil {
			return nil, err
		}
		rs = append(rs, r)
	}
	decide(rs)
	return rs, nil
}

// statTimes says how long each SVD statistic took on b, or that it was not computed.
func statTimes(b *bench) string {
	if len(b.statTime) == 0 {
		return "not computed"
	}
	s := ""
	for _, st := range []proxy.Stat{proxy.StableRank, proxy.Entropy} {
		if s != "" {
			s += ", "
		}
		s += fmt.Sprintf("%s %s", st, b.statTime[st].Round(time.Second))
	}
	return s
}
