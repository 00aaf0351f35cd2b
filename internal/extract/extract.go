// Package extract reduces fetched documents (HTML, PDF, plain text and
// Markdown) to clean structured text: headings, paragraphs, list items and
// table rows, one block per line, in the readable form of package normalize.
package extract

import (
	"bytes"
	"context"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/normalize"
)

// Version identifies the extraction rules. Bump it when a change to this
// package would turn the same bytes into different text, so versions can say
// which rules produced them.
const Version = "1"

// Format is the kind of document extracted.
type Format string

const (
	FormatHTML Format = "html"
	FormatPDF  Format = "pdf"
	FormatText Format = "text" // plain text and Markdown
)

// Input is a document to extract.
type Input struct {
	Body        []byte
	ContentType string   // from the HTTP response, may be empty
	Name        string   // URL or file name; its extension helps detection
	URL         string   // page URL, for resolving relative references
	Select      string   // CSS selector of the content (HTML only)
	Remove      []string // CSS selectors of parts to drop (HTML only)

	// Normalized asks for the text in normalize.Text form rather than
	// normalize.Clean form: the form a comparison reads, made in one pass
	// instead of two (Text of Clean is Text).
	Normalized bool

	// BodyImmutable promises that Body is never changed after the call,
	// so the text may share its memory instead of being a copy (a file
	// read for one comparison, say: on a megabyte of text the copy costs
	// more than the reading).
	BodyImmutable bool
}

// Result is extracted text and what was noticed on the way.
type Result struct {
	Text    string // readable structured text (normalize.Clean form; normalize.Text form if Input.Normalized)
	Format  Format
	Title   string       // the HTML <title>, if any
	Charset string       // encoding the bytes were decoded from
	Shell   ShellSignals // hints that the page is filled in by script
}

// ShellSignals are the marks of a page whose text is written by script: a
// plain HTTP fetch of such a page sees an empty frame.
type ShellSignals struct {
	Scripts         int  // <script> elements
	AppRoot         bool // a mount point such as <div id="app"> or <div id="root">
	NoScriptWarning bool // a <noscript> asking to enable JavaScript
	Challenge       int  // captcha or anti-bot widgets and scripts (reCAPTCHA, GeeTest, slide-to-verify …)
}

// Scripted reports whether the page relies on script at all.
func (s ShellSignals) Scripted() bool { return s.Scripts > 0 || s.AppRoot || s.NoScriptWarning }

// shellMaxRunes is how much text a script-rendered shell may have: the
// leftovers of a title, a loading message and a footer.
const shellMaxRunes = 600

// LooksScriptRendered reports whether an HTML result is probably an empty
// shell that a browser would fill in.
func (r Result) LooksScriptRendered() bool {
	return r.Format == FormatHTML && r.Shell.Scripted() && runeCount(normalize.Key(r.Text)) < shellMaxRunes
}

// Extract reduces a document to structured text.
func Extract(ctx context.Context, in Input) (Result, error) {
	res, err := extractFormat(ctx, in)
	if err == nil && in.Normalized && res.Format != FormatText {
		res.Text = normalize.Text(res.Text)
	}
	return res, err
}

func extractFormat(ctx context.Context, in Input) (Result, error) {
	format := DetectFormat(in.ContentType, in.Name, in.Body)
	if format == FormatHTML || format == FormatText {
		// Called a page or text, and yet an image, an archive or noise.
		if kind := binaryKind(in.Body); kind != "" {
			return Result{}, policywatch.Errorf(policywatch.ErrUnreadable, "the content is %s, not a page", kind)
		}
	}
	switch format {
	case FormatPDF:
		res, err := extractPDF(ctx, in.Body)
		if err == nil {
			err = checkReadable("PDF's text", res.Text)
		}
		return res, err
	case FormatHTML:
		src, enc := decode(in.Body, in.ContentType, in.BodyImmutable)
		if err := checkReadable("page", src); err != nil {
			return Result{}, err
		}
		res, err := extractHTML(src, in)
		res.Charset = enc
		return res, err
	case FormatText:
		src, enc := decode(in.Body, in.ContentType, in.BodyImmutable)
		if err := checkReadable("text", src); err != nil {
			return Result{}, err
		}
		if in.Normalized {
			return Result{Text: normalize.Text(src), Format: FormatText, Charset: enc}, nil
		}
		return Result{Text: normalize.Clean(src), Format: FormatText, Charset: enc}, nil
	}
	return Result{}, policywatch.Errorf(policywatch.ErrUnsupported,
		"cannot read content of type %q: want HTML, PDF, plain text or Markdown", mediaType(in.ContentType, in.Body))
}

// DetectFormat decides how to read a document from its declared type, its
// name and its first bytes. It returns "" for content it cannot read.
func DetectFormat(contentType, name string, body []byte) Format {
	head := bytes.TrimLeft(body[:min(len(body), 1024)], " \t\r\n\uFEFF")
	if bytes.HasPrefix(head, []byte("%PDF-")) {
		return FormatPDF
	}
	switch mt := mediaType(contentType, nil); {
	case mt == "application/pdf":
		return FormatPDF
	case mt == "text/html", mt == "application/xhtml+xml":
		return FormatHTML
	case mt == "text/plain", mt == "text/markdown", mt == "text/x-markdown":
		if looksLikeHTML(head) {
			return FormatHTML // servers mislabel HTML as text/plain often enough
		}
		return FormatText
	}
	switch strings.ToLower(path.Ext(stripQuery(name))) {
	case ".pdf":
		return FormatPDF
	case ".html", ".htm", ".xhtml", ".shtml":
		return FormatHTML
	case ".txt", ".md", ".markdown", ".text":
		return FormatText
	}
	if looksLikeHTML(head) {
		return FormatHTML
	}
	sniffed := http.DetectContentType(body)
	switch {
	case strings.HasPrefix(sniffed, "text/html"):
		return FormatHTML
	case strings.HasPrefix(sniffed, "text/"):
		return FormatText
	case sniffed == "application/octet-stream" && !bytes.ContainsRune(head, 0):
		return FormatText // legacy-encoded text (GBK, Big5) sniffs as binary
	}
	return ""
}

func looksLikeHTML(head []byte) bool {
	lower := bytes.ToLower(head[:min(len(head), 512)])
	for _, tag := range []string{"<!doctype html", "<html", "<head", "<body", "<meta", "<div", "<p>", "<title"} {
		if bytes.Contains(lower, []byte(tag)) {
			return true
		}
	}
	return false
}

func mediaType(contentType string, body []byte) string {
	if mt, _, err := mime.ParseMediaType(contentType); err == nil {
		return strings.ToLower(mt)
	}
	if body != nil {
		return http.DetectContentType(body)
	}
	return ""
}

func stripQuery(name string) string {
	if i := strings.IndexAny(name, "?#"); i >= 0 {
		return name[:i]
	}
	return name
}
