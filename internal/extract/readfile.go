package extract

import "os"

// ReadFile reads a file to extract, for a program that reads a few files
// and exits: on Linux a large regular file is mapped into memory, read-only
// and never unmapped, rather than copied (its pages come from the page
// cache instead of being allocated and filled), so the body must be passed
// on with BodyImmutable. A file truncated while mapped faults the program;
// a server should use os.ReadFile.
func ReadFile(path string) ([]byte, error) {
	if b, ok := mapFile(path); ok {
		return b, nil
	}
	return os.ReadFile(path)
}

// mapMinSize is the size from which mapping a file beats reading it.
const mapMinSize = 64 << 10
