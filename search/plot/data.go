package plot

import (
	"context"
	"fmt"

	"github.com/zeronas/zeronas/search/rundir"
)

// Data is what a figure shows of a run directory.
type Data struct {
	// Run is the run directory, as of its last complete generation.
	Run *rundir.Run
	// Archive holds the objective values of every evaluated architecture, in the order of
	// the run's objectives, and Infeasible whether each breaks the run's budgets.
	Archive    [][]float64
	Infeasible []bool
}

// ReadData reads the run directory dir (see rundir.Open) and its archive. A problem is a
// *rundir.FileError naming the file and line.
func ReadData(ctx context.Context, dir string) (*Data, error) {
	r, err := rundir.Open(dir)
	if err != nil {
		return nil, err
	}
	d := &Data{Run: r}
	objs := r.Objectives()
	err = r.Archive(ctx, func(l rundir.ArchiveLine) error {
		v := make([]float64, len(objs))
		for i, o := range objs {
			x, ok := l.Values[o.Name]
			if !ok {
				return fmt.Errorf("values: no value for objective %q", o.Name)
			}
			v[i] = x
		}
		d.Archive = append(d.Archive, v)
		d.Infeasible = append(d.Infeasible, l.Violation > 0)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}
