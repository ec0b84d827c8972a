// Command nondet prints cpkg.Value(), which comes from a C header outside the module
// (/tmp/whymiss-nondet/ext.h, see package cpkg).
package main

import "example.com/nondet/cpkg"

func main() {
	println(cpkg.Value())
}
