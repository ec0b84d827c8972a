package set

import (
	"strings"
	"testing"
)

func TestUnionSorted(t *testing.T) {
	u := New("b", "a").Union(New("c", "a"))
	if got := strings.Join(u.Sorted(), ","); got != "a,b,c" {
		t.Fatalf("Sorted = %q", got)
	}
	if !u.Has("c") || u.Has("z") {
		t.Fatal("Has is wrong")
	}
}
