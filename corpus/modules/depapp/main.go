// Command depapp prints a greeting from its one dependency, example.com/dep, which is vendored
// (vendor/, build with -mod=vendor; there is no module proxy). The module as checked in vendors
// dep v1.0.0; testdata/upgrade-v1.1.0/ holds the files that change when dep is upgraded to v1.1.0
// (go.mod, go.sum, vendor/modules.txt and dep's source), for scripts/capture-pairs.sh.
package main

import "example.com/dep"

func main() {
	println(dep.Greeting("depapp"))
}
