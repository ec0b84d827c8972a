// Package auth checks simple bearer tokens.
package auth

import (
	"errors"
	"hash/fnv"
	"strconv"
	"strings"
)

// ErrDenied is returned for a missing or wrong token.
var ErrDenied = errors.New("auth: denied")

// Token derives the token for a user from a shared secret.
func Token(secret, user string) string {
	h := fnv.New64a()
	h.Write([]byte(secret))
	h.Write([]byte{0})
	h.Write([]byte(user))
	return strconv.FormatUint(h.Sum64(), 36)
}

// Check validates an "Authorization: Bearer user:token" header value.
func Check(secret, header string) (string, error) {
	rest, ok := strings.CutPrefix(header, "Bearer ")
	if !ok {
		return "", ErrDenied
	}
	user, tok, ok := strings.Cut(rest, ":")
	if !ok || tok != Token(secret, user) {
		return "", ErrDenied
	}
	return user, nil
}
