// Command labctl runs store commands given on the command line.
//
//	labctl add widget blue   # prints the new ID
//	labctl -version
package main

import (
	"fmt"
	"os"
	"strings"

	"example.com/lab/asmpkg"
	"example.com/lab/cgopkg"
	"example.com/lab/embedpkg"
	"example.com/lab/greet"
	"example.com/lab/internal/api"
	"example.com/lab/internal/config"
	"example.com/lab/internal/logx"
	"example.com/lab/internal/store"
	"example.com/lab/tagged"
	"example.com/lab/util/strs"
)

// version is set with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	args := os.Args[1:]
	if len(args) == 1 && args[0] == "-version" {
		fmt.Printf("labctl %s (%s, cgo=%v, scale=%d, sum=%d)\n",
			version, tagged.Describe(), cgopkg.UsesCgo, cgopkg.Scale(1), asmpkg.Add(2, 3))
		return
	}
	cfg, err := config.Parse(os.Getenv("LABCTL_CONFIG"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	log := &logx.Logger{W: os.Stderr, Min: logx.Info}
	if cfg.Verbose {
		log.Min = logx.Debug
	}
	log.Log(logx.Debug, greet.Hello(cfg.Name), "-", embedpkg.Message())
	srv := &api.Server{Store: store.New()}
	out, err := srv.Do(strings.Join(args, " "))
	if err != nil {
		log.Log(logx.Error, err.Error())
		os.Exit(1)
	}
	fmt.Println(strs.Slug(out))
}
