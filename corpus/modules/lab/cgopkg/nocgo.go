//go:build !cgo

// Package cgopkg scales integers, in C when cgo is available.
package cgopkg

// UsesCgo reports whether the C implementation is linked in.
const UsesCgo = false

// Scale multiplies x by 3, the factor defined in include/lab.h.
func Scale(x int) int {
	return x * 3
}
