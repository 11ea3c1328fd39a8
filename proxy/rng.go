package proxy

import "math/rand"

// newV1Rand returns the math/rand generator the space's samplers take.
func newV1Rand(seed uint64) *rand.Rand { return rand.New(rand.NewSource(int64(seed))) }
