package normalize

import (
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/policywatch/policywatch/internal/testpages"
)

// TestNFKCFastPath: the fast path gives what the general algorithm gives,
// on every line of the real policies and on the characters it claims.
func TestNFKCFastPath(t *testing.T) {
	var lines []string
	names, err := testpages.PolicyNames()
	if err == nil {
		for _, n := range names {
			src, _ := testpages.Policy(n)
			lines = append(lines, strings.Split(src, "\n")...)
		}
	}
	for _, prefix := range []string{"000", "001", "002", "003"} {
		if s, err := testpages.Seed(prefix); err == nil {
			lines = append(lines, strings.Split(s, "\n")...)
		}
	}
	// Every character the fast path knows, alone and next to a combining mark.
	for r := rune(0); r <= 0xFFFF; r++ {
		if fastClass(r) != other {
			lines = append(lines, string(r), "a"+string(r)+"b", string(r)+"\u0301", string(r)+"\u3099")
		}
	}
	lines = append(lines, "ｅ\u0301", "e\u0301", "①②", "…", "ﬁ", "ｶﾞ", "\u00e9")
	lines = append(lines, "\u00a0a\u3000\u3000b\t\u200bc  ", "\ufeff", " ", "a\x80b", "\t\u2003x")
	for _, l := range lines {
		if got, want := nfkc(l), norm.NFKC.String(l); got != want {
			t.Fatalf("nfkc(%q) = %q, want %q", l, got, want)
		}
		if got, want := normLine(l), collapseSpaces(norm.NFKC.String(cleanLine(l))); got != want {
			t.Fatalf("normLine(%q) = %q, want %q", l, got, want)
		}
	}
}

func FuzzNFKC(f *testing.F) {
	f.Add("（一）我们收集，ＡＢＣ１２３　。")
	f.Add("e\u0301ｅ\u0301")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := nfkc(s), norm.NFKC.String(s); got != want {
			t.Fatalf("nfkc(%q) = %q, want %q", s, got, want)
		}
		if strings.Contains(s, "\n") {
			return // normLine works on single lines
		}
		if got, want := normLine(s), collapseSpaces(norm.NFKC.String(cleanLine(s))); got != want {
			t.Fatalf("normLine(%q) = %q, want %q", s, got, want)
		}
	})
}

// TestTextIsCleanThenNFKC: the one-pass Text equals its definition.
func TestTextIsCleanThenNFKC(t *testing.T) {
	names, err := testpages.PolicyNames()
	if err != nil {
		t.Skip(err)
	}
	for _, n := range names {
		src, _ := testpages.Policy(n)
		if got, want := Text(src), slowText(src); got != want {
			t.Fatalf("%s: Text differs from NFKC(Clean) + collapse", n)
		}
	}
	for _, s := range []string{"\r\n\r\na\r\n\r\n\r\nb\r", "\u3000\n\u3000a\u3000\u3000b\n\n\u200b\n", ""} {
		if got, want := Text(s), slowText(s); got != want {
			t.Errorf("Text(%q) = %q, want %q", s, got, want)
		}
	}
}

// slowText is Text by its definition.
func slowText(s string) string {
	s = norm.NFKC.String(Clean(s))
	var out []string
	prevBlank := true
	for _, line := range strings.Split(s, "\n") {
		line = collapseSpaces(line)
		if line == "" {
			if !prevBlank {
				out = append(out, "")
			}
			prevBlank = true
			continue
		}
		out = append(out, line)
		prevBlank = false
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	if len(out) == 0 {
		return ""
	}
	return strings.Join(out, "\n") + "\n"
}

func BenchmarkText(b *testing.B) {
	src, err := testpages.Policy("中国农业银行")
	if err != nil {
		b.Skip(err)
	}
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		Text(src)
	}
}
