package search

import (
	"errors"
	"math/rand"
	"slices"

	"github.com/MaxHalford/eaopt"
)

// nsga2 runs NSGA-II as an eaopt.Model: each generation is one call of Apply on an
// eaopt.Population whose individuals wrap *genome values. The runner, not eaopt.GA, drives
// the generations, so that generation g draws from the generator of (seed, g), evaluation
// is batched and cached, and the run can stop and resume at any generation boundary.
type nsga2[G any] struct {
	r   *runner[G]
	v   Variation[G]
	cfg NSGA2
	pop eaopt.Population

	gen, budget int           // of the generation Apply is asked for
	out         generation[G] // what Apply produced
}

var _ eaopt.Model = (*nsga2[int])(nil)

func newNSGA2[G any](r *runner[G], v Variation[G], cfg NSGA2) *nsga2[G] {
	n := &nsga2[G]{r: r, v: v, cfg: cfg}
	n.pop.Individuals = n.wrap(r.state.Population)
	n.pop.Generations = uint(max(0, r.state.Generation))
	return n
}

// Validate implements eaopt.Model.
func (n *nsga2[G]) Validate() error { return n.cfg.validate() }

func (n *nsga2[G]) step(gen int, rng *rand.Rand, budget int) (generation[G], error) {
	if gen == 0 {
		out, err := n.r.sample(gen, min(n.cfg.PopSize, budget), rng)
		n.pop.Individuals = n.wrap(out.pop)
		return out, err
	}
	n.gen, n.budget = gen, budget
	n.pop.RNG = rng
	if err := n.Apply(&n.pop); err != nil {
		return generation[G]{}, err
	}
	n.pop.Generations++
	return n.out, nil
}

// Apply implements eaopt.Model: it breeds offspring from pop by binary crowded
// tournaments, crossover and mutation, evaluates them, and replaces pop.Individuals by the
// survivors of parents and offspring.
func (n *nsga2[G]) Apply(pop *eaopt.Population) error {
	parents := make([]*genome[G], len(pop.Individuals))
	evals := make([]Eval, len(parents))
	ranks, crowd := make([]int, len(parents)), make([]float64, len(parents))
	for i, ind := range pop.Individuals {
		parents[i] = ind.Genome.(*genome[G])
		evals[i], ranks[i], crowd[i] = parents[i].ind.Eval, parents[i].rank, parents[i].crowd
	}
	kids := n.breed(pop.Individuals, evals, ranks, crowd, pop.RNG)
	genomes, keys, lineage := make([]G, len(kids)), make([]string, len(kids)), make([][]string, len(kids))
	for i, k := range kids {
		genomes[i], keys[i], lineage[i] = k.ind.Genome, k.ind.Key, k.lineage()
	}
	all, fresh, d, err := n.r.resolve(n.gen, genomes, keys, lineage)
	if err != nil {
		return err
	}
	for i, k := range kids {
		k.ind, k.evaluated = all[i], true
	}
	merged := append(slices.Clip(parents), kids...)
	both := make([]Eval, len(merged))
	for i, g := range merged {
		both[i] = g.ind.Eval
	}
	keep, ranks, crowd := survive(both, n.cfg.PopSize)
	next := make([]*genome[G], len(keep))
	for j, i := range keep {
		next[j] = merged[i]
	}
	pop.Individuals = n.population(next, ranks, crowd)
	n.out = generation[G]{fresh: fresh, pop: n.individuals(next), evals: evalsOf(fresh),
		evaluated: len(fresh), evalTime: d, exhausted: len(kids) == 0}
	return nil
}

// breed returns up to PopSize offspring of parents with their keys set, making at most
// budget new evaluations. Unless KeepDuplicates, an offspring whose key is in the
// population or among earlier offspring is dropped and bred again, for at most 100 rounds.
func (n *nsga2[G]) breed(parents eaopt.Individuals, evals []Eval, ranks []int, crowd []float64, rng *rand.Rand) []*genome[G] {
	const taken, fresh = 1, 2 // marks of a key: not to be bred again; a new evaluation
	marks := make(map[string]uint8, 3*n.cfg.PopSize)
	if !n.cfg.KeepDuplicates {
		for _, p := range parents {
			marks[p.ID] = taken
		}
	}
	var kids []*genome[G]
	news := 0
	full := func() bool { return len(kids) == n.cfg.PopSize || news == n.budget || len(parents) == 0 }
	for round := 0; round < 100 && !full(); round++ {
		w := tournament((n.cfg.PopSize-len(kids)+1)/2, evals, ranks, crowd, n.cfg.Tournament, rng)
		for j := 0; j < len(w) && !full(); j += 2 {
			pair := [2]eaopt.Individual{n.child(parents[w[j]]), n.child(parents[w[j+1]])}
			if rng.Float64() < n.cfg.CrossoverProb {
				pair[0].Crossover(pair[1], rng)
				pair[1].Evaluated = false // eaopt passes the mate by value and leaves its flag stale
			}
			for _, c := range pair {
				if rng.Float64() < n.cfg.MutationProb {
					c.Mutate(rng)
				}
				g := c.Genome.(*genome[G])
				if !g.evaluated {
					g.ind.Key = n.r.p.Key(g.ind.Genome)
				}
				m := marks[g.ind.Key]
				if full() || m&taken != 0 {
					continue
				}
				if !n.cfg.KeepDuplicates {
					m |= taken
				}
				if m&fresh == 0 && !n.r.cache.has(g.ind.Key) {
					m |= fresh
					news++
				}
				marks[g.ind.Key] = m
				kids = append(kids, g)
			}
		}
	}
	return kids
}

// child returns an eaopt individual holding a copy of parent, remembering its lineage.
func (n *nsga2[G]) child(parent eaopt.Individual) eaopt.Individual {
	c := parent.Genome.Clone().(*genome[G])
	c.from, c.mate = parent.ID, ""
	return eaopt.Individual{Genome: c, Fitness: parent.Fitness, Evaluated: true, ID: parent.ID}
}

// wrap returns eaopt individuals for inds, ranked and crowded.
func (n *nsga2[G]) wrap(inds []Individual[G]) eaopt.Individuals {
	ranks, crowd := rankAndCrowd(evalsOf(inds))
	gs := make([]*genome[G], len(inds))
	for i, ind := range inds {
		gs[i] = &genome[G]{ind: ind, evaluated: true, v: n.v}
	}
	return n.population(gs, ranks, crowd)
}

// population returns eaopt individuals for evaluated genomes with the given front ranks
// (also their fitness) and crowding distances.
func (n *nsga2[G]) population(gs []*genome[G], ranks []int, crowd []float64) eaopt.Individuals {
	out := make(eaopt.Individuals, len(gs))
	for i, g := range gs {
		g.rank, g.crowd = ranks[i], crowd[i]
		out[i] = eaopt.Individual{Genome: g, Fitness: float64(ranks[i]), Evaluated: true, ID: g.ind.Key}
	}
	return out
}

// individuals returns the individuals of genomes.
func (n *nsga2[G]) individuals(gs []*genome[G]) []Individual[G] {
	out := make([]Individual[G], len(gs))
	for i, g := range gs {
		out[i] = g.ind
	}
	return out
}

// errUnevaluated is returned by genome.Evaluate for a genome the search has not evaluated.
var errUnevaluated = errors.New("search: genomes are evaluated by the search in batches, not by eaopt")

// genome is an eaopt.Genome over a G that caches its evaluation (its Individual) until
// crossover or mutation changes it.
type genome[G any] struct {
	ind       Individual[G]
	evaluated bool
	v         Variation[G]
	rank      int     // front number in its population
	crowd     float64 // crowding distance in its front
	from      string  // the key of the parent it was copied from, when bred
	mate      string  // the key of the parent it was crossed with, if any
}

var _ eaopt.Genome = (*genome[int])(nil)

// Evaluate implements eaopt.Genome: it returns the cached front rank as the fitness.
func (g *genome[G]) Evaluate() (float64, error) {
	if !g.evaluated {
		return 0, errUnevaluated
	}
	return float64(g.rank), nil
}

// Mutate implements eaopt.Genome.
func (g *genome[G]) Mutate(rng *rand.Rand) {
	g.ind.Genome = g.v.Mutate(g.ind.Genome, rng)
	g.forget()
}

// Crossover implements eaopt.Genome: both g and mate become children of the two, the
// first of each pair of parents being the one it was copied from.
func (g *genome[G]) Crossover(mate eaopt.Genome, rng *rand.Rand) {
	m := mate.(*genome[G])
	g.ind.Genome, m.ind.Genome = g.v.Crossover(g.ind.Genome, m.ind.Genome, rng)
	g.mate, m.mate = m.from, g.from
	g.forget()
	m.forget()
}

// Clone implements eaopt.Genome. Variation never modifies a genome in place, so a shallow
// copy is a clone.
func (g *genome[G]) Clone() eaopt.Genome {
	c := *g
	return &c
}

// lineage returns the keys of the parents of a bred genome.
func (g *genome[G]) lineage() []string {
	if g.mate == "" {
		return []string{g.from}
	}
	return []string{g.from, g.mate}
}

// forget drops the cached evaluation, keeping the genome.
func (g *genome[G]) forget() {
	g.ind = Individual[G]{Genome: g.ind.Genome}
	g.evaluated = false
}
