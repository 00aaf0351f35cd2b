package web

import (
	"net/http"
	"time"

	"golang.org/x/text/language"

	"github.com/policywatch/policywatch/internal/locale"
)

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
