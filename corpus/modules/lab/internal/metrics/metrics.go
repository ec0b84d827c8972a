// Package metrics counts named events.
package metrics

import (
	"sort"
	"sync"
	"sync/atomic"
)

// Registry holds named counters.
type Registry struct {
	mu       sync.Mutex
	counters map[string]*atomic.Int64
}

// Inc adds one to the named counter.
func (r *Registry) Inc(name string) {
	r.mu.Lock()
	if r.counters == nil {
		r.counters = make(map[string]*atomic.Int64)
	}
	c, ok := r.counters[name]
	if !ok {
		c = new(atomic.Int64)
		r.counters[name] = c
	}
	r.mu.Unlock()
	c.Add(1)
}

// Snapshot returns the counter names in order and their values.
func (r *Registry) Snapshot() ([]string, map[string]int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	names := make([]string, 0, len(r.counters))
	vals := make(map[string]int64, len(r.counters))
	for n, c := range r.counters {
		names = append(names, n)
		vals[n] = c.Load()
	}
	sort.Strings(names)
	return names, vals
}
