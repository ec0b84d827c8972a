package greet

import "testing"

func TestHello(t *testing.T) {
	if got := Hello("tiny"); got != "hello, tiny" {
		t.Fatalf("Hello = %q", got)
	}
}
