package policywatch

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/andybalholm/cascadia"
)

// The bounds of a policy's check interval: checking more often than once a
// minute is hammering a site; less than once a year is not watching.
const (
	MinInterval = time.Minute
	MaxInterval = 366 * 24 * time.Hour
)

// ParseInterval reads a check interval: a Go duration ("24h", "30m",
// "1h30m") or days ("7d", "1d12h"). It must lie between MinInterval and
// MaxInterval; "" is an error (callers decide what a missing value means).
func ParseInterval(v string) (time.Duration, error) {
	v = strings.TrimSpace(v)
	d, ok := parseDays(v)
	if !ok {
		return 0, Errorf(ErrInvalid, "check interval %q: want e.g. 24h, 30m or 7d", v)
	}
	if err := checkInterval(d); err != nil {
		return 0, Errorf(ErrInvalid, "check interval %q: %v", v, err)
	}
	return d, nil
}

func parseDays(v string) (time.Duration, bool) {
	var days time.Duration
	if i := strings.IndexByte(v, 'd'); i > 0 {
		n, err := strconv.Atoi(v[:i])
		if err != nil || n < 0 {
			return 0, false
		}
		days, v = time.Duration(n)*24*time.Hour, v[i+1:]
		if v == "" {
			return days, true
		}
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, false
	}
	return days + d, true
}

func checkInterval(d time.Duration) error {
	switch {
	case d < MinInterval:
		return Errorf(ErrInvalid, "at least %v between checks", MinInterval)
	case d > MaxInterval:
		return Errorf(ErrInvalid, "at most %d days between checks", int(MaxInterval.Hours()/24))
	}
	return nil
}

// CheckURL reports a URL that cannot be fetched: not http(s), or no host.
func CheckURL(raw string) error {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return Errorf(ErrBadURL, "invalid URL %q: %v", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return Errorf(ErrBadURL, "invalid URL %q: only http and https are fetched", raw)
	}
	if u.Hostname() == "" {
		return Errorf(ErrBadURL, "invalid URL %q: no host", raw)
	}
	return nil
}

// CheckSelector reports a CSS selector that does not parse: a policy whose
// every check would then fail is refused when it is set.
func CheckSelector(sel string) error {
	if strings.TrimSpace(sel) == "" {
		return nil
	}
	if _, err := cascadia.ParseGroup(sel); err != nil {
		return Errorf(ErrInvalid, "CSS selector %q does not parse: %v", sel, err)
	}
	return nil
}

// Validate reports what is wrong with a policy before it is stored: the
// one set of rules the command line, the web form and the API apply.
func (p *Policy) Validate() error {
	switch {
	case strings.TrimSpace(p.Name) == "":
		return Errorf(ErrInvalid, "a policy needs a name")
	case strings.TrimSpace(p.Platform) == "" && p.PlatformID == 0:
		return Errorf(ErrInvalid, "a policy needs a platform")
	}
	if p.URL != "" {
		if err := CheckURL(p.URL); err != nil {
			return err
		}
	}
	if _, err := ParseKind(string(p.Kind)); err != nil {
		return err
	}
	if _, err := ParseRenderMode(string(p.Render)); err != nil {
		return err
	}
	if err := checkInterval(p.Interval); err != nil {
		return Errorf(ErrInvalid, "check interval %v: %v", p.Interval, err)
	}
	for _, sel := range append([]string{p.Select}, p.Remove...) {
		if err := CheckSelector(sel); err != nil {
			return err
		}
	}
	return nil
}

// Earliest and the allowed lead of a capture time: a version captured
// before the web or in the future would stand for ever as the newest or
// oldest one and every check would compare with it.
var earliestCapture = time.Date(1995, 1, 1, 0, 0, 0, 0, time.UTC)

const captureLead = 24 * time.Hour

// CheckCapturedAt reports a capture time that cannot be real: before 1995
// or more than a day after now.
func CheckCapturedAt(t, now time.Time) error {
	switch {
	case t.Before(earliestCapture):
		return Errorf(ErrInvalid, "capture time %s is before %d: not a real capture", t.Format(time.DateOnly), earliestCapture.Year())
	case t.After(now.Add(captureLead)):
		return Errorf(ErrInvalid, "capture time %s is in the future", t.Format(time.DateOnly))
	}
	return nil
}
