// Command tiny prints a greeting; a fast module for quick whymiss tests.
package main

import (
	"os"
	"strconv"

	"example.com/tiny/greet"
)

func main() {
	name := "world"
	if len(os.Args) > 1 {
		name = os.Args[1]
	}
	msg := greet.Hello(name) + " (" + strconv.Itoa(len(name)) + ")\n"
	os.Stdout.WriteString(msg)
}
