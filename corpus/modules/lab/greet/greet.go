// Package greet builds greetings. The GREET_MODE environment variable
// selects the style ("shout" upper-cases the greeting).
package greet

import (
	"os"
	"strings"

	"example.com/lab/util/strs"
)

// Mode returns the greeting style from $GREET_MODE.
func Mode() string { return os.Getenv("GREET_MODE") }

// Hello greets name in the style selected by Mode.
func Hello(name string) string {
	if name == "" {
		name = "world"
	}
	msg := "hello, " + strs.Title(name)
	if Mode() == "shout" {
		msg = strings.ToUpper(msg) + "!"
	}
	return msg
}
