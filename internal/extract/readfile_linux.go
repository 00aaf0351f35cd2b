package extract

import (
	"os"
	"syscall"
)

// mapFile maps a regular file of at least mapMinSize bytes, its pages
// populated at once; ok is false when it does not (the caller reads it).
func mapFile(path string) (b []byte, ok bool) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() || st.Size() < mapMinSize || st.Size() > 1<<30 {
		return nil, false
	}
	b, err = syscall.Mmap(int(f.Fd()), 0, int(st.Size()), syscall.PROT_READ, syscall.MAP_PRIVATE|syscall.MAP_POPULATE)
	if err != nil {
		return nil, false
	}
	return b, true
}
