package web

import (
	"net/http"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/locale"
)

// errorReply is how the server answers an error of one class.
type errorReply struct {
	status int
	key    string // the message a page shows, in internal/locale's catalogue
	detail bool   // key has a %s for the error's own message (in the reader's language)
}

// errorReplies is the one table from the root package's error classes
// (policywatch.ClassOf) to HTTP statuses: pages (fail), forms (showFormAgain)
// and the API (serveAPI) all answer by it. A class not listed is the
// server's failure: internalError, logged, its message kept from the client.
var errorReplies = map[policywatch.ErrorClass]errorReply{
	policywatch.ErrNotFound:      {http.StatusNotFound, "error.notfound", false},
	policywatch.ErrInvalid:       {http.StatusBadRequest, "error.badrequest", true},
	policywatch.ErrBadURL:        {http.StatusBadRequest, "error.badrequest", true},
	policywatch.ErrAlreadyExists: {http.StatusConflict, "error.conflict", true},
	policywatch.ErrUnsupported:   {http.StatusServiceUnavailable, "error.unavailable", true},
}

var internalError = errorReply{http.StatusInternalServerError, "error.internal", false}

// replyTo finds err's reply in the table.
func replyTo(err error) errorReply {
	if reply, ok := errorReplies[policywatch.ClassOf(err)]; ok {
		return reply
	}
	return internalError
}

// message is what a page says about err.
func (e errorReply) message(p *page, err error) string {
	if e.detail {
		return p.T(e.key, policywatch.Localize(err, p.Lang))
	}
	return p.T(e.key)
}

// userError reports whether the reply blames the request, not the server:
// a form is shown again with the reason.
func (e errorReply) userError() bool {
	return e.status == http.StatusBadRequest || e.status == http.StatusConflict
}

// showFormAgain answers a form's err: when the input is at fault, show
// renders the form again with the reason and the status of err's class;
// any other error is returned, to be answered as on every page.
func showFormAgain(p *page, err error, show func(status int, reason string) error) error {
	reply := replyTo(err)
	if !reply.userError() {
		return err
	}
	return show(reply.status, reply.message(p, err))
}

// statusTitles name the error pages' statuses in the catalogue.
var statusTitles = map[int]string{
	http.StatusBadRequest:          "error.title.badrequest",
	http.StatusForbidden:           "error.title.forbidden",
	http.StatusNotFound:            "error.title.notfound",
	http.StatusConflict:            "error.title.conflict",
	http.StatusTooManyRequests:     "error.title.toomany",
	http.StatusInternalServerError: "error.title.internal",
	http.StatusServiceUnavailable:  "error.title.unavailable",
}

// statusTitle is the error page's heading: the status in the page's
// language.
func statusTitle(p *page, status int) string {
	if key, ok := statusTitles[status]; ok && locale.NewPrinter(p.Lang).Has(key) {
		return p.T(key)
	}
	return http.StatusText(status)
}

// errNoChecker answers "check now" on a server without a checker.
func errNoChecker() error {
	return policywatch.Errorl(policywatch.ErrUnsupported, "error.nochecker")
}
