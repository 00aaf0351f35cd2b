package policywatch

import (
	"errors"
	"fmt"

	"github.com/policywatch/policywatch/internal/locale"
)

// ErrorClass names why a check failed, so that lists and alerts can group
// failures without parsing messages.
type ErrorClass string

const (
	ErrNetwork       ErrorClass = "network"        // DNS, connection refused or reset
	ErrTimeout       ErrorClass = "timeout"        // connect or total timeout
	ErrHTTPStatus    ErrorClass = "http_status"    // 4xx or 5xx
	ErrRateLimited   ErrorClass = "rate_limited"   // 429 that did not clear in time
	ErrTooLarge      ErrorClass = "too_large"      // body over the cap
	ErrTruncated     ErrorClass = "truncated"      // body shorter than announced
	ErrRedirects     ErrorClass = "redirects"      // redirect loop or too many hops
	ErrBlocked       ErrorClass = "blocked"        // SSRF guard refused the address
	ErrBadURL        ErrorClass = "bad_url"        // not an http(s) URL
	ErrBotWall       ErrorClass = "bot_wall"       // captcha or anti-bot interstitial
	ErrEmpty         ErrorClass = "empty"          // too little text to be a policy
	ErrSuspicious    ErrorClass = "suspicious"     // text shrank sharply; held for confirmation
	ErrRender        ErrorClass = "render"         // headless browser failed or is missing
	ErrExtract       ErrorClass = "extract"        // content could not be turned into text
	ErrUnreadable    ErrorClass = "unreadable"     // binary or garbled bytes: an image, an archive, noise, not text
	ErrUnsupported   ErrorClass = "unsupported"    // content type we cannot read
	ErrNotFound      ErrorClass = "not_found"      // no such policy or version
	ErrInvalid       ErrorClass = "invalid"        // bad input from the user
	ErrInternal      ErrorClass = "internal"       // a bug or a storage failure
	ErrNotCheckable  ErrorClass = "not_checkable"  // imported-only policy without URL
	ErrAlreadyExists ErrorClass = "already_exists" // e.g. the URL is tracked already
)

// Label says in lang ("zh" or "en") what a failure of this class means,
// for a reader of the web UI: the catalogue's errclass.* text, or the
// class's name when the catalogue has none.
func (c ErrorClass) Label(lang string) string {
	key := "errclass." + string(c)
	p := locale.NewPrinter(lang)
	if !p.Has(key) {
		return string(c)
	}
	return p.Print(key)
}

// Error is an error with a class. Message is written for the person reading
// `policywatch list`: it says what happened in one line.
type Error struct {
	Class   ErrorClass
	Message string
	Err     error // the underlying cause, if any
	// Key and Args, when set, name Message in the catalogue
	// (internal/locale), so that a page can say it in the reader's language.
	Key  string
	Args []any
}

func (e *Error) Error() string {
	if e.Message != "" {
		return e.Message
	}
	if e.Err != nil {
		return e.Err.Error()
	}
	return string(e.Class)
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds a classed error.
func Errorf(class ErrorClass, format string, args ...any) *Error {
	err := fmt.Errorf(format, args...)
	return &Error{Class: class, Message: err.Error(), Err: errors.Unwrap(err)}
}

// Errorl builds a classed error whose message is the catalogue's text for
// key: Message is the English one, Localize gives it in other languages.
func Errorl(class ErrorClass, key string, args ...any) *Error {
	e := &Error{Class: class, Key: key, Args: args, Message: locale.NewPrinter("en").Printf(key, args...)}
	for _, a := range args {
		if err, ok := a.(error); ok {
			e.Err = err
		}
	}
	return e
}

// Localize is err's message in lang: the catalogue's text when err has
// one, its message as it is otherwise.
func Localize(err error, lang string) string {
	var e *Error
	if errors.As(err, &e) && e.Key != "" {
		return locale.NewPrinter(lang).Printf(e.Key, e.Args...)
	}
	return err.Error()
}

// ClassOf returns the class of err, or ErrInternal for unclassed errors.
func ClassOf(err error) ErrorClass {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Class
	}
	return ErrInternal
}

// IsClass reports whether err has the given class.
func IsClass(err error, class ErrorClass) bool {
	var e *Error
	return errors.As(err, &e) && e.Class == class
}
