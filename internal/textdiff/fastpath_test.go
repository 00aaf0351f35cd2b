package textdiff

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/policywatch/policywatch/internal/testpages"
)

// fastPathLines are lines of every kind: the policies', and characters of
// the whole Basic Multilingual Plane and beyond next to Chinese, Latin,
// spaces and broken bytes.
func fastPathLines(t *testing.T) []string {
	lines := []string{"", "a", "中", "\u3000", "中\u3000文", "a b", "\xe4\xb8", "\xe4\xb8\xad\xe4", "\xed\xa0\x80", "\xe3\x80\x80\xe3\x80\x81",
		"\U0001F600中", "word 中文 words  二", "\ufffd\xff"}
	for r := rune(0); r < 0x10000; r += 5 {
		lines = append(lines, string(r)+"中"+string(r)+"a"+string(r)+" "+string(r))
	}
	if names, err := testpages.PolicyNames(); err == nil {
		for _, n := range names[:min(len(names), 10)] {
			src, _ := testpages.Policy(n)
			lines = append(lines, strings.Split(src, "\n")...)
		}
	}
	return lines
}

func TestTokenEncoderFastPath(t *testing.T) {
	var fast, slow tokenEncoder
	var buf []rune
	for _, l := range fastPathLines(t) {
		var want []rune
		eachToken(l, func(tok string) { want = append(want, slow.code(tok)) })
		if got := fast.encode(l, &buf); !slices.Equal(got, want) {
			t.Fatalf("encode(%q) = %U, token by token %U", l, got, want)
		}
	}
}

func TestProfileFastPath(t *testing.T) {
	slow := func(line string) profile {
		rs := []rune(line)
		if len(rs) == 1 {
			return profile{uint64(rs[0])}
		}
		p := make(profile, 0, max(len(rs)-1, 0))
		for i := 0; i+1 < len(rs); i++ {
			p = append(p, uint64(rs[i])<<21|uint64(rs[i+1]))
		}
		slices.Sort(p)
		return p
	}
	for _, l := range fastPathLines(t) {
		if got, want := newProfile(l), slow(l); !slices.Equal(got, want) {
			t.Fatalf("newProfile(%q) = %v, want %v", l, got, want)
		}
		if _, ok := cjk3(l, 0); ok && !utf8.ValidString(l[:3]) {
			t.Fatalf("cjk3 accepted %q", l[:3])
		}
	}
}

func TestJSONStringFastPath(t *testing.T) {
	lines := append(fastPathLines(t), "\"q\"", "back\\slash", "tab\there", "\x00\x1f\x7f", "<&>", "\u2028\u2029", "\xff中", "中\xe4\xb8")
	for _, l := range lines {
		want, _ := jsontext.AppendQuote(nil, l)
		if got := appendJSONString(nil, l); string(got) != string(want) {
			t.Fatalf("appendJSONString(%q) = %s, want %s", l, got, want)
		}
	}
}
