package report

import (
	"github.com/zeronas/zeronas/search"
	"github.com/zeronas/zeronas/space"
)

// Recorder rewrites the page of a run directory after every generation of its search, so
// that a browser refresh shows the run as it goes. It implements search.Recorder and reads
// the run directory, so it must follow the recorder that writes it. Between generations it
// reads only what the run's append-only files gained, and it solves the exact front (when
// the objectives allow it) once.
type Recorder struct {
	dir, out string
	src      *source
	exact    *exactRef
	solved   bool
	archive  *archiveBuilder
}

var _ search.Recorder[space.Arch] = (*Recorder)(nil)

// NewRecorder returns a Recorder that writes the page of the run directory dir to out.
func NewRecorder(dir, out string) *Recorder { return &Recorder{dir: dir, out: out} }

// Init implements search.Recorder. It refuses an out that exists and is not a report.
func (r *Recorder) Init(search.RunInfo) error {
	if err := checkOut(r.out, false); err != nil {
		return err
	}
	src, err := openSource(r.dir) // afresh: a resume has truncated the files it had read
	if err != nil {
		return err
	}
	r.src, r.archive = src, &archiveBuilder{}
	return nil
}

// Record implements search.Recorder.
func (r *Recorder) Record(*search.Report[space.Arch]) error {
	sn, err := r.src.read()
	if err != nil {
		return err
	}
	p, err := newPage([]*snapshot{sn}, func(sn *snapshot) *exactRef {
		if !r.solved {
			r.exact, r.solved = solveExact(sn), true
		}
		return r.exact
	}, r.archive)
	if err != nil {
		return err
	}
	return WriteFile(r.out, p, false)
}
