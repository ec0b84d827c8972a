// Command stamp prints when it was built, as release builds often do: the Makefile's `stamp`
// target sets main.date with -ldflags -X, and `gen-build` generates buildinfo/zz_time.go.
package main

import (
	"fmt"

	"example.com/stamp/buildinfo"
	"example.com/stamp/scratch"
)

var date = "unknown"

func main() {
	fmt.Println("linked", date, "generated", buildinfo.Time, "scratch in", scratch.Dir())
}
