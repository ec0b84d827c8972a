// Package retry runs an operation until it succeeds or attempts run out.
package retry

import (
	"errors"
	"time"
)

// ErrExhausted wraps the last error after all attempts failed.
var ErrExhausted = errors.New("retry: attempts exhausted")

// Policy describes how often and how long to wait between attempts.
type Policy struct {
	Attempts int
	Delay    time.Duration
	Sleep    func(time.Duration) // nil means time.Sleep
}

// Do calls op until it returns nil, doubling the delay after each failure.
func (p Policy) Do(op func() error) error {
	sleep := p.Sleep
	if sleep == nil {
		sleep = time.Sleep
	}
	d := p.Delay
	var last error
	for i := 0; i < p.Attempts; i++ {
		if last = op(); last == nil {
			return nil
		}
		if i+1 < p.Attempts {
			sleep(d)
			d *= 2
		}
	}
	return errors.Join(ErrExhausted, last)
}
