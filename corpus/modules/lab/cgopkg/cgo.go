//go:build cgo

// Package cgopkg scales integers, in C when cgo is available.
package cgopkg

/*
#cgo CFLAGS: -I${SRCDIR}/include
#include "lab.h"
*/
import "C"

// UsesCgo reports whether the C implementation is linked in.
const UsesCgo = true

// Scale multiplies x by the factor defined in include/lab.h.
func Scale(x int) int {
	return int(C.lab_scale(C.int(x)))
}
