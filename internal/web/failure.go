package web

import (
	"regexp"
	"strconv"

	"github.com/policywatch/policywatch"
)

// checkFailure is a failed check as a page shows it: what its class means
// in the reader's language (the stored message is English, written for
// `policywatch list`), and that message behind it for whoever wants the
// technical detail.
type checkFailure struct {
	Summary string
	Detail  string
}

// httpStatusInMessage finds the status code a message of class
// http_status names ("HTTP 404 Not Found", "HTTP 403 (in the browser)").
var httpStatusInMessage = regexp.MustCompile(`\bHTTP ([1-5]\d\d)\b`)

// Failure describes a failed check of the given class and stored message;
// status is the HTTP status when known (0 otherwise).
func (p *page) Failure(class policywatch.ErrorClass, message string, status int) checkFailure {
	f := checkFailure{Summary: class.Label(p.Lang), Detail: message}
	if class == policywatch.ErrHTTPStatus {
		if status == 0 {
			if m := httpStatusInMessage.FindStringSubmatch(message); m != nil {
				status, _ = strconv.Atoi(m[1])
			}
		}
		if status >= 400 {
			f.Summary = p.T("errclass.http_status.code", status)
		}
	}
	if class == "" {
		f.Summary = policywatch.ErrInternal.Label(p.Lang)
	}
	return f
}

// shownStatus is the status a page shows for a policy of status and the
// error class of its last check ("" when it succeeded): an active policy
// whose last check failed says so (it turns failing only after several
// failures in a row), so that no page reads 正常 for a policy whose last
// check failed, or beside its error.
func shownStatus(status policywatch.Status, lastErrorClass policywatch.ErrorClass) string {
	if status == policywatch.StatusActive && lastErrorClass != "" {
		return "lastfailed"
	}
	return string(status)
}
