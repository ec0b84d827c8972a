//go:build cgo

// Package cpkg returns VALUE, a macro from ext.h. That header is NOT part of the module: it is
// found through the fixed include directory /tmp/whymiss-nondet (see the #cgo line), which
// `whymiss capture-pairs` fills before each build (e.g. `#define VALUE 1`). The go command hashes
// only the files of the package directory, so changing ext.h changes the compiled package (its
// content ID) but not its action ID: a cache keyed on this package cannot tell the builds apart.
// Without the header VALUE is 0, so the module also builds anywhere else.
package cpkg

/*
#cgo CFLAGS: -I/tmp/whymiss-nondet
#if defined(__has_include)
#if __has_include("ext.h")
#include "ext.h"
#endif
#endif
#ifndef VALUE
#define VALUE 0
#endif

static int ext_value(void) { return VALUE; }
*/
import "C"

// Value returns VALUE from /tmp/whymiss-nondet/ext.h (0 without that header).
func Value() int {
	return int(C.ext_value())
}
