// Package dep is the dependency of example.com/depapp (v1.1.0).
package dep

// Version is this module's version.
const Version = "v1.1.0"

// Greeting greets name, now with an exclamation mark.
func Greeting(name string) string {
	return "hello, " + name + "!"
}
