// Package buildinfo holds the time `make generate` stamps into zz_time.go.
package buildinfo

// Time is set by the generated zz_time.go, when there is one.
var Time = "unset"
