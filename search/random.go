package search

import "math/rand"

// randomSearch is the Random method: every generation a batch of new uniform samples.
type randomSearch[G any] struct {
	r     *runner[G]
	batch int
}

func (s randomSearch[G]) step(gen int, rng *rand.Rand, budget int) (generation[G], error) {
	return s.r.sample(gen, min(s.batch, budget), rng)
}
