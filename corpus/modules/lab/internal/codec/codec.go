// Package codec encodes items as single text lines: "id|name|tag,tag".
package codec

import (
	"errors"
	"strconv"
	"strings"

	"example.com/lab/internal/core"
)

// ErrFormat is returned for lines that do not have three fields.
var ErrFormat = errors.New("codec: bad line")

// Encode renders an item as one line.
func Encode(it core.Item) string {
	return strconv.Itoa(it.ID) + "|" + it.Name + "|" + strings.Join(it.Tags, ",")
}

// Decode parses a line produced by Encode.
func Decode(line string) (core.Item, error) {
	f := strings.Split(line, "|")
	if len(f) != 3 {
		return core.Item{}, ErrFormat
	}
	id, err := strconv.Atoi(f[0])
	if err != nil {
		return core.Item{}, ErrFormat
	}
	it := core.Item{ID: id, Name: f[1]}
	if f[2] != "" {
		it.Tags = strings.Split(f[2], ",")
	}
	return it, nil
}
