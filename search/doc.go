// Package search is zeronas's multi-objective search engine: NSGA-II (Deb, Pratap, Agarwal
// and Meyarivan, "A fast and elitist multiobjective genetic algorithm: NSGA-II", IEEE
// Transactions on Evolutionary Computation 6(2), 2002) built as a model of
// github.com/MaxHalford/eaopt, uniform random sampling at the same budget as its baseline,
// and exhaustive enumeration for spaces small enough to stream.
//
// The package knows nothing of architectures. A caller supplies a Problem (how to sample,
// identify and evaluate a genome; every objective is minimised) and, for NSGA-II, a
// Variation (crossover and mutation native to the genome). Minimize runs a Method under
// Settings and returns a Result. Side effects leave only through a Recorder: the package
// never opens a file.
//
// # Determinism
//
// A run is a function of its Problem, Variation, Method, Settings and, when it resumes, the
// saved State. The random generator for generation g is derived from (Settings.Seed, g),
// so a resumed run needs no serialised generator. Genomes are sampled and varied on the
// calling goroutine only; evaluation workers never draw random numbers and write result i
// into slot i, so Settings.Concurrent changes the speed of a run, never its result.
// Evaluations are cached by Problem.Key: a genome seen before is never evaluated again.
//
// # Constraints
//
// Every Eval carries a constraint Violation (0 when feasible). Comparisons use constrained
// domination (Deb 2002, section VI): a smaller violation wins; at equal violation Pareto
// dominance on the objectives decides. When nothing seen is feasible, the archive and the
// first front hold the least-violating individuals, and Result.Feasible is false.
package search
