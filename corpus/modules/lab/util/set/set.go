// Package set is a string set.
package set

import "sort"

// Set is a set of strings. The zero value is not usable; use New.
type Set map[string]struct{}

// New returns a set holding xs.
func New(xs ...string) Set {
	s := make(Set, len(xs))
	for _, x := range xs {
		s[x] = struct{}{}
	}
	return s
}

// Has reports whether x is in s.
func (s Set) Has(x string) bool { _, ok := s[x]; return ok }

// Union returns the elements in s or t.
func (s Set) Union(t Set) Set {
	u := make(Set, len(s)+len(t))
	for x := range s {
		u[x] = struct{}{}
	}
	for x := range t {
		u[x] = struct{}{}
	}
	return u
}

// Sorted returns the elements in increasing order.
func (s Set) Sorted() []string {
	out := make([]string, 0, len(s))
	for x := range s {
		out = append(out, x)
	}
	sort.Strings(out)
	return out
}
