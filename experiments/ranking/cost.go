package main

import (
	"fmt"
	"time"

	"github.com/zeronas/zeronas/proxy"
	"github.com/zeronas/zeronas/space"
)

// svdCost estimates what the Monte Carlo SVD statistics of candidate 6 would cost on b: the
// distinct scored matrix shapes of its records (expected mode decomposes each shape three
// times per statistic), and one shape's measured time scaled by the SVD's m n min(m, n) to
// the others. It measures the largest shape, so it takes seconds.
func svdCost(b *bench) (shapes int, est time.Duration, err error) {
	seen := map[[2]int]bool{}
	var largest [2]int
	var work float64
	flops := func(s [2]int) float64 { return float64(s[0]) * float64(s[1]) * float64(min(s[0], s[1])) }
	for _, r := range b.recs {
		for _, t := range space.Tensors(r.Arch, faithful.Build) {
			s := [2]int{t.In, t.Out}
			if !t.Scored() || seen[s] {
				continue
			}
			seen[s] = true
			work += flops(s)
			if flops(s) > flops(largest) {
				largest = s
			}
		}
	}
	set := faithful
	set.Stat = proxy.StableRank
	z, err := proxy.NewZeroLM(set)
	if err != nil {
		return 0, 0, err
	}
	start := time.Now()
	z.Expected(largest[0], largest[1])
	one := time.Since(start)
	// Two statistics (stable rank, entropy), each its own three draws.
	return len(seen), time.Duration(2 * float64(one) * work / flops(largest)), nil
}

// costNote says what was not run on b and why, with the measured estimate.
func costNote(b *bench) (string, error) {
	if len(b.stats) > 0 {
		return "", nil
	}
	n, est, err := svdCost(b)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("**Not run on %s: 6a and 6b** (the Monte Carlo SVD statistics). Expected mode decomposes every distinct matrix shape three times per statistic; "+
		"these records have %d distinct scored shapes (the feed-forward width varies per layer), and timing the largest one in this run puts stable rank and entropy together at about %.1f hours of one core "+
		"(an estimate: one measured shape scaled by m n min(m, n); the machine is shared). Run them with `go run ./experiments/ranking -svd-lts` once singular values are faster (issue 11, svdspeed); "+
		"6c is their Marchenko-Pastur approximation (its agreement with 6a on NAS-Bench-BERT is below).", b.name, n, est.Hours()), nil
}
