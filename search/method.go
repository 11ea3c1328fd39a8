package search

import "fmt"

// Method is a search strategy: NSGA2, Random or Exhaustive. Methods are plain data.
type Method interface {
	// String returns the method's name.
	String() string
	validate() error
}

// TournamentKind selects how NSGA2's binary tournament compares two feasible contestants.
type TournamentKind int

const (
	// ByDominance compares feasible contestants by Pareto dominance, then crowding
	// distance (pymoo's default, "comp_by_dom_and_crowding").
	ByDominance TournamentKind = iota
	// ByRank compares feasible contestants by front rank, then crowding distance (Deb's
	// crowded-comparison operator).
	ByRank
)

// NSGA2 is the elitist non-dominated sorting genetic algorithm of Deb et al. (2002):
// binary crowded tournaments, variation, and (mu+lambda) survival by rank and crowding
// distance with the last admitted front truncated by crowding, all under constrained
// domination. The zero value is usable.
type NSGA2 struct {
	// PopSize is the population size and the number of offspring per generation.
	// If 0, 100 is used.
	PopSize int `json:"pop_size,omitempty"`
	// CrossoverProb is the probability that a pair of parents is crossed over.
	// If 0, 0.9 is used; a negative value disables crossover.
	CrossoverProb float64 `json:"crossover_prob,omitempty"`
	// MutationProb is the probability that a child is passed to Variation.Mutate (which
	// may itself mutate each gene with its own probability). If 0, 1 is used; a negative
	// value disables mutation.
	MutationProb float64 `json:"mutation_prob,omitempty"`
	// Tournament decides feasible tournaments. If 0, ByDominance is used.
	Tournament TournamentKind `json:"tournament,omitempty"`
	// KeepDuplicates keeps offspring whose key is already in the population or among
	// the generation's earlier offspring. If false, such offspring are bred again, as
	// pymoo's eliminate_duplicates does, for at most 100 rounds.
	KeepDuplicates bool `json:"keep_duplicates,omitempty"`
}

// String implements Method.
func (NSGA2) String() string { return "nsga2" }

func (m NSGA2) withDefaults() NSGA2 {
	m.PopSize = orDefault(m.PopSize, 100)
	if m.CrossoverProb == 0 {
		m.CrossoverProb = 0.9
	}
	if m.MutationProb == 0 {
		m.MutationProb = 1
	}
	return m
}

func (m NSGA2) validate() error {
	if m.PopSize < 0 {
		panic(fmt.Sprintf("search: NSGA2.PopSize %d < 0", m.PopSize))
	}
	switch {
	case m.PopSize == 1:
		return invalidSettings("NSGA2.PopSize 1: need at least 2")
	case m.CrossoverProb > 1:
		return invalidSettings("NSGA2.CrossoverProb %v > 1", m.CrossoverProb)
	case m.MutationProb > 1:
		return invalidSettings("NSGA2.MutationProb %v > 1", m.MutationProb)
	case m.Tournament != ByDominance && m.Tournament != ByRank:
		return invalidSettings("NSGA2.Tournament %d unknown", m.Tournament)
	}
	return nil
}

// Random samples the problem uniformly (through Problem.Sample), BatchSize new genomes per
// generation, at the budget NSGA2 would be given: the baseline every search should beat.
// A generation in which no new genome turns up in 100*BatchSize draws ends the run with
// status Complete.
type Random struct {
	// BatchSize is the number of new genomes per generation. If 0, 100 is used.
	BatchSize int `json:"batch_size,omitempty"`
}

// String implements Method.
func (Random) String() string { return "random" }

func (m Random) batch() int { return orDefault(m.BatchSize, 100) }

func (m Random) validate() error { return nonNegative("Random.BatchSize", m.BatchSize) }

// Exhaustive evaluates every genome of an Enumerable problem, streaming: chunks of the
// enumeration are evaluated in parallel and only the Pareto archive is kept. It ends with
// status Complete once the enumeration is done.
type Exhaustive struct {
	// ChunkSize is the number of genomes evaluated per generation. If 0, 16384 is used.
	ChunkSize int `json:"chunk_size,omitempty"`
}

// String implements Method.
func (Exhaustive) String() string { return "exhaustive" }

func (m Exhaustive) chunk() int { return orDefault(m.ChunkSize, 1<<14) }

func (m Exhaustive) validate() error { return nonNegative("Exhaustive.ChunkSize", m.ChunkSize) }

// orDefault returns n, or def if n is 0.
func orDefault(n, def int) int {
	if n == 0 {
		return def
	}
	return n
}

// nonNegative returns an error wrapping ErrInvalidSettings if the field's value n < 0.
func nonNegative(field string, n int) error {
	if n < 0 {
		return invalidSettings("%s %d < 0", field, n)
	}
	return nil
}
