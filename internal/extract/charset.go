package extract

import (
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/gogs/chardet"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Decode converts body to UTF-8. The encoding comes from a byte-order mark,
// the Content-Type header, or an HTML <meta> declaration; when none is given,
// or the declared one is evidently wrong (a page labelled UTF-8 that is not,
// or labelled Latin-1 that holds Chinese), it is detected from the bytes.
// The name of the encoding used is returned.
func Decode(body []byte, contentType string) (string, string) {
	return decode(body, contentType, false)
}

// decode is Decode; with share set, UTF-8 text is body's own memory
// rather than a copy (body must then never change).
func decode(body []byte, contentType string, share bool) (string, string) {
	asString := func() string {
		if share && len(body) > 0 {
			return unsafe.String(unsafe.SliceData(body), len(body))
		}
		return string(body)
	}
	enc, name, certain := charset.DetermineEncoding(body, contentType)
	declared := certain || name != "windows-1252" // prescan found a <meta>
	if !declared {
		if utf8.Valid(body) {
			return asString(), "utf-8"
		}
		return sniff(body)
	}
	switch {
	case name == "utf-8":
		if utf8.Valid(body) {
			return asString(), "utf-8"
		}
		if invalidUTF8Share(body) > 0.01 {
			return sniff(body)
		}
	case isLatinLabel(name) && hasHighBytes(body):
		if utf8.Valid(body) {
			return asString(), "utf-8"
		}
		if text, found := sniff(body); found != "windows-1252" {
			return text, found
		}
	}
	return decodeWith(enc, body), name
}

// sniff detects the encoding of undeclared non-UTF-8 bytes. Chinese pages are
// the common case, so GB18030 (a superset of GBK and GB2312) is the fallback.
func sniff(body []byte) (string, string) {
	sample := body
	if len(sample) > 64<<10 {
		sample = sample[:64<<10]
	}
	if results, err := chardet.NewHtmlDetector().DetectAll(sample); err == nil {
		for _, r := range results {
			if r.Confidence < 30 {
				break
			}
			if enc, err := htmlindex.Get(r.Charset); err == nil && acceptable(r.Charset) {
				name, _ := htmlindex.Name(enc)
				return decodeWith(enc, body), name
			}
		}
	}
	return decodeWith(simplifiedchinese.GB18030, body), "gb18030"
}

// acceptable lists what detection may answer: the legacy encodings Chinese,
// Japanese, Korean and Western pages actually use. Rarer guesses on short or
// mixed input are usually wrong.
func acceptable(name string) bool {
	switch strings.ToLower(name) {
	case "gb18030", "gbk", "gb2312", "big5", "shift_jis", "euc-jp", "euc-kr",
		"iso-8859-1", "windows-1252", "utf-16le", "utf-16be":
		return true
	}
	return false
}

func decodeWith(enc encoding.Encoding, body []byte) string {
	if enc == nil || enc == encoding.Nop {
		return strings.ToValidUTF8(string(body), "\uFFFD")
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return strings.ToValidUTF8(string(body), "\uFFFD")
	}
	return string(out)
}

func isLatinLabel(name string) bool {
	switch name {
	case "windows-1252", "iso-8859-1", "iso-8859-15", "us-ascii":
		return true
	}
	return false
}

func hasHighBytes(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

// invalidUTF8Share is the fraction of bytes that are not part of valid UTF-8.
func invalidUTF8Share(b []byte) float64 {
	if len(b) == 0 {
		return 0
	}
	bad := 0
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			bad++
			i++
			continue
		}
		i += size
	}
	return float64(bad) / float64(len(b))
}
