// Package parallel runs independent pieces of work on a bounded number of goroutines, each
// writing its own result slot, so that results never depend on scheduling.
package parallel

import (
	"context"
	"sync"
	"sync/atomic"
)

// For calls fn(worker, i) for every i in [0, n) on up to workers goroutines, worker
// being the goroutine's number in [0, workers). It returns ctx's error if ctx is done,
// else the error of the lowest index that failed before any other failure cancelled the
// rest.
func For(ctx context.Context, n, workers int, fn func(worker, i int) error) error {
	workers = max(1, min(workers, n))
	inner, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		next  atomic.Int64
		mu    sync.Mutex
		first = n
		found error
		wg    sync.WaitGroup
	)
	for w := range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n || inner.Err() != nil {
					return
				}
				if err := fn(w, i); err != nil {
					own := inner.Err() == nil // not a consequence of another failure
					mu.Lock()
					if own && i < first {
						first, found = i, err
					}
					mu.Unlock()
					cancel()
					return
				}
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	return found
}
