package search

import (
	"errors"
	"fmt"
	"math/rand"
	"slices"
	"testing"

	"github.com/MaxHalford/eaopt"
)

// intVariation varies ints: crossover swaps digits' worth of value, mutation adds one.
type intVariation struct{}

func (intVariation) Crossover(a, b int, _ *rand.Rand) (int, int) { return a + 1000, b + 2000 }
func (intVariation) Mutate(g int, _ *rand.Rand) int              { return g + 1 }

func TestGenomeForgetsAfterVariation(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	n := &nsga2[int]{v: intVariation{}}
	pop := n.wrap([]Individual[int]{
		{Genome: 1, Key: "1", Eval: Eval{Objectives: []float64{1, 2}}},
		{Genome: 2, Key: "2", Eval: Eval{Objectives: []float64{2, 1}}},
	})
	a, b := n.child(pop[0]), n.child(pop[1])
	a.Crossover(b, rng)
	// eaopt passes the mate by value: its Evaluated flag is stale...
	if !b.Evaluated {
		t.Log("eaopt now clears the mate's flag itself")
	}
	// ...but the genomes themselves forgot their evaluations.
	for i, ind := range []eaopt.Individual{a, b} {
		g := ind.Genome.(*genome[int])
		if g.evaluated || g.ind.Key != "" || g.ind.Objectives != nil {
			t.Errorf("child %d still carries its parent's evaluation: %+v", i, g.ind)
		}
		if want := [][]string{{"1", "2"}, {"2", "1"}}[i]; !slices.Equal(g.lineage(), want) {
			t.Errorf("child %d has parents %v, want %v", i, g.lineage(), want)
		}
		if _, err := g.Evaluate(); !errors.Is(err, errUnevaluated) {
			t.Errorf("child %d: eaopt could evaluate it: %v", i, err)
		}
	}
	if a.Genome.(*genome[int]).ind.Genome != 1001 || b.Genome.(*genome[int]).ind.Genome != 2002 {
		t.Error("crossover did not reach both genomes")
	}
	// The parents are untouched.
	if p := pop[0].Genome.(*genome[int]); !p.evaluated || p.ind.Genome != 1 {
		t.Errorf("parent changed: %+v", p.ind)
	}
	c := n.child(pop[1])
	c.Mutate(rng)
	if g := c.Genome.(*genome[int]); g.evaluated || g.ind.Genome != 3 || !slices.Equal(g.lineage(), []string{"2"}) {
		t.Errorf("mutant %+v", g.ind)
	}
	if err := n.Validate(); err == nil {
		t.Log("zero NSGA2 settings validate")
	}
}

func TestGenerationRNG(t *testing.T) {
	draw := func(seed uint64, gen int) []int64 {
		r := generationRNG(seed, gen)
		return []int64{r.Int63(), r.Int63(), r.Int63()}
	}
	if !slices.Equal(draw(1, 5), draw(1, 5)) {
		t.Error("the same seed and generation drew differently")
	}
	seen := map[int64]string{}
	for seed := range uint64(20) {
		for gen := range 50 {
			v := draw(seed, gen)[0]
			if prev, ok := seen[v]; ok {
				t.Fatalf("seed %d generation %d repeats %s", seed, gen, prev)
			}
			seen[v] = fmt.Sprint(seed, "/", gen)
		}
	}
}

// BenchmarkBookkeeping is NSGA-II's per-generation work besides variation and
// evaluation at population 100: survival of 200 (sort, crowding, truncation), which also
// gives the 100 survivors' ranks and crowding for the next tournaments.
func BenchmarkBookkeeping(b *testing.B) {
	rng := rand.New(rand.NewSource(1))
	merged := make([]Eval, 200)
	for i := range merged {
		x := rng.Float64()
		merged[i].Objectives = []float64{x, 1 - x*x + 0.3*rng.Float64()}
	}
	for b.Loop() {
		survive(merged, 100)
	}
}
