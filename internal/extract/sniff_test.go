package extract

import (
	"testing"
	"unicode/utf8"

	"github.com/policywatch/policywatch/internal/testpages"
)

// TestCharCountsFastPath: counting by bytes gives what reading rune by rune
// gives, on valid and invalid text alike.
func TestCharCountsFastPath(t *testing.T) {
	slow := func(text string) (total, bad, latin1 int) {
		for _, r := range text {
			switch {
			case r == '\n' || r == '\r' || r == '\t' || r == '\f' || r == ' ':
				continue
			case r == utf8.RuneError, r < 0x20, r >= 0x7f && r < 0xa0, r >= 0xe000 && r < 0xf900, r == 0xfffe:
				bad++
			case r >= 0xc0 && r <= 0xff:
				latin1++
			}
			total++
		}
		return total, bad, latin1
	}
	texts := []string{"", "abc\x01\x7f", "中文，文本。\n", "\xe4\xb8", "\xe3\x80\x80\xec\xbf\xbf\xed\x9f\xbf\xed\xa0\x80",
		"\xee\x80\x80\uf8ff\ufffe\ufffd", "Ã©Ã¨", "\xc3", "\xe5\xff\x80", "\xf0\x9f\x98\x80x", "\xe0\x80\x80"}
	for r := rune(0); r < 0x10000; r += 3 {
		texts = append(texts, string(r)+"\xe5\x85\xb3")
	}
	if src, err := testpages.Policy("QQ"); err == nil {
		texts = append(texts, src, src[1:], src[:len(src)-1])
	}
	for _, text := range texts {
		t1, b1, l1 := charCounts(text)
		t2, b2, l2 := slow(text)
		if t1 != t2 || b1 != b2 || l1 != l2 {
			t.Fatalf("charCounts(%.40q) = %d, %d, %d; rune by rune %d, %d, %d", text, t1, b1, l1, t2, b2, l2)
		}
	}
}
