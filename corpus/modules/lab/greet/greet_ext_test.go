package greet_test

import (
	"strings"
	"testing"

	"example.com/lab/greet"
)

func TestHelloExternal(t *testing.T) {
	got := strings.ToLower(greet.Hello("gopher"))
	if !strings.Contains(got, "hello, gopher") {
		t.Fatalf("Hello(gopher) = %q", got)
	}
}
