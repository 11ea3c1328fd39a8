package testproblems

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
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

// Key returns the first 128 bits of the SHA-256 of the variables' IEEE 754 bits, in hex:
// equal exactly when the vectors are bit for bit equal (but for a vanishing chance).
func (box) Key(x []float64) string {
	var small [512]byte
	buf := small[:0]
	for _, v := range x {
		buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(v))
	}
	sum := sha256.Sum256(buf)
	return hex.EncodeToString(sum[:16])
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
