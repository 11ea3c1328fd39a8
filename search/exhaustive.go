package search

// Exhaustive search streams the enumeration through two goroutines.
//
// A producer goroutine runs Enumerate, skipping the genomes a resumed run has already
// seen, and sends chunks of ChunkSize genomes on a channel with room for one chunk, so it
// enumerates the next chunk while the coordinator evaluates the current one. The
// coordinator evaluates each chunk with parallel.For; its workers also drop every genome
// the archive (frozen while they run) already rejects, and key the rest. The coordinator
// then adds the rest to the archive, records the chunk as a generation and checks the
// criteria. The chunk is then dropped: only the archive is kept.
//
// Shutdown: the producer closes the channel when Enumerate returns, and Enumerate returns
// once yield returns false, which it does when the producer's context is cancelled. The
// coordinator, whenever it stops, cancels that context, then drains the channel until it
// is closed, and only then reads the producer's error. So the producer never outlives
// Minimize, and a send never blocks forever.

import (
	"context"
	"fmt"
	"time"

	"github.com/zeronas/zeronas/internal/parallel"
)

// runExhaustive evaluates every genome of e not seen before, chunk by chunk.
func (r *runner[G]) runExhaustive(e Enumerable[G], size int) (*Result[G], error) {
	status := NotTerminated
	if r.state.Generation >= 0 {
		status = r.stop.Check(r.progress())
		if n := e.Size(); n >= 0 && int64(r.state.Evaluations) >= n {
			status = Complete
		}
	}
	if status != NotTerminated {
		return r.result(status), nil
	}
	ctx, stop := context.WithCancel(r.ctx)
	chunks := make(chan []G, 1)
	var enumErr error
	skip := r.state.Evaluations // enumerated before the resume
	go func() {
		defer close(chunks)
		buf := make([]G, 0, size)
		send := func() bool {
			select {
			case chunks <- buf:
				buf = make([]G, 0, size)
				return true
			case <-ctx.Done():
				return false
			}
		}
		enumErr = e.Enumerate(ctx, func(g G) bool {
			if skip > 0 {
				skip--
				return true
			}
			buf = append(buf, g)
			return len(buf) < size || send()
		})
		if enumErr == nil && len(buf) > 0 {
			send()
		}
	}()
	finish := func(status Status, err error) (*Result[G], error) {
		stop()
		for range chunks {
		}
		if err == nil && status == Complete && enumErr != nil {
			status, err = Failure, fmt.Errorf("search: enumerate: %w", enumErr)
		}
		return r.result(status), err
	}
	for {
		if r.ctx.Err() != nil {
			return finish(Canceled, nil)
		}
		chunk, ok := <-chunks
		if !ok {
			if r.ctx.Err() != nil {
				return finish(Canceled, nil)
			}
			return finish(Complete, nil)
		}
		gen := r.state.Generation + 1
		t0 := time.Now()
		chunk = chunk[:min(len(chunk), r.set.remaining(r.state.Evaluations))]
		out, err := r.scan(gen, chunk)
		if err != nil {
			if r.ctx.Err() != nil {
				return finish(Canceled, nil)
			}
			return finish(Failure, err)
		}
		if status, err = r.commit(gen, out, t0); err != nil || status != NotTerminated {
			return finish(status, err)
		}
	}
}

// scan evaluates a chunk and adds to the archive those it does not reject.
func (r *runner[G]) scan(gen int, chunk []G) (generation[G], error) {
	m := r.p.NumObjectives()
	evals := make([]Eval, len(chunk))
	keys := make([]string, len(chunk))
	hints := make([]int, r.set.Concurrent)
	t0 := time.Now()
	err := parallel.For(r.ctx, len(chunk), r.set.Concurrent, func(w, i int) error {
		e, err := r.p.Evaluate(r.ctx, chunk[i])
		if err == nil {
			err = e.check(m)
		}
		if err != nil {
			return &EvalError{Key: r.p.Key(chunk[i]), Err: err}
		}
		evals[i] = e
		if !r.archive.rejects(e, &hints[w]) {
			keys[i] = r.p.Key(chunk[i])
		}
		return nil
	})
	d := time.Since(t0)
	if err != nil {
		return generation[G]{}, err
	}
	for i, k := range keys {
		if k != "" {
			r.archive.add(Individual[G]{Genome: chunk[i], Key: k, Eval: evals[i], Generation: gen})
		}
	}
	return generation[G]{evals: evals, evaluated: len(chunk), evalTime: d}, nil
}
