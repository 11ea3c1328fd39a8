package rundir

import (
	"path/filepath"
	"time"

	"github.com/zeronas/zeronas/search"
	"github.com/zeronas/zeronas/space"
)

// recorder persists every complete generation of a search: the new archive lines and the
// generation line are appended and synced, front.json is replaced, and the checkpoint,
// which records the sizes of the appended files, is replaced last.
type recorder struct {
	dir      string
	specs    []ObjectiveSpec
	lastSave time.Duration
	// exhaustive runs report no individuals (a chunk can hold millions): their archive
	// lines are the architectures that entered the front in the chunk, found against
	// the previous front.
	exhaustive bool
	prevFront  map[string]bool
	// saveConfig, if not nil, is written to run.json before the first generation of
	// this call is persisted: a Continue's new budget or seed takes effect only once
	// something ran under it.
	saveConfig *Config
}

var _ search.Recorder[space.Arch] = (*recorder)(nil)

func (r *recorder) Init(search.RunInfo) error { return nil }

func (r *recorder) Record(rep *search.Report[space.Arch]) error {
	start := time.Now()
	if r.saveConfig != nil {
		if err := writeJSONAtomic(filepath.Join(r.dir, ConfigFile), r.saveConfig); err != nil {
			return err
		}
		r.saveConfig = nil
	}
	evaluated := rep.Evaluated
	if r.exhaustive {
		evaluated = r.entered(rep.Front)
	}
	lines := make([]ArchiveLine, len(evaluated))
	for i, ind := range evaluated {
		lines[i] = ArchiveLine{Generation: ind.Generation, ID: ind.Key, Arch: ind.Genome, Values: values(r.specs, ind.Objectives),
			Violation: ind.Violation, Parents: ind.Parents, IsPareto: rep.InFront(ind.Key)}
	}
	archiveSize, err := appendLines(filepath.Join(r.dir, ArchiveFile), lines)
	if err != nil {
		return err
	}
	gl := GenerationLine{Generation: rep.Generation, Evaluations: rep.Evaluations, NewEvaluations: len(rep.Evaluated),
		FrontSize: len(rep.Front), Feasible: rep.Feasible, Hypervolume: rep.Hypervolume, ReferencePoint: rep.Reference,
		Ideal: rep.State.Ideal, Nadir: rep.State.Nadir, EvalsPerSec: rep.EvalsPerSecond(),
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

// entered returns the members of front that were not on the previous one, and remembers
// front. A member never re-enters: the archive keeps whatever dominated it.
func (r *recorder) entered(front []search.Individual[space.Arch]) []search.Individual[space.Arch] {
	var out []search.Individual[space.Arch]
	now := make(map[string]bool, len(front))
	for _, ind := range front {
		now[ind.Key] = true
		if !r.prevFront[ind.Key] {
			out = append(out, ind)
		}
	}
	r.prevFront = now
	return out
}
