package parallel

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"testing"
)

func TestFor(t *testing.T) {
	errAt := func(bad ...int) func(int, int) error {
		return func(_, i int) error {
			if slices.Contains(bad, i) {
				return errors.New(strconv.Itoa(i))
			}
			return nil
		}
	}
	for _, workers := range []int{1, 3, 16} {
		t.Run(fmt.Sprint("workers=", workers), func(t *testing.T) {
			out := make([]int, 1000)
			if err := For(context.Background(), len(out), workers, func(_, i int) error { out[i] = i * i; return nil }); err != nil {
				t.Fatal(err)
			}
			for i, v := range out {
				if v != i*i {
					t.Fatalf("out[%d] = %d", i, v)
				}
			}
			if err := For(context.Background(), 100, workers, errAt(40)); err == nil || err.Error() != "40" {
				t.Errorf("err = %v, want 40", err)
			}
			if workers == 1 {
				if err := For(context.Background(), 100, workers, errAt(70, 40)); err == nil || err.Error() != "40" {
					t.Errorf("err = %v, want the first failure, 40", err)
				}
			}
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			if err := For(ctx, 100, workers, errAt()); !errors.Is(err, context.Canceled) {
				t.Errorf("err = %v, want Canceled", err)
			}
			if err := For(context.Background(), 0, workers, errAt(0)); err != nil {
				t.Errorf("nothing to do: err = %v", err)
			}
		})
	}
}
