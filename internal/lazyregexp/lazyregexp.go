// Package lazyregexp is a regular expression compiled on first use, so that
// a package's patterns cost nothing to programs (and commands) that never
// match them. Go runs every imported package's initialisers at start-up;
// regexp.MustCompile in a package-level var makes every command pay for
// every pattern.
//
// Inside tests (a binary named *.test) patterns compile at once, so a bad
// one fails the package's tests rather than the first user to reach it.
package lazyregexp

import (
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
)

// Regexp is a *regexp.Regexp compiled on first use. The methods are those
// of regexp.Regexp; Re gives the compiled expression for the others.
type Regexp struct {
	str  string
	once sync.Once
	rx   atomic.Pointer[regexp.Regexp]
}

// Re compiles the pattern if it is not yet compiled and returns it. It
// panics if the pattern does not compile, as regexp.MustCompile does.
func (r *Regexp) Re() *regexp.Regexp {
	if rx := r.rx.Load(); rx != nil {
		return rx // compiled: one load, the cost of every call after the first
	}
	r.once.Do(r.build)
	return r.rx.Load()
}

func (r *Regexp) build() {
	r.rx.Store(regexp.MustCompile(r.str))
}

var inTest = len(os.Args) > 0 && strings.HasSuffix(strings.TrimSuffix(os.Args[0], ".exe"), ".test")

// New is a regular expression for str, compiled on first use.
func New(str string) *Regexp {
	r := &Regexp{str: str}
	if inTest {
		r.Re()
	}
	return r
}

func (r *Regexp) String() string                       { return r.Re().String() }
func (r *Regexp) SubexpIndex(name string) int          { return r.Re().SubexpIndex(name) }
func (r *Regexp) SubexpNames() []string                { return r.Re().SubexpNames() }
func (r *Regexp) NumSubexp() int                       { return r.Re().NumSubexp() }
func (r *Regexp) Match(b []byte) bool                  { return r.Re().Match(b) }
func (r *Regexp) MatchString(s string) bool            { return r.Re().MatchString(s) }
func (r *Regexp) Find(b []byte) []byte                 { return r.Re().Find(b) }
func (r *Regexp) FindIndex(b []byte) []int             { return r.Re().FindIndex(b) }
func (r *Regexp) FindString(s string) string           { return r.Re().FindString(s) }
func (r *Regexp) FindStringIndex(s string) []int       { return r.Re().FindStringIndex(s) }
func (r *Regexp) FindSubmatch(b []byte) [][]byte       { return r.Re().FindSubmatch(b) }
func (r *Regexp) FindStringSubmatch(s string) []string { return r.Re().FindStringSubmatch(s) }
func (r *Regexp) FindStringSubmatchIndex(s string) []int {
	return r.Re().FindStringSubmatchIndex(s)
}
func (r *Regexp) FindAll(b []byte, n int) [][]byte { return r.Re().FindAll(b, n) }
func (r *Regexp) FindAllIndex(b []byte, n int) [][]int {
	return r.Re().FindAllIndex(b, n)
}
func (r *Regexp) FindAllString(s string, n int) []string { return r.Re().FindAllString(s, n) }
func (r *Regexp) FindAllStringIndex(s string, n int) [][]int {
	return r.Re().FindAllStringIndex(s, n)
}
func (r *Regexp) FindAllSubmatch(b []byte, n int) [][][]byte {
	return r.Re().FindAllSubmatch(b, n)
}
func (r *Regexp) FindAllStringSubmatch(s string, n int) [][]string {
	return r.Re().FindAllStringSubmatch(s, n)
}
func (r *Regexp) FindAllStringSubmatchIndex(s string, n int) [][]int {
	return r.Re().FindAllStringSubmatchIndex(s, n)
}
func (r *Regexp) ReplaceAll(src, repl []byte) []byte { return r.Re().ReplaceAll(src, repl) }
func (r *Regexp) ReplaceAllString(src, repl string) string {
	return r.Re().ReplaceAllString(src, repl)
}
func (r *Regexp) ReplaceAllLiteralString(src, repl string) string {
	return r.Re().ReplaceAllLiteralString(src, repl)
}
func (r *Regexp) ReplaceAllStringFunc(src string, repl func(string) string) string {
	return r.Re().ReplaceAllStringFunc(src, repl)
}
func (r *Regexp) Split(s string, n int) []string { return r.Re().Split(s, n) }
