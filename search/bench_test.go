package search_test

import (
	"context"
	"fmt"
	"math/rand"
	"strconv"
	"testing"

	"github.com/zeronas/zeronas/search"
	"github.com/zeronas/zeronas/search/testproblems"
)

// BenchmarkZDT1 is a whole NSGA-II run on ZDT1, population 100 for 200 generations.
func BenchmarkZDT1(b *testing.B) {
	p := testproblems.ZDT1()
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("concurrent=%d", workers), func(b *testing.B) {
			var hv float64
			for b.Loop() {
				res, err := search.Minimize(context.Background(), p, p.Variation(), search.NSGA2{},
					&search.Settings{Seed: 1, Generations: 200, Concurrent: workers}, nil)
				if err != nil {
					b.Fatal(err)
				}
				hv = res.Hypervolume
			}
			b.ReportMetric(hv, "hv")
		})
	}
}

// lattice is an enumerable problem over the integers [0, N) with three cheap, pseudo-random
// objectives: the shape of an exhaustive search over a space of N architectures.
type lattice struct{ N int }

func (l lattice) NumObjectives() int        { return 3 }
func (l lattice) Sample(rng *rand.Rand) int { return rng.Intn(l.N) }
func (l lattice) Key(i int) string          { return strconv.Itoa(i) }
func (l lattice) Size() int64               { return int64(l.N) }
func (l lattice) Evaluate(_ context.Context, i int) (search.Eval, error) {
	h := uint64(i)*0x9e3779b97f4a7c15 + 1
	h ^= h >> 29
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 32
	return search.Eval{Objectives: []float64{float64(h & 0xfffff), float64(h >> 20 & 0xfffff), float64(h >> 40 & 0xfffff)}}, nil
}

func (l lattice) Enumerate(ctx context.Context, yield func(int) bool) error {
	for i := range l.N {
		if i&0xffff == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		if !yield(i) {
			return nil
		}
	}
	return nil
}

// BenchmarkExhaustive streams 10.6 million genomes with a cheap evaluator through the
// Exhaustive method.
func BenchmarkExhaustive(b *testing.B) {
	p := lattice{N: 10_600_000}
	for b.Loop() {
		res, err := search.Minimize(context.Background(), p, nil, search.Exhaustive{}, nil, nil)
		if err != nil || res.Status != search.Complete {
			b.Fatal(res.Status, err)
		}
		b.ReportMetric(float64(len(res.Front)), "front")
	}
}
