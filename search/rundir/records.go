package rundir

import (
	"fmt"
	"strings"

	"github.com/zeronas/zeronas/objectives"
	"github.com/zeronas/zeronas/search"
	"github.com/zeronas/zeronas/space"
)

// File names of a run directory; nothing else names them.
const (
	ConfigFile      = "run.json"
	CheckpointFile  = "checkpoint.json"
	ArchiveFile     = "archive.jsonl"
	GenerationsFile = "generations.jsonl"
	FrontFile       = "front.json"
	LatencyFile     = "latency-table.json"
)

// runFiles are the files a run writes; --force replaces these and nothing else.
var runFiles = []string{ConfigFile, CheckpointFile, ArchiveFile, GenerationsFile, FrontFile, LatencyFile}

// ObjectiveSpec names an objective of a run and its sense.
type ObjectiveSpec struct {
	Name  string           `json:"name"`
	Sense objectives.Sense `json:"sense"`
}

// Label names the objective with its unit and direction, for axes and headers, for
// example "latency (ms), lower is better".
func (o ObjectiveSpec) Label() string {
	dir := "lower is better"
	if o.Sense == objectives.Max {
		dir = "higher is better"
	}
	if u := objectives.Unit(o.Name); u != "" {
		return fmt.Sprintf("%s (%s), %s", o.Name, u, dir)
	}
	return fmt.Sprintf("%s, %s", o.Name, dir)
}

// Specs returns the ObjectiveSpecs of the objectives named in a comma-separated list, in
// order: at least two, each known and given once.
func Specs(list string) ([]ObjectiveSpec, error) {
	names, err := objectives.ParseNames(list)
	if err != nil {
		return nil, err
	}
	out := make([]ObjectiveSpec, len(names))
	for i, n := range names {
		sense, _ := objectives.SenseOf(n)
		out[i] = ObjectiveSpec{Name: n, Sense: sense}
	}
	return out, nil
}

// names joins the objectives' names with commas, as Specs reads them.
func names(specs []ObjectiveSpec) string {
	ns := make([]string, len(specs))
	for i, o := range specs {
		ns[i] = o.Name
	}
	return strings.Join(ns, ",")
}

// ArchiveLine is one line of archive.jsonl: an architecture evaluated for the first time.
type ArchiveLine struct {
	Generation int                `json:"generation"`
	ID         string             `json:"id"`
	Arch       space.Arch         `json:"arch"`
	Values     map[string]float64 `json:"values"`
	// Violation is how far the architecture is outside the budgets (0: feasible).
	Violation float64  `json:"violation"`
	Parents   []string `json:"parents,omitempty"`
	// IsPareto says whether it was on the archive front when it was evaluated.
	IsPareto bool `json:"is_pareto"`
}

// FrontEntry is one architecture of front.json.
type FrontEntry struct {
	ID     string             `json:"id"`
	Arch   space.Arch         `json:"arch"`
	Values map[string]float64 `json:"values"`
	// Violation is how far the architecture is outside the budgets; 0 when feasible.
	Violation float64 `json:"violation,omitempty"`
	// Count is the number of architectures attaining Values (the exact strategy); 0 when
	// unknown.
	Count int64 `json:"count,omitempty"`
}

// Front is front.json: the archive's non-dominated architectures in a deterministic order.
type Front struct {
	Objectives []ObjectiveSpec `json:"objectives"`
	// Feasible is false when nothing evaluated met the budgets: the front then holds the
	// least-violating architectures.
	Feasible    bool         `json:"feasible"`
	Generation  int          `json:"generation"`
	Evaluations int          `json:"evaluations"`
	Front       []FrontEntry `json:"front"`
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
	// EvalsPerSec is search.Report.EvalsPerSecond: new evaluations of this call per
	// second of this call, up to this generation.
	EvalsPerSec float64 `json:"evals_per_sec"`
	Seconds     Timings `json:"seconds"`
}

// Timings are a generation's wall times in seconds.
type Timings struct {
	Evaluate    float64 `json:"evaluate"`
	Bookkeeping float64 `json:"bookkeeping"` // sampling, variation, sorting, crowding, survival, archive, hypervolume
	Persist     float64 `json:"persist"`     // archive.jsonl, generations.jsonl and front.json of the previous generation, and its checkpoint
}

// Checkpoint is checkpoint.json: the search state of the last complete generation and the
// sizes of the appended files at that moment.
type Checkpoint struct {
	Format           int                             `json:"format"`
	State            search.State[space.Arch]        `json:"state"`
	ArchiveBytes     int64                           `json:"archive_bytes"`
	GenerationsBytes int64                           `json:"generations_bytes"`
	Front            []search.Individual[space.Arch] `json:"front"`
}

const checkpointFormat = 1

// feasible reports whether the checkpoint's front meets the budgets: the archive keeps only
// feasible members while any exists, the least-violating ones otherwise.
func (cp *Checkpoint) feasible() bool { return len(cp.Front) == 0 || cp.Front[0].Violation == 0 }

// values returns the natural (unflipped) objective values of a minimised vector by name.
func values(specs []ObjectiveSpec, minimised []float64) map[string]float64 {
	m := make(map[string]float64, len(specs))
	for i, s := range specs {
		m[s.Name] = s.Sense.Natural(minimised[i])
	}
	return m
}

// minimised is the inverse of values; ok is false when vals lacks an objective.
func minimised(specs []ObjectiveSpec, vals map[string]float64) ([]float64, bool) {
	out := make([]float64, len(specs))
	for i, s := range specs {
		v, ok := vals[s.Name]
		if !ok {
			return nil, false
		}
		out[i] = s.Sense.Minimised(v)
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
