//go:build !amd64

package asmpkg

func add(a, b int) int { return a + b }
