package rundir

import (
	"math"
	"math/big"
	"path/filepath"

	"github.com/zeronas/zeronas/objectives"
	"github.com/zeronas/zeronas/search"
	"github.com/zeronas/zeronas/search/exact"
)

// ExactResult summarises an exact front written by WriteExact.
type ExactResult struct {
	Vectors       int     `json:"vectors"`
	Architectures string  `json:"architectures"` // exact count; it may exceed an int64
	Listed        int     `json:"listed"`
	Hypervolume   float64 `json:"hypervolume"`
}

// WriteExact writes an exact front into the run directory dir, created by Create: front.json
// (every listed architecture, with the count of architectures attaining its vector),
// archive.jsonl (the same architectures) and one line of generations.jsonl. The run is
// complete; it has no checkpoint to resume.
func WriteExact(dir string, cfg *Config, set *objectives.Set, f *exact.Front) (*ExactResult, error) {
	res := &ExactResult{Vectors: len(f.Points)}
	total := new(big.Int)
	front := Front{Objectives: cfg.Objectives, Feasible: true}
	var lines []ArchiveLine
	var points [][]float64
	m := len(cfg.Objectives)
	ideal, nadir := make([]float64, m), make([]float64, m)
	for i := range ideal {
		ideal[i], nadir[i] = math.Inf(1), math.Inf(-1)
	}
	for _, pt := range f.Points {
		total.Add(total, pt.Count)
		min := set.Minimised(pt.Values)
		points = append(points, min)
		for i, v := range min {
			ideal[i], nadir[i] = math.Min(ideal[i], v), math.Max(nadir[i], v)
		}
		vals := values(cfg.Objectives, min)
		for _, a := range pt.Archs {
			count := int64(-1)
			if pt.Count.IsInt64() {
				count = pt.Count.Int64()
			}
			front.Front = append(front.Front, FrontEntry{ID: a.ID(), Arch: a, Values: vals, Count: count})
			lines = append(lines, ArchiveLine{ID: a.ID(), Arch: a, Values: vals, IsPareto: true})
		}
	}
	res.Architectures, res.Listed = total.String(), len(front.Front)
	res.Hypervolume = search.NormalizedHypervolume(points, ideal, nadir)
	front.Evaluations = res.Listed
	if _, err := appendLines(filepath.Join(dir, ArchiveFile), lines); err != nil {
		return nil, err
	}
	ref := make([]float64, m)
	for i := range ref {
		ref[i] = 1.1
	}
	gl := GenerationLine{Evaluations: res.Listed, NewEvaluations: res.Listed, FrontSize: len(f.Points), Feasible: true,
		Hypervolume: res.Hypervolume, ReferencePoint: ref, Ideal: ideal, Nadir: nadir}
	if _, err := appendLines(filepath.Join(dir, GenerationsFile), []GenerationLine{gl}); err != nil {
		return nil, err
	}
	if err := writeJSONAtomic(filepath.Join(dir, FrontFile), front); err != nil {
		return nil, err
	}
	return res, nil
}
