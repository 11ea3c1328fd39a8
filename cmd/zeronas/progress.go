package main

import (
	"fmt"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/urfave/cli/v2"
	"go.uber.org/zap"
	"golang.org/x/term"

	"github.com/zeronas/zeronas/search"
	"github.com/zeronas/zeronas/search/rundir"
	"github.com/zeronas/zeronas/space"
)

// progress shows a search as it runs: a live bar on a terminal (progressbar: a well-kept
// library that handles terminal widths, throttling and ETA), periodic log lines otherwise.
type progress struct {
	bar     *progressbar.ProgressBar
	log     *zap.Logger
	every   time.Duration
	last    time.Time
	total   int // generations or evaluations in the budget; -1 unknown
	byEvals bool
}

var _ search.Recorder[space.Arch] = (*progress)(nil)

func newProgress(c *cli.Context, b rundir.Budget, log *zap.Logger) *progress {
	p := &progress{log: log, every: 2 * time.Second, total: -1}
	switch {
	case b.Evaluations > 0:
		p.total, p.byEvals = b.Evaluations, true
	case b.Generations > 0:
		p.total = b.Generations + 1
	}
	f, ok := c.App.ErrWriter.(*os.File)
	if ok && term.IsTerminal(int(f.Fd())) {
		p.bar = progressbar.NewOptions(p.total, progressbar.OptionSetWriter(f), progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true), progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionSetWidth(20), progressbar.OptionClearOnFinish())
	}
	return p
}

// Init implements search.Recorder.
func (p *progress) Init(info search.RunInfo) error { return nil }

// Record implements search.Recorder.
func (p *progress) Record(r *search.Report[space.Arch]) error {
	eps := r.EvalsPerSecond()
	line := fmt.Sprintf("gen %d · %d evals · front %d · hv %.4f · %.0f evals/s", r.Generation, r.Evaluations, len(r.Front), r.Hypervolume, eps)
	if p.bar != nil {
		p.bar.Describe(line)
		done := r.Generation + 1
		if p.byEvals {
			done = r.Evaluations
		}
		return p.bar.Set(done)
	}
	if time.Since(p.last) >= p.every {
		p.last = time.Now()
		p.log.Info("progress", zap.Int("generation", r.Generation), zap.Int("evaluations", r.Evaluations),
			zap.Int("front", len(r.Front)), zap.Float64("hypervolume", r.Hypervolume), zap.Float64("evals_per_sec", eps))
	}
	return nil
}

func (p *progress) finish() {
	if p.bar != nil {
		p.bar.Finish()
	}
}
