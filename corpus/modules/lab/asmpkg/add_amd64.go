package asmpkg

// add is implemented in add_amd64.s.
//
//go:noescape
func add(a, b int) int
