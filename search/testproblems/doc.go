// Package testproblems holds the standard continuous multi-objective test problems ZDT1,
// ZDT2, ZDT3 (Zitzler, Deb and Thiele 2000) and DTLZ2 (Deb, Thiele, Laumanns and Zitzler
// 2002) as search.Problem[[]float64], each with its exact Pareto front and bounds; Deb's
// bounded SBX crossover and polynomial mutation as a search.Variation; Bench, the
// convergence benchmark behind `zeronas moo-bench`; and Check, the contract every
// search.Problem must meet.
package testproblems
