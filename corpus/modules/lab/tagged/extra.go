//go:build labextra

package tagged

const variant = "extra"

// Extra reports whether the labextra tag was set.
func Extra() bool { return true }
