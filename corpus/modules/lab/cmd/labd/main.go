// Command labd reads commands from stdin, one per line, and answers each
// authenticated one: "user:token command...".
package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"time"

	"example.com/lab/internal/api"
	"example.com/lab/internal/auth"
	"example.com/lab/internal/cache"
	"example.com/lab/internal/events"
	"example.com/lab/internal/metrics"
	"example.com/lab/internal/store"
	"example.com/lab/util/mathx"
	"example.com/lab/util/pathx"
	"example.com/lab/util/retry"
	"example.com/lab/util/set"
	"example.com/lab/util/slicex"
)

func main() {
	secret := os.Getenv("LABD_SECRET")
	srv := &api.Server{Store: store.New()}
	seen := &cache.LRU{Cap: mathx.Clamp(len(os.Args)*16, 16, 256)}
	var reg metrics.Registry
	var bus events.Bus
	bus.Subscribe("request", func(_, msg string) {
		if parts := pathx.Split(msg); len(parts) > 0 {
			reg.Inc(parts[0])
		}
	})

	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		cred, cmd, _ := strings.Cut(sc.Text(), " ")
		user, err := auth.Check(secret, "Bearer "+cred)
		if err != nil {
			fmt.Println("denied")
			continue
		}
		if out, ok := seen.Get(cmd); ok {
			fmt.Println(out)
			continue
		}
		bus.Publish("request", user)
		var out string
		err = retry.Policy{Attempts: 2, Delay: time.Millisecond}.Do(func() (err error) {
			out, err = srv.Do(cmd)
			return err
		})
		if err != nil {
			fmt.Println("error:", err)
			continue
		}
		seen.Put(cmd, out)
		fmt.Println(out)
	}
	names, vals := reg.Snapshot()
	users := set.New(names...).Sorted()
	fmt.Fprintln(os.Stderr, strings.Join(slicex.Map(users, func(u string) string {
		return fmt.Sprintf("%s=%d", u, vals[u])
	}), " "))
}
