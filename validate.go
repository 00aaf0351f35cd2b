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
		return 0, Errorl(ErrInvalid, "invalid.interval.syntax", v)
	}
	if err := checkInterval(d, strconv.Quote(v)); err != nil {
		return 0, err
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

// checkInterval reports an interval out of bounds; shown is how the user
// wrote it.
func checkInterval(d time.Duration, shown string) error {
	switch {
	case d < MinInterval:
		return Errorl(ErrInvalid, "invalid.interval.short", shown, MinInterval.String())
	case d > MaxInterval:
		return Errorl(ErrInvalid, "invalid.interval.long", shown, int(MaxInterval.Hours()/24))
	}
	return nil
}

// CheckURL reports a URL that cannot be fetched: not http(s), or no host.
func CheckURL(raw string) error {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return Errorl(ErrBadURL, "invalid.url", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return Errorl(ErrBadURL, "invalid.url.scheme", raw)
	}
	if u.Hostname() == "" {
		return Errorl(ErrBadURL, "invalid.url.host", raw)
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
		return Errorl(ErrInvalid, "invalid.selector", sel, err)
	}
	return nil
}

// Validate reports what is wrong with a policy before it is stored: the
// one set of rules the command line, the web form and the API apply.
func (p *Policy) Validate() error {
	switch {
	case strings.TrimSpace(p.Name) == "":
		return Errorl(ErrInvalid, "invalid.policy.name")
	case strings.TrimSpace(p.Platform) == "" && p.PlatformID == 0:
		return Errorl(ErrInvalid, "invalid.policy.platform")
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
	if err := checkInterval(p.Interval, p.Interval.String()); err != nil {
		return err
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
		return Errorl(ErrInvalid, "invalid.capture.early", t.Format(time.DateOnly), earliestCapture.Year())
	case t.After(now.Add(captureLead)):
		return Errorl(ErrInvalid, "invalid.capture.future", t.Format(time.DateOnly))
	}
	return nil
}

// PolicyInput is a policy to check as a person writes it, every field as
// text: the flags of `add`, a row of `add --from`, a service declaration.
// Empty kind, render and every take the defaults.
type PolicyInput struct {
	URL, Name, Platform string
	Kind                string
	Select              string
	Remove              []string
	Render              string
	Every               string
}

// Policy reads the input into a new policy and holds it to Validate.
func (in PolicyInput) Policy() (*Policy, error) {
	p := &Policy{
		URL: strings.TrimSpace(in.URL), Name: strings.TrimSpace(in.Name), Platform: strings.TrimSpace(in.Platform),
		Select: strings.TrimSpace(in.Select), Interval: DefaultInterval,
	}
	if p.URL == "" {
		return nil, Errorl(ErrBadURL, "invalid.url.missing")
	}
	for _, sel := range in.Remove {
		if sel = strings.TrimSpace(sel); sel != "" {
			p.Remove = append(p.Remove, sel)
		}
	}
	var err error
	if p.Kind, err = ParseKind(in.Kind); err != nil {
		return nil, err
	}
	if p.Render, err = ParseRenderMode(strings.TrimSpace(in.Render)); err != nil {
		return nil, err
	}
	if strings.TrimSpace(in.Every) != "" {
		if p.Interval, err = ParseInterval(in.Every); err != nil {
			return nil, err
		}
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}
