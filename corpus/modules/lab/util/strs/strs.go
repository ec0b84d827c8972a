// Package strs has small string helpers.
package strs

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Title upper-cases the first rune of s.
func Title(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// Reverse returns s with its runes in reverse order.
func Reverse(s string) string {
	rs := []rune(s)
	for i, j := 0, len(rs)-1; i < j; i, j = i+1, j-1 {
		rs[i], rs[j] = rs[j], rs[i]
	}
	return string(rs)
}

// Slug lower-cases s and joins its words with '-'.
func Slug(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), "-")
}
