// Package asmpkg adds integers, in assembly on amd64.
package asmpkg

// Add returns a + b.
func Add(a, b int) int { return add(a, b) }
