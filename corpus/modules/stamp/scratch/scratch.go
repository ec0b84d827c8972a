// Package scratch names the directory for temporary files: $TMPDIR, through os.TempDir.
package scratch

import "os"

// Dir is os.TempDir(), which reads $TMPDIR.
func Dir() string { return os.TempDir() }
