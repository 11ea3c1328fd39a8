package export

import (
	"context"

	"github.com/zeronas/zeronas/search/export/pytorch"
	"github.com/zeronas/zeronas/search/rundir"
	"github.com/zeronas/zeronas/space"
)

// writePyTorch writes the PyTorch export of front, r's, into dir: the models in the run's
// build and, with o.Weights, their weights for the run's init and seed (or o.WeightsSeed).
func writePyTorch(ctx context.Context, dir string, r *rundir.Run, front []Member, o Options) error {
	set := r.Config.Proxy
	if o.WeightsSeed != nil {
		set.Seed = *o.WeightsSeed
	}
	archs := make([]space.Arch, len(front))
	for i, m := range front {
		archs[i] = m.Arch
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return pytorch.Write(dir, archs, pytorch.Options{Space: r.Config.Space.Name, Settings: set, Weights: o.Weights})
}
