// Package core defines the item type shared by the store and the API.
package core

import (
	"errors"
	"strings"
)

// ErrInvalid is returned by Validate for malformed items.
var ErrInvalid = errors.New("core: invalid item")

// Item is one record kept by the lab store.
type Item struct {
	ID   int
	Name string
	Tags []string
}

// Validate reports whether the item can be stored.
func (it Item) Validate() error {
	if strings.TrimSpace(it.Name) == "" {
		return ErrInvalid
	}
	for _, t := range it.Tags {
		if strings.ContainsAny(t, " ,") {
			return ErrInvalid
		}
	}
	return nil
}

// HasTag reports whether the item carries tag t.
func (it Item) HasTag(t string) bool {
	for _, x := range it.Tags {
		if x == t {
			return true
		}
	}
	return false
}
