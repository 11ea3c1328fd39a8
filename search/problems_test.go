package search_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"sync/atomic"
	"testing"

	"github.com/zeronas/zeronas/search"
	"github.com/zeronas/zeronas/search/testproblems"
)

// cell is the genome of grid.
type cell struct{ X, Y int }

// grid is a small discrete, enumerable, constrained test problem over W x H cells:
// minimise (X + Y%3, W-1-X + Y/2). Cells with X+Y > Limit (when Limit > 0) violate by the
// excess; with Hopeless every cell violates by 1 + (X+Y)%3. It counts its evaluations and
// fails on the cell Fail (when set).
type grid struct {
	W, H     int
	Limit    int
	Hopeless bool
	Fail     *cell
	calls    atomic.Int64
}

var (
	_ search.Problem[cell]    = (*grid)(nil)
	_ search.Enumerable[cell] = (*grid)(nil)
	_ search.Variation[cell]  = (*grid)(nil)
)

func (g *grid) NumObjectives() int                             { return 2 }
func (g *grid) Sample(rng *rand.Rand) cell                     { return cell{rng.Intn(g.W), rng.Intn(g.H)} }
func (g *grid) Key(c cell) string                              { return fmt.Sprintf("%d,%d", c.X, c.Y) }
func (g *grid) Size() int64                                    { return int64(g.W * g.H) }
func (g *grid) Crossover(a, b cell, _ *rand.Rand) (cell, cell) { return cell{a.X, b.Y}, cell{b.X, a.Y} }

func (g *grid) Mutate(c cell, rng *rand.Rand) cell {
	if rng.Intn(2) == 0 {
		c.X = min(g.W-1, max(0, c.X+rng.Intn(3)-1))
	} else {
		c.Y = min(g.H-1, max(0, c.Y+rng.Intn(3)-1))
	}
	return c
}

var errBoom = errors.New("boom")

func (g *grid) Evaluate(ctx context.Context, c cell) (search.Eval, error) {
	if err := ctx.Err(); err != nil {
		return search.Eval{}, err
	}
	g.calls.Add(1)
	if g.Fail != nil && c == *g.Fail {
		return search.Eval{}, errBoom
	}
	e := search.Eval{Objectives: []float64{float64(c.X + c.Y%3), float64(g.W - 1 - c.X + c.Y/2)}}
	if g.Hopeless {
		e.Violation = float64(1 + (c.X+c.Y)%3)
	} else if g.Limit > 0 && c.X+c.Y > g.Limit {
		e.Violation = float64(c.X + c.Y - g.Limit)
	}
	return e, nil
}

func (g *grid) Enumerate(ctx context.Context, yield func(cell) bool) error {
	for x := range g.W {
		for y := range g.H {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if !yield(cell{x, y}) {
				return nil
			}
		}
	}
	return nil
}

// testProblem checks p (and v) against the contract of search.Problem.
func testProblem[G any](t *testing.T, p search.Problem[G], v search.Variation[G]) {
	t.Helper()
	if err := testproblems.Check(context.Background(), p, v, 1); err != nil {
		t.Error(err)
	}
}

func TestProblemContract(t *testing.T) {
	t.Run("grid", func(t *testing.T) { g := &grid{W: 20, H: 10, Limit: 15}; testProblem(t, g, g) })
	t.Run("grid/hopeless", func(t *testing.T) { g := &grid{W: 5, H: 5, Hopeless: true}; testProblem(t, g, g) })
	t.Run("lattice", func(t *testing.T) { testProblem[int](t, lattice{N: 1000}, nil) })
	for _, name := range testproblems.Names() {
		t.Run(name, func(t *testing.T) {
			p, err := testproblems.Lookup(name)
			if err != nil {
				t.Fatal(err)
			}
			testProblem(t, p, p.Variation())
		})
	}
}
