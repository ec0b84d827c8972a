// Package api turns text commands into store operations.
package api

import (
	"errors"
	"strconv"
	"strings"

	"example.com/lab/internal/codec"
	"example.com/lab/internal/core"
	"example.com/lab/internal/store"
	"example.com/lab/util/strs"
)

// ErrUsage is returned for unknown or malformed commands.
var ErrUsage = errors.New("api: usage: add NAME [TAG...] | get ID | list")

// Server executes commands against a store.
type Server struct {
	Store *store.Store
}

// Do runs one command line and returns its textual result.
func (s *Server) Do(cmd string) (string, error) {
	args := strings.Fields(cmd)
	if len(args) == 0 {
		return "", ErrUsage
	}
	switch args[0] {
	case "add":
		if len(args) < 2 {
			return "", ErrUsage
		}
		id, err := s.Store.Put(core.Item{Name: strs.Title(args[1]), Tags: args[2:]})
		if err != nil {
			return "", err
		}
		return strconv.Itoa(id), nil
	case "get":
		if len(args) != 2 {
			return "", ErrUsage
		}
		id, err := strconv.Atoi(args[1])
		if err != nil {
			return "", ErrUsage
		}
		it, err := s.Store.Get(id)
		if err != nil {
			return "", err
		}
		return codec.Encode(it), nil
	case "list":
		var b strings.Builder
		for _, it := range s.Store.List() {
			b.WriteString(codec.Encode(it))
			b.WriteByte('\n')
		}
		return b.String(), nil
	}
	return "", ErrUsage
}
