package testproblems

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"math/bits"
	"math/rand"

	"github.com/zeronas/zeronas/search"
)

// box is the domain [0, 1]^n shared by the problems, with what every problem over it does
// the same way: sampling, keys and argument checks.
type box int

func (n box) Sample(rng *rand.Rand) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = rng.Float64()
	}
	return x
}

// Key returns a 128-bit hash of the variables' IEEE 754 bits, in hex: equal exactly when
// the vectors are bit for bit equal (but for a vanishing chance). Two chains of the
// SplitMix64 finaliser, a bijective mixer, make it several times cheaper than SHA-256.
func (box) Key(x []float64) string {
	h1, h2 := uint64(0x9e3779b97f4a7c15), uint64(0xc2b2ae3d27d4eb4f)^uint64(len(x))
	for _, v := range x {
		b := math.Float64bits(v)
		h1 = mix64(h1 ^ b)
		h2 = mix64(h2 + bits.RotateLeft64(b, 32))
	}
	var sum [16]byte
	binary.LittleEndian.PutUint64(sum[:8], h1)
	binary.LittleEndian.PutUint64(sum[8:], h2)
	return hex.EncodeToString(sum[:])
}

// mix64 is the finaliser of SplitMix64 (Steele, Lea and Flood 2014).
func mix64(z uint64) uint64 {
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// check returns an error unless x is a point of the box and ctx is live.
func (n box) check(ctx context.Context, x []float64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(x) != int(n) {
		return fmt.Errorf("testproblems: %d variables, want %d", len(x), n)
	}
	return nil
}

// bounds returns the lower and upper bounds of the box.
func (n box) bounds() (lower, upper []float64) {
	lower, upper = make([]float64, n), make([]float64, n)
	for i := range upper {
		upper[i] = 1
	}
	return lower, upper
}

func eval(objectives ...float64) search.Eval { return search.Eval{Objectives: objectives} }
