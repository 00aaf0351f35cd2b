package extract

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/policywatch/policywatch/internal/normalize"
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

// TestNormalizedAndReadFile: Normalized gives the Text form of what
// Extract gives otherwise, in every format; ReadFile reads what os.ReadFile
// reads, mapped or not.
func TestNormalizedAndReadFile(t *testing.T) {
	dir := t.TempDir()
	big := strings.Repeat("第一条　我们收集您的信息。  \n\n\n（二）ＡＢＣ \u200b\n", 4000)
	inputs := map[string]string{
		"small.txt": "  一、总则\r\n\r\n\r\n我们　会收集。 \n",
		"big.txt":   big,
		"page.html": "<html><body><main><h1>隐私政策</h1><p>我们会收集您的ＩＤ　号码。</p><ul><li>一</li></ul></main></body></html>",
	}
	for name, src := range inputs {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		body, err := ReadFile(path)
		if err != nil || string(body) != src {
			t.Fatalf("ReadFile(%s): %v, %d bytes of %d", name, err, len(body), len(src))
		}
		plain, err1 := Extract(context.Background(), Input{Body: []byte(src), Name: name})
		norm, err2 := Extract(context.Background(), Input{Body: body, Name: name, Normalized: true, BodyImmutable: true})
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: %v, %v", name, err1, err2)
		}
		if norm.Text != normalize.Text(plain.Text) {
			t.Errorf("%s: Normalized gives %q, want %q", name, norm.Text, normalize.Text(plain.Text))
		}
	}
	if _, err := ReadFile(filepath.Join(dir, "missing.txt")); !os.IsNotExist(err) {
		t.Errorf("missing file: %v", err)
	}
}
