// Package tagged reports which build-tag variant was compiled.
// Build with -tags labextra to select extra.go.
package tagged

// Describe names the compiled variant.
func Describe() string { return "tagged/" + variant }
