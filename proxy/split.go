package proxy

import (
	"math/rand/v2"
	"sort"
)

// CalibrationSample returns the k record indices, sorted, that CalibrateSampling draws from
// n records with seed: the split of every held-out evaluation, so that other fitted
// rankings can be fitted on exactly the records ZeroLM's alpha was.
func CalibrationSample(n, k int, seed uint64) []int {
	idx := rand.New(rand.NewPCG(seed, 0xca1b)).Perm(n)[:k]
	sort.Ints(idx)
	return idx
}
