// Package events is a synchronous publish/subscribe bus.
package events

import "sync"

// Handler receives published messages.
type Handler func(topic, msg string)

// Bus dispatches messages to the handlers of a topic.
type Bus struct {
	mu   sync.RWMutex
	subs map[string][]Handler
}

// Subscribe registers h for topic.
func (b *Bus) Subscribe(topic string, h Handler) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.subs == nil {
		b.subs = make(map[string][]Handler)
	}
	b.subs[topic] = append(b.subs[topic], h)
}

// Publish calls every handler of topic and returns how many ran.
func (b *Bus) Publish(topic, msg string) int {
	b.mu.RLock()
	hs := b.subs[topic]
	b.mu.RUnlock()
	for _, h := range hs {
		h(topic, msg)
	}
	return len(hs)
}
