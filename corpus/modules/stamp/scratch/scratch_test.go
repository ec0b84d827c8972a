package scratch

import "testing"

// Reading $TMPDIR (os.TempDir) makes it an input of the cached test result.
func TestDir(t *testing.T) {
	if Dir() == "" {
		t.Fatal("no temporary directory")
	}
}
