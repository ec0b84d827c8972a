// Command pgo hashes or sorts numbers for a while. Its CPU profiles of the two workloads are
// profiles/hash.pgo and profiles/sort.pgo, the PGO profiles of the log pairs corpus/pairs/pgo
// and pgo-dry (made with `go run . -work hash -cpuprofile profiles/hash.pgo`).
package main

import (
	"crypto/sha256"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"sort"
	"strconv"
	"time"
)

func hashing() int {
	n := 0
	for i := 0; i < 2000; i++ {
		s := sha256.Sum256([]byte(strconv.Itoa(i)))
		n += int(s[0])
	}
	return n
}

func sorting() int {
	xs := make([]int, 5000)
	for i := range xs {
		xs[i] = (i * 7919) % 5003
	}
	sort.Ints(xs)
	return xs[0]
}

func main() {
	work := flag.String("work", "hash", "the workload: hash or sort")
	profile := flag.String("cpuprofile", "", "write a CPU profile to this file")
	duration := flag.Duration("for", 300*time.Millisecond, "how long to work")
	flag.Parse()
	run := hashing
	if *work == "sort" {
		run = sorting
	}
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	end := time.Now().Add(*duration)
	sum := 0
	for time.Now().Before(end) {
		sum += run()
	}
	fmt.Println(sum)
}
