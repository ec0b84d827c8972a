// Package ids hands out increasing integer identifiers.
package ids

import (
	"strconv"
	"sync"
)

// Seq is a goroutine-safe sequence generator. The zero value starts at 1.
type Seq struct {
	mu   sync.Mutex
	last int
}

// Next returns the next identifier.
func (s *Seq) Next() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.last++
	return s.last
}

// Format renders an identifier with a prefix, e.g. "item-7".
func Format(prefix string, id int) string {
	return prefix + "-" + strconv.Itoa(id)
}
