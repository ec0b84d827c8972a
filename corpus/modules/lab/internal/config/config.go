// Package config parses "key = value" configuration text.
package config

import (
	"errors"
	"strconv"
	"strings"
)

// Config holds the settings understood by the lab commands.
type Config struct {
	Name    string
	Workers int
	Verbose bool
}

// Default returns the built-in configuration.
func Default() Config { return Config{Name: "lab", Workers: 2} }

// Parse applies the lines of text on top of Default.
func Parse(text string) (Config, error) {
	c := Default()
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return c, errors.New("config: line " + strconv.Itoa(n+1) + ": missing '='")
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		var err error
		switch k {
		case "name":
			c.Name = v
		case "workers":
			c.Workers, err = strconv.Atoi(v)
		case "verbose":
			c.Verbose, err = strconv.ParseBool(v)
		default:
			err = errors.New("unknown key " + strconv.Quote(k))
		}
		if err != nil {
			return c, errors.New("config: line " + strconv.Itoa(n+1) + ": " + err.Error())
		}
	}
	return c, nil
}
