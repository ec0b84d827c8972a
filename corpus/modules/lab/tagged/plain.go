//go:build !labextra

package tagged

const variant = "plain"

// Extra reports whether the labextra tag was set.
func Extra() bool { return false }
