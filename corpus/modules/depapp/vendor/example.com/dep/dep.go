// Package dep is the dependency of example.com/depapp (v1.0.0).
package dep

// Version is this module's version.
const Version = "v1.0.0"

// Greeting greets name.
func Greeting(name string) string {
	return "hello, " + name
}
