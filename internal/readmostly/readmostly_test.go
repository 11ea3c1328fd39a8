package readmostly

import (
	"sync"
	"testing"
)

// TestMapAgainstPlainMap: a Map fed the same loads and stores as a plain map, in any mix,
// holds the same keys and values; the first value stored for a key wins.
func TestMapAgainstPlainMap(t *testing.T) {
	var m Map[int, int]
	want := map[int]int{}
	for i := 0; i < 5000; i++ {
		k := (i * 7919) % 1237
		if _, ok := want[k]; !ok {
			want[k] = i
		}
		if got := m.LoadOrStore(k, i); got != want[k] {
			t.Fatalf("LoadOrStore(%d) = %d, want %d", k, got, want[k])
		}
		for _, q := range []int{k, (k * 31) % 1237, -1} {
			v, ok := m.Load(q)
			w, wok := want[q]
			if ok != wok || v != w {
				t.Fatalf("after %d stores Load(%d) = %d, %v, want %d, %v", i+1, q, v, ok, w, wok)
			}
		}
	}
	if m.Len() != len(want) {
		t.Fatalf("Len %d, want %d", m.Len(), len(want))
	}
}

// TestMapConcurrent: goroutines storing and loading overlapping keys agree on every value
// (run under the race detector by make test).
func TestMapConcurrent(t *testing.T) {
	var m Map[[2]uint64, float64]
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20000; i++ {
				k := [2]uint64{uint64(i % 3001), uint64(w % 2)}
				v := float64(k[0]*2 + k[1])
				if got := m.LoadOrStore(k, v); got != v {
					t.Errorf("key %v: %v, want %v", k, got, v)
					return
				}
				if got, ok := m.Load(k); !ok || got != v {
					t.Errorf("key %v: loaded %v, %v", k, got, ok)
					return
				}
			}
		}()
	}
	wg.Wait()
	if m.Len() != 3001*2 {
		t.Errorf("Len %d, want %d", m.Len(), 3001*2)
	}
}
