// Package cache is a small least-recently-used cache.
package cache

import (
	"container/list"
	"sync"
)

type entry struct {
	key string
	val string
}

// LRU keeps at most Cap entries.
type LRU struct {
	Cap int

	mu    sync.Mutex
	order *list.List
	index map[string]*list.Element
}

// Get returns the cached value for key.
func (c *LRU) Get(key string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.index[key]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*entry).val, true
	}
	return "", false
}

// Put stores a value, evicting the oldest entry when full.
func (c *LRU) Put(key, val string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.order == nil {
		c.order, c.index = list.New(), make(map[string]*list.Element)
	}
	if e, ok := c.index[key]; ok {
		e.Value.(*entry).val = val
		c.order.MoveToFront(e)
		return
	}
	c.index[key] = c.order.PushFront(&entry{key, val})
	if c.Cap > 0 && c.order.Len() > c.Cap {
		old := c.order.Back()
		c.order.Remove(old)
		delete(c.index, old.Value.(*entry).key)
	}
}
