package lazyregexp

import (
	"regexp"
	"testing"
)

func TestLazy(t *testing.T) {
	r := &Regexp{str: `(\d+)-(?P<b>\d+)`} // not compiled yet, as outside tests
	if r.rx.Load() != nil {
		t.Fatal("compiled before use")
	}
	want := regexp.MustCompile(`(\d+)-(?P<b>\d+)`)
	if got := r.FindStringSubmatch("x 12-34 y"); len(got) != 3 || got[2] != "34" {
		t.Errorf("FindStringSubmatch = %q", got)
	}
	if r.String() != want.String() || r.SubexpIndex("b") != 2 || r.NumSubexp() != 2 {
		t.Errorf("String %q, SubexpIndex %d, NumSubexp %d", r.String(), r.SubexpIndex("b"), r.NumSubexp())
	}
	if got := r.ReplaceAllString("1-2 3-4", "$b"); got != "2 4" {
		t.Errorf("ReplaceAllString = %q", got)
	}
}

func TestBadPatternPanicsInTests(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("a bad pattern did not panic at New inside a test binary")
		}
	}()
	New(`(`)
}
