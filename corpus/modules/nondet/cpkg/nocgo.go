//go:build !cgo

package cpkg

// Value returns 0: without cgo there is no ext.h.
func Value() int {
	return 0
}
