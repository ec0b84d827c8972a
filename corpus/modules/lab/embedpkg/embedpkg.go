// Package embedpkg serves a message embedded at build time.
package embedpkg

import (
	_ "embed"
	"strings"
)

//go:embed msg.txt
var msg string

// Message returns the embedded message without its trailing newline.
func Message() string { return strings.TrimSpace(msg) }
