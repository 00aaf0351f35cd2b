//go:build !linux

package extract

func mapFile(string) ([]byte, bool) { return nil, false }
