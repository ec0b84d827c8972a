// Package logx is a tiny levelled logger.
package logx

import (
	"io"
	"strings"
)

// Level orders log messages by importance.
type Level int

// The levels, least important first.
const (
	Debug Level = iota
	Info
	Error
)

var names = [...]string{"debug", "info", "error"}

// Logger writes messages at or above Min to W.
type Logger struct {
	W   io.Writer
	Min Level
}

// Log writes one message; it is dropped when lvl is below l.Min.
func (l *Logger) Log(lvl Level, parts ...string) {
	if l == nil || l.W == nil || lvl < l.Min {
		return
	}
	io.WriteString(l.W, names[lvl]+": "+strings.Join(parts, " ")+"\n")
}
