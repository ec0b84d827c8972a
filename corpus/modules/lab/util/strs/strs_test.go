package strs

import "testing"

func TestTitle(t *testing.T) {
	for in, want := range map[string]string{"": "", "lab": "Lab", "élan": "Élan"} {
		if got := Title(in); got != want {
			t.Errorf("Title(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestReverse(t *testing.T) {
	if got := Reverse("abc"); got != "cba" {
		t.Fatalf("Reverse = %q", got)
	}
}

func TestSlug(t *testing.T) {
	if got := Slug("  Build  Cache Miss "); got != "build-cache-miss" {
		t.Fatalf("Slug = %q", got)
	}
}
