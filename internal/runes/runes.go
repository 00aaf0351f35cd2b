// Package runes holds the small text helpers several packages need and Go's
// standard library does not have.
package runes

// Clip shortens s to at most n characters (runes, not bytes), marking a cut
// with "…". Reports and prompts quote policy text, and a byte cut could
// split a Chinese character.
func Clip(s string, n int) string {
	count := 0
	for i := range s {
		if count == n {
			return s[:i] + "…"
		}
		count++
	}
	return s
}
