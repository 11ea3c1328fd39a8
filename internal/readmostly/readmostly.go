// Package readmostly provides a concurrent map for caches whose keys are written once and
// read millions of times, from every core.
package readmostly

import (
	"maps"
	"sync"
	"sync/atomic"
)

// Map is a concurrent map from K to V. Reads of a settled key take no lock: they look in an
// immutable map behind an atomic pointer (as sync.Map did before Go 1.24, but with concrete
// types: sync.Map's interface keys cost more than a cached computation saves). New keys wait
// in a locked map until they have been read, or enough keys added, to pay for copying
// everything into a new immutable map; the copies cost O(1) per read or key, amortised
// (copying on every new key, as a plain copy-on-write map does, is quadratic). The zero Map
// is empty and ready to use. A Map must not be copied after first use.
type Map[K comparable, V any] struct {
	read   atomic.Pointer[map[K]V]
	mu     sync.Mutex
	dirty  map[K]V // keys not yet in read
	misses int     // reads that had to lock since the last copy
}

// Load returns the value of k and whether it is present.
func (m *Map[K, V]) Load(k K) (V, bool) {
	if r := m.read.Load(); r != nil {
		if v, ok := (*r)[k]; ok {
			return v, true
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if r := m.read.Load(); r != nil { // again: a copy may have moved k since
		if v, ok := (*r)[k]; ok {
			return v, true
		}
	}
	v, ok := m.dirty[k]
	if ok {
		m.misses++
		m.promote()
	}
	return v, ok
}

// LoadOrStore returns the value of k, storing v first when k is absent.
func (m *Map[K, V]) LoadOrStore(k K, v V) V {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r := m.read.Load(); r != nil {
		if old, ok := (*r)[k]; ok {
			return old
		}
	}
	if old, ok := m.dirty[k]; ok {
		return old
	}
	if m.dirty == nil {
		m.dirty = map[K]V{}
	}
	m.dirty[k] = v
	m.promote()
	return v
}

// Len returns the number of keys.
func (m *Map[K, V]) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := len(m.dirty)
	if r := m.read.Load(); r != nil {
		n += len(*r)
	}
	return n
}

// promote copies the dirty keys into a new read map once the locked reads or the dirty
// keys are as many as half the read keys.
func (m *Map[K, V]) promote() {
	var n int
	r := m.read.Load()
	if r != nil {
		n = len(*r)
	}
	if m.misses < n && 2*len(m.dirty) < n {
		return
	}
	next := make(map[K]V, n+len(m.dirty))
	if r != nil {
		maps.Copy(next, *r)
	}
	maps.Copy(next, m.dirty)
	m.read.Store(&next)
	m.dirty, m.misses = nil, 0
}
