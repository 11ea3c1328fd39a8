package search

import "slices"

// restore makes res the runner's starting point: it checks res, warms the cache and
// rebuilds the archive from res.Evaluated. If counted, State.Evaluations must equal the
// number of distinct keys evaluated (which Exhaustive, not caching, does not keep).
func (r *runner[G]) restore(res *Resume[G], counted bool) error {
	st := res.State
	m := r.p.NumObjectives()
	switch {
	case st.Generation < 0:
		return badResume("generation %d < 0", st.Generation)
	case len(st.Hypervolumes) != st.Generation+1:
		return badResume("%d hypervolumes for generation %d", len(st.Hypervolumes), st.Generation)
	case len(st.Ideal) != m || len(st.Nadir) != m:
		return badResume("ideal and nadir of %d and %d objectives, want %d", len(st.Ideal), len(st.Nadir), m)
	}
	for _, ind := range res.Evaluated {
		if err := r.checkSaved(ind, st.Generation); err != nil {
			return err
		}
		r.archive.add(ind)
		if counted {
			r.cache.put(ind)
		}
	}
	for _, ind := range st.Population {
		if err := r.checkSaved(ind, st.Generation); err != nil {
			return err
		}
		if counted && !r.cache.has(ind.Key) {
			return badResume("population member %s is not among the evaluated", ind.Key)
		}
	}
	if counted && r.cache.len() != st.Evaluations {
		return badResume("state counts %d evaluations, %d distinct individuals given", st.Evaluations, r.cache.len())
	}
	r.state = st
	r.state.Population = slices.Clone(st.Population)
	r.state.Hypervolumes = slices.Clone(st.Hypervolumes)
	r.hv, r.hvAt = st.Hypervolumes[st.Generation], r.archive.version
	return nil
}

// checkSaved checks an individual of a saved run that ended with generation last.
func (r *runner[G]) checkSaved(ind Individual[G], last int) error {
	if ind.Key == "" {
		return badResume("an individual has no key")
	}
	if err := ind.check(r.p.NumObjectives()); err != nil {
		return badResume("individual %s: %v", ind.Key, err)
	}
	if ind.Generation > last {
		return badResume("individual %s of generation %d, after the state's %d", ind.Key, ind.Generation, last)
	}
	return nil
}
