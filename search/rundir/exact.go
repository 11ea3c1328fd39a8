package rundir

import (
	"context"
	"math/big"
	"path/filepath"

	"github.com/zeronas/zeronas/search"
	"github.com/zeronas/zeronas/search/exact"
	"github.com/zeronas/zeronas/search/nas"
)

// ExactResult is the outcome of the Exact strategy.
type ExactResult struct {
	// Vectors is the number of distinct objective vectors on the exact front.
	Vectors int `json:"vectors"`
	// Architectures is the exact number of architectures attaining them, in decimal: it
	// may exceed an int64.
	Architectures string `json:"architectures"`
	// Listed is the number of architectures written to front.json.
	Listed int `json:"listed"`
	// Nodes is the number of partial architectures the programme kept.
	Nodes       int     `json:"nodes"`
	Hypervolume float64 `json:"hypervolume"`
}

// solveExact solves the problem of cfg exactly and writes its front as the run's
// archive, generation and front.
func solveExact(ctx context.Context, dir string, cfg *Config, p *nas.Problem) (*ExactResult, error) {
	f, err := exact.Solve(ctx, nas.ExactProblem(p), exact.Options{All: cfg.ExactAll})
	if err != nil {
		return nil, err
	}
	res := &ExactResult{Vectors: len(f.Points), Nodes: f.Nodes}
	total := new(big.Int)
	front := Front{Objectives: cfg.Objectives, Feasible: true}
	var lines []ArchiveLine
	var points [][]float64
	for _, pt := range f.Points {
		total.Add(total, pt.Count)
		min := p.Set.Minimised(pt.Values)
		points = append(points, min)
		vals := values(cfg.Objectives, min)
		count := int64(-1)
		if pt.Count.IsInt64() {
			count = pt.Count.Int64()
		}
		for _, a := range pt.Archs {
			front.Front = append(front.Front, FrontEntry{ID: a.ID(), Arch: a, Values: vals, Count: count})
			lines = append(lines, ArchiveLine{ID: a.ID(), Arch: a, Values: vals, IsPareto: true})
		}
	}
	ideal, nadir := nas.FrontBounds(p.Set, f)
	res.Architectures, res.Listed = total.String(), len(front.Front)
	res.Hypervolume = search.NormalizedHypervolume(points, ideal, nadir)
	front.Evaluations = res.Listed
	if _, err := appendLines(filepath.Join(dir, ArchiveFile), lines); err != nil {
		return nil, err
	}
	gl := GenerationLine{Evaluations: res.Listed, NewEvaluations: res.Listed, FrontSize: len(f.Points), Feasible: true,
		Hypervolume: res.Hypervolume, ReferencePoint: search.NormalizedReferencePoint(len(ideal)), Ideal: ideal, Nadir: nadir}
	if _, err := appendLines(filepath.Join(dir, GenerationsFile), []GenerationLine{gl}); err != nil {
		return nil, err
	}
	if err := writeJSONAtomic(filepath.Join(dir, FrontFile), front); err != nil {
		return nil, err
	}
	return res, nil
}
