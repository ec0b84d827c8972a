package greet

import (
	"os"
	"strings"
	"testing"
)

// TestHelloGolden compares against testdata/hello.txt, so the test cache
// records both the file and the GREET_MODE variable as inputs.
func TestHelloGolden(t *testing.T) {
	data, err := os.ReadFile("testdata/hello.txt")
	if err != nil {
		t.Fatal(err)
	}
	want := strings.TrimSpace(string(data))
	if os.Getenv("GREET_MODE") == "shout" {
		want = strings.ToUpper(want) + "!"
	}
	if got := Hello("lab"); got != want {
		t.Fatalf("Hello(lab) = %q, want %q", got, want)
	}
}

func TestHelloDefault(t *testing.T) {
	if got := Hello(""); !strings.HasSuffix(strings.ToLower(got), "world") && !strings.HasSuffix(got, "WORLD!") {
		t.Fatalf("Hello(\"\") = %q", got)
	}
}
