package extract

import (
	"bytes"
	"unicode"
	"unicode/utf8"

	"github.com/policywatch/policywatch"
)

// binaryMagic are the first bytes of content that is no text whatever a
// server calls it: images, archives, compressed bodies sent without their
// Content-Encoding, fonts, media, executables.
var binaryMagic = []struct {
	prefix []byte
	kind   string
}{
	{[]byte("\x89PNG\r\n\x1a\n"), "a PNG image"},
	{[]byte("\xff\xd8\xff"), "a JPEG image"},
	{[]byte("GIF87a"), "a GIF image"},
	{[]byte("GIF89a"), "a GIF image"},
	{[]byte("RIFF"), "RIFF media (WebP, WAV or AVI)"},
	{[]byte("BM"), ""}, // too short to tell alone; see binaryKind
	{[]byte("\x1f\x8b"), "gzip-compressed data (sent without Content-Encoding)"},
	{[]byte("\x28\xb5\x2f\xfd"), "zstd-compressed data (sent without Content-Encoding)"},
	{[]byte("BZh"), ""},
	{[]byte("PK\x03\x04"), "a ZIP archive (or an Office document)"},
	{[]byte("\x7fELF"), "an executable"},
	{[]byte("MZ"), ""},
	{[]byte("wOFF"), "a web font"},
	{[]byte("wOF2"), "a web font"},
	{[]byte("\x00\x00\x01\x00"), "an icon"},
	{[]byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), "an old Office document"},
	{[]byte("7z\xbc\xaf\x27\x1c"), "a 7-Zip archive"},
	{[]byte("Rar!\x1a\x07"), "a RAR archive"},
	{[]byte("\x00\x00\x00"), ""},
}

// binaryKind names the kind of binary content a body is ("" for content
// that may be text). Prefixes too short to tell alone count only with a
// NUL byte near the start.
func binaryKind(body []byte) string {
	head := body[:min(len(body), 512)]
	hasNUL := bytes.IndexByte(head, 0) >= 0
	for _, m := range binaryMagic {
		if !bytes.HasPrefix(body, m.prefix) {
			continue
		}
		if m.kind != "" {
			return m.kind
		}
		if hasNUL {
			return "binary data"
		}
	}
	if hasNUL && !utf16Text(head) {
		return "binary data"
	}
	return ""
}

// utf16Text reports a UTF-16 byte-order mark: text with NUL bytes in it.
func utf16Text(head []byte) bool {
	return bytes.HasPrefix(head, []byte("\xff\xfe")) || bytes.HasPrefix(head, []byte("\xfe\xff"))
}

// unreadableShare is the share of a text's characters that may be control
// characters or replacement characters before it counts as garbled:
// decoded noise has them in one of every few characters, a real page in
// none (PDF text keeps form feeds between pages, which count for nothing).
const unreadableShare = 0.02

// charCounts counts a text's characters other than whitespace, those of
// them that are control, private-use or replacement characters, and those
// that are accented Latin-1 letters.
func charCounts(text string) (total, bad, latin1 int) {
	for i := 0; i < len(text); {
		c := text[i]
		if c >= 0xE3 && c <= 0xEC && i+2 < len(text) && text[i+1]&0xC0 == 0x80 && text[i+2]&0xC0 == 0x80 {
			// U+3000–U+CFFF, most of a Chinese text: neither bad nor Latin-1.
			total++
			i += 3
			continue
		}
		r, size := rune(c), 1
		if c >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:]) // as range reads it: an invalid byte is U+FFFD
		}
		i += size
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

// garbled reports text that is mostly noise: control characters,
// replacement characters for bytes that did not decode, or text decoded in
// the wrong encoding (UTF-8 read as Latin-1 turns every Chinese character
// into two or three accented letters).
func garbled(text string) (string, bool) {
	total, bad, latin1 := charCounts(text)
	switch {
	case total == 0:
		return "", false
	case bad > 10 && float64(bad) > unreadableShare*float64(total):
		return "control or undecodable characters", true
	case latin1 > 50 && float64(latin1) > 0.25*float64(total) && !mostlyLatin(text):
		return "text decoded in the wrong encoding", true
	}
	return "", false
}

// mostlyLatin reports a text in a Latin-script language with accents
// (French, German …), where accented letters are words, not mojibake:
// most of its letters are plain ASCII ones.
func mostlyLatin(text string) bool {
	ascii, letters := 0, 0
	for _, r := range text {
		if unicode.IsLetter(r) {
			letters++
			if r < 0x80 {
				ascii++
			}
		}
	}
	return letters > 0 && float64(ascii) > 0.6*float64(letters)
}

// checkReadable refuses binary content and garbled text with a reason.
func checkReadable(what, text string) error {
	if why, bad := garbled(text); bad {
		return policywatch.Errorf(policywatch.ErrUnreadable, "the %s is not readable text (%s): binary or garbled data, not a policy", what, why)
	}
	return nil
}
