package rundir

import (
	"path/filepath"
	"time"

	"github.com/zeronas/zeronas/search"
	"github.com/zeronas/zeronas/space"
)

// Recorder persists every complete generation of a search into a run directory. It
// implements search.Recorder. Per generation it appends archive.jsonl and generations.jsonl
// (synced), replaces front.json, and last replaces checkpoint.json: the checkpoint is the
// commit point, and it records the sizes of the append-only files it covers.
type Recorder struct {
	dir      string
	specs    []ObjectiveSpec
	lastSave time.Duration
}

var _ search.Recorder[space.Arch] = (*Recorder)(nil)

// Init implements search.Recorder.
func (r *Recorder) Init(search.RunInfo) error { return nil }

// Record implements search.Recorder.
func (r *Recorder) Record(rep *search.Report[space.Arch]) error {
	start := time.Now()
	lines := make([]ArchiveLine, len(rep.Evaluated))
	for i, ind := range rep.Evaluated {
		lines[i] = ArchiveLine{Generation: ind.Generation, ID: ind.Key, Arch: ind.Genome, Values: values(r.specs, ind.Objectives),
			Violation: ind.Violation, Parents: ind.Parents, IsPareto: rep.InFront(ind.Key)}
	}
	archiveSize, err := appendLines(filepath.Join(r.dir, ArchiveFile), lines)
	if err != nil {
		return err
	}
	eps := 0.0
	if s := (rep.EvalTime + rep.BookTime).Seconds(); s > 0 {
		eps = float64(len(rep.Evaluated)) / s
	}
	gl := GenerationLine{Generation: rep.Generation, Evaluations: rep.Evaluations, NewEvaluations: len(rep.Evaluated),
		FrontSize: len(rep.Front), Feasible: rep.Feasible, Hypervolume: rep.Hypervolume, ReferencePoint: rep.Reference,
		Ideal: rep.State.Ideal, Nadir: rep.State.Nadir, EvalsPerSec: eps,
		Seconds: Timings{Evaluate: rep.EvalTime.Seconds(), Bookkeeping: rep.BookTime.Seconds(), Persist: r.lastSave.Seconds()}}
	gensSize, err := appendLines(filepath.Join(r.dir, GenerationsFile), []GenerationLine{gl})
	if err != nil {
		return err
	}
	front := Front{Objectives: r.specs, Feasible: rep.Feasible, Generation: rep.Generation, Evaluations: rep.Evaluations,
		Front: frontEntries(r.specs, rep.Front)}
	if err := writeJSONAtomic(filepath.Join(r.dir, FrontFile), front); err != nil {
		return err
	}
	cp := Checkpoint{Format: checkpointFormat, State: rep.State, ArchiveBytes: archiveSize, GenerationsBytes: gensSize, Front: rep.Front}
	if err := writeJSONAtomic(filepath.Join(r.dir, CheckpointFile), cp); err != nil {
		return err
	}
	r.lastSave = time.Since(start)
	return nil
}
