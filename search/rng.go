package search

import "math/rand"

// generationRNG returns the random generator of generation gen of a run seeded with seed.
// Deriving it from (seed, gen) makes a resumed run draw exactly what a straight run draws,
// with no generator state to save. It is a math/rand *rand.Rand, the type eaopt and the
// problems' samplers take, over a SplitMix64 source (Steele, Lea and Flood 2014): seeding
// it costs nothing, unlike math/rand's default source, and its 64-bit state keeps the
// streams of different (seed, gen) apart.
func generationRNG(seed uint64, gen int) *rand.Rand {
	s := splitMix{state: seed}
	s.state = s.Uint64() ^ uint64(gen)*0xd1b54a32d192ed03
	s.Uint64()
	return rand.New(&s)
}

// splitMix is the SplitMix64 generator as a math/rand Source64.
type splitMix struct{ state uint64 }

// Uint64 implements rand.Source64.
func (s *splitMix) Uint64() uint64 {
	s.state += 0x9e3779b97f4a7c15
	z := s.state
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// Int63 implements rand.Source.
func (s *splitMix) Int63() int64 { return int64(s.Uint64() >> 1) }

// Seed implements rand.Source.
func (s *splitMix) Seed(seed int64) { s.state = uint64(seed) }
