// Package store keeps items in memory.
package store

import (
	"errors"
	"sort"
	"sync"

	"example.com/lab/internal/core"
	"example.com/lab/internal/ids"
)

// ErrNotFound is returned when an item does not exist.
var ErrNotFound = errors.New("store: not found")

// Store is an in-memory item store.
type Store struct {
	mu    sync.RWMutex
	seq   ids.Seq
	items map[int]core.Item
}

// New returns an empty store.
func New() *Store { return &Store{items: make(map[int]core.Item)} }

// Put validates and stores an item, assigning it an ID.
func (s *Store) Put(it core.Item) (int, error) {
	if err := it.Validate(); err != nil {
		return 0, err
	}
	it.ID = s.seq.Next()
	s.mu.Lock()
	s.items[it.ID] = it
	s.mu.Unlock()
	return it.ID, nil
}

// Get returns the item with the given ID.
func (s *Store) Get(id int) (core.Item, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	it, ok := s.items[id]
	if !ok {
		return core.Item{}, ErrNotFound
	}
	return it, nil
}

// List returns all items ordered by ID.
func (s *Store) List() []core.Item {
	s.mu.RLock()
	out := make([]core.Item, 0, len(s.items))
	for _, it := range s.items {
		out = append(out, it)
	}
	s.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
