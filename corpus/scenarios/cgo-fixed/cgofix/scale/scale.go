//go:build cgo

// Package scale multiplies in C. Its header sits next to the Go and C files and is included by
// name: no -I${SRCDIR}, so no absolute path in the cgo flags.
package scale

/*
#include "scale.h"
*/
import "C"

// Scale multiplies x by the factor in scale.h.
func Scale(x int) int { return int(C.scale(C.int(x))) }
