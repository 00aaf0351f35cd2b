package web

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"golang.org/x/text/language"

	"github.com/policywatch/policywatch/internal/locale"
)

// page is what every template gets: the language and the visitor's state,
// plus the page's own data.
type page struct {
	Lang     string
	zone     *time.Location
	explicit bool
	Title    string
	Admin    bool   // logged in
	CSRF     string // token for forms
	Flash    string
	Path     string // current path and query, for the language switch
	Data     any
}

// T is the page's message for key (internal/locale's catalogue), formatted
// with args.
func (p *page) T(key string, args ...any) string {
	return locale.NewPrinter(p.Lang).Printf(key, args...)
}

// Tn is T for a message counting n things: the singular form when n is 1
// (locale.Printer.Plural).
func (p *page) Tn(key string, n int, args ...any) string {
	return locale.NewPrinter(p.Lang).Plural(key, n, args...)
}

func (p *page) Time(t time.Time) string { return formatTime(p.Lang, p.zoneOrDefault(), t) }

func (p *page) Date(t time.Time) string { return formatDate(p.Lang, p.zoneOrDefault(), t) }

func (p *page) zoneOrDefault() *time.Location {
	if p.zone == nil {
		return chinaTime
	}
	return p.zone
}

// Link builds a URL that keeps an explicitly chosen language.
func (p *page) Link(path string, kv ...any) string {
	q := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		if v := toString(kv[i+1]); v != "" {
			q.Set(toString(kv[i]), v)
		}
	}
	if p.explicit {
		q.Set("lang", p.Lang)
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// OtherLang is the URL of this page in the other language.
func (p *page) OtherLang() string {
	u, _ := url.Parse(p.Path)
	q := u.Query()
	if p.Lang == "zh" {
		q.Set("lang", "en")
	} else {
		q.Set("lang", "zh")
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// chinaTime is the default display zone: the tool's first users read dates
// in Beijing time, whatever zone the server runs in.
var chinaTime = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}()

// newPage reads the language and the session.
func (s *Server) newPage(w http.ResponseWriter, r *http.Request) *page {
	lang, explicit := negotiate(r)
	if explicit {
		http.SetCookie(w, &http.Cookie{Name: "pw_lang", Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, Secure: s.opt.SecureCookie, SameSite: http.SameSiteLaxMode})
	}
	p := &page{Lang: lang, zone: s.opt.Zone, explicit: explicit, Path: r.URL.RequestURI()}
	if sess := s.auth.session(r); sess != "" {
		p.Admin, p.CSRF = true, s.auth.csrfFor(sess)
	}
	if c, err := r.Cookie(flashCookie); err == nil {
		if msg, err := base64.RawURLEncoding.DecodeString(c.Value); err == nil {
			p.Flash = string(msg)
		}
		http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1})
	}
	return p
}

// Languages the UI speaks; Chinese is the default.
var (
	supported = []language.Tag{language.SimplifiedChinese, language.English}
	matcher   = language.NewMatcher(supported)
)

// negotiate picks the page language: ?lang=, then the pw_lang cookie set
// by an earlier ?lang=, then Accept-Language, then Chinese.
func negotiate(r *http.Request) (lang string, explicit bool) {
	if l := r.URL.Query().Get("lang"); l == "en" || l == "zh" {
		return l, true
	}
	if c, err := r.Cookie("pw_lang"); err == nil && (c.Value == "en" || c.Value == "zh") {
		return c.Value, false
	}
	tags, _, err := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if err == nil && len(tags) > 0 {
		_, idx, conf := matcher.Match(tags...)
		if conf != language.No && idx == 1 {
			return "en", false
		}
	}
	return "zh", false
}

// formatTime renders a time for the page's language in the display zone.
func formatTime(lang string, zone *time.Location, t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(zone).Format(locale.NewPrinter(lang).Print("format.datetime"))
}

// formatDate renders a date for the page's language in the display zone.
func formatDate(lang string, zone *time.Location, t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(zone).Format(locale.NewPrinter(lang).Print("format.date"))
}

// flashCookie carries a one-time message across the redirect after a form.
const flashCookie = "pw_flash"

// redirectWithFlash redirects and shows msg on the next page.
func (s *Server) redirectWithFlash(w http.ResponseWriter, r *http.Request, to, msg string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: base64.RawURLEncoding.EncodeToString([]byte(msg)),
		Path: "/", MaxAge: 60, HttpOnly: true, Secure: s.opt.SecureCookie, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// toString writes a value of a URL's query as Link takes them: a false
// bool is "" (the parameter is left out).
func toString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case bool:
		if x {
			return "1"
		}
		return ""
	case time.Time:
		return x.Format(time.RFC3339)
	}
	return fmt.Sprint(v)
}

func itoa(n int) string { return strconv.Itoa(n) }
