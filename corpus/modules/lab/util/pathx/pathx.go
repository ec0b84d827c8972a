// Package pathx has helpers for slash-separated paths.
package pathx

import (
	"path"
	"strings"
)

// Split returns the cleaned, non-empty elements of p.
func Split(p string) []string {
	p = strings.Trim(path.Clean("/"+p), "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// Under reports whether child is inside dir (or equal to it).
func Under(dir, child string) bool {
	dir, child = path.Clean(dir), path.Clean(child)
	return child == dir || strings.HasPrefix(child, strings.TrimSuffix(dir, "/")+"/")
}
