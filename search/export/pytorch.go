package export

import (
	"github.com/zeronas/zeronas/proxy"
	"github.com/zeronas/zeronas/search/export/pytorch"
	"github.com/zeronas/zeronas/space"
)

// writePyTorch writes the PyTorch export of r's front into dir: the models in the run's
// build and, with o.Weights, their weights for the run's init and seed (or o.WeightsSeed).
func writePyTorch(dir string, r *Run, o Options) error {
	set := proxy.DefaultSettings()
	if r.Config.Proxy != nil {
		set = *r.Config.Proxy
	}
	if o.WeightsSeed != nil {
		set.Seed = *o.WeightsSeed
	}
	archs := make([]space.Arch, len(r.Front))
	for i, m := range r.Front {
		archs[i] = m.Arch
	}
	return pytorch.Write(dir, archs, pytorch.Options{Space: r.Config.Space.Name, Settings: set, Weights: o.Weights})
}
