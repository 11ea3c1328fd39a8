package plot

import (
	"fmt"
	"path/filepath"
	"sort"

	"github.com/zeronas/zeronas/search/export"
)

// Data is what a figure shows of a run directory.
type Data struct {
	// Run holds the configuration, the objectives and the front.
	Run *export.Run
	// Archive holds the objective values of every evaluated architecture, in the order of
	// Run.Objectives; empty when the run has no archive.jsonl.
	Archive [][]float64
	// Generations holds one record per generation, in order; empty when the run has no
	// generations.jsonl.
	Generations []Generation
}

// Generation is what a figure shows of one line of generations.jsonl.
type Generation struct {
	// Generation is the generation's number, from 0.
	Generation int `json:"generation"`
	// Evaluations is the number of evaluations so far.
	Evaluations int `json:"evaluations"`
	// FrontSize is the number of architectures on the front.
	FrontSize int `json:"front_size"`
	// Hypervolume is the front's hypervolume, from ReferencePoint.
	Hypervolume    float64   `json:"hypervolume"`
	ReferencePoint []float64 `json:"reference_point"`
}

// archived is what a figure reads of a line of archive.jsonl.
type archived struct {
	Values map[string]float64 `json:"values"`
}

// ReadData reads the run directory dir: its configuration and front (see export.ReadRun),
// and archive.jsonl and generations.jsonl when present. A problem is an *export.RunError
// naming the file and line.
func ReadData(dir string) (*Data, error) {
	r, err := export.ReadRun(dir)
	if err != nil {
		return nil, err
	}
	d := &Data{Run: r}
	err = export.ReadLines(filepath.Join(dir, export.ArchiveFile), func(rec archived) error {
		v := make([]float64, len(r.Objectives))
		for i, o := range r.Objectives {
			x, ok := rec.Values[o.Name]
			if !ok {
				return fmt.Errorf("values: no value for objective %q", o.Name)
			}
			v[i] = x
		}
		d.Archive = append(d.Archive, v)
		return nil
	})
	if err != nil {
		return nil, err
	}
	last := map[int]Generation{} // a resumed run may repeat a generation: the last record wins
	err = export.ReadLines(filepath.Join(dir, export.GenerationsFile), func(g Generation) error {
		last[g.Generation] = g
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, g := range last {
		d.Generations = append(d.Generations, g)
	}
	sort.Slice(d.Generations, func(i, j int) bool { return d.Generations[i].Generation < d.Generations[j].Generation })
	return d, nil
}
