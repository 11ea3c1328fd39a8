package rundir

import (
	"github.com/zeronas/zeronas/objectives"
	"github.com/zeronas/zeronas/search"
	"github.com/zeronas/zeronas/space"
)

// ArchiveLine is one line of archive.jsonl: an architecture evaluated for the first time.
type ArchiveLine struct {
	Generation int                `json:"generation"`
	ID         string             `json:"id"`
	Arch       space.Arch         `json:"arch"`
	Values     map[string]float64 `json:"values"`
	Violation  float64            `json:"violation"`
	Parents    []string           `json:"parents,omitempty"`
	// IsPareto reports whether it was on the archive front when it was evaluated.
	IsPareto bool `json:"is_pareto"`
}

// FrontEntry is one member of front.json.
type FrontEntry struct {
	ID        string             `json:"id"`
	Arch      space.Arch         `json:"arch"`
	Values    map[string]float64 `json:"values"`
	Violation float64            `json:"violation,omitempty"`
	// Count is the number of architectures attaining Values (the exact strategy lists one).
	Count int64 `json:"count,omitempty"`
}

// Front is front.json: the unbounded, deduplicated Pareto archive of everything seen.
type Front struct {
	Objectives  []ObjectiveSpec `json:"objectives"`
	Feasible    bool            `json:"feasible"`
	Generation  int             `json:"generation"`
	Evaluations int             `json:"evaluations"`
	Front       []FrontEntry    `json:"front"`
}

// GenerationLine is one line of generations.jsonl.
type GenerationLine struct {
	Generation     int       `json:"generation"`
	Evaluations    int       `json:"evaluations"`
	NewEvaluations int       `json:"new_evaluations"`
	FrontSize      int       `json:"front_size"`
	Feasible       bool      `json:"feasible"`
	Hypervolume    float64   `json:"hypervolume"`
	ReferencePoint []float64 `json:"reference_point"`
	Ideal          []float64 `json:"ideal"`
	Nadir          []float64 `json:"nadir"`
	EvalsPerSec    float64   `json:"evals_per_sec"`
	Seconds        Timings   `json:"seconds"`
}

// Timings splits a generation's wall time.
type Timings struct {
	Evaluate    float64 `json:"evaluate"`
	Bookkeeping float64 `json:"bookkeeping"` // sampling, variation, sorting, crowding, survival, archive, hypervolume
	Persist     float64 `json:"persist"`     // archive.jsonl, generations.jsonl and front.json of the previous generation, and its checkpoint
}

// Checkpoint is checkpoint.json: the last complete generation and the sizes of the
// append-only files at that moment, to which a resume truncates them.
type Checkpoint struct {
	Format           int                             `json:"format"`
	State            search.State[space.Arch]        `json:"state"`
	ArchiveBytes     int64                           `json:"archive_bytes"`
	GenerationsBytes int64                           `json:"generations_bytes"`
	Front            []search.Individual[space.Arch] `json:"front"`
}

// checkpointFormat is the version of the checkpoint layout.
const checkpointFormat = 1

// values maps a minimised vector back to named values in their own sense.
func values(specs []ObjectiveSpec, minimised []float64) map[string]float64 {
	m := make(map[string]float64, len(specs))
	for i, s := range specs {
		v := minimised[i]
		if s.Sense == objectives.Max {
			v = -v
		}
		m[s.Name] = v
	}
	return m
}

// minimised is the inverse of values.
func minimised(specs []ObjectiveSpec, vals map[string]float64) ([]float64, bool) {
	out := make([]float64, len(specs))
	for i, s := range specs {
		v, ok := vals[s.Name]
		if !ok {
			return nil, false
		}
		if s.Sense == objectives.Max {
			v = -v
		}
		out[i] = v
	}
	return out, true
}

func frontEntries(specs []ObjectiveSpec, inds []search.Individual[space.Arch]) []FrontEntry {
	out := make([]FrontEntry, len(inds))
	for i, ind := range inds {
		out[i] = FrontEntry{ID: ind.Key, Arch: ind.Genome, Values: values(specs, ind.Objectives), Violation: ind.Violation}
	}
	return out
}
