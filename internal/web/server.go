// Package web serves the policywatch UI and JSON API: server-rendered
// html/template pages in Chinese and English, a little JavaScript, every
// asset embedded. Reading is public unless configured otherwise; writing
// needs the admin token (Bearer for the API, a login session with CSRF
// tokens for the UI).
//
// Where things are: routes.go lists every route; middleware.go wraps
// them (security headers, login and token checks, the failure limit, a
// page handler's error answered by the error page), logging.go logs
// failures (quietly when the client has gone), auth.go keeps sessions and
// CSRF tokens, ratelimit.go counts wrong tokens; page.go is what every
// page gets (language, time zone, flash messages); render.go parses and
// executes the templates and answers errors; paths.go reads the ids a
// path names; cache.go keeps diffs; facts.go reads the facts stored with
// each version, paging.go cuts lists into pages. Each handler is in a
// file named by what it serves (home.go, compare.go, policy_form.go,
// api_policies.go …); diffview.go and diffhtml.go lay out and write the
// diff table, timeline.go the policy page's timeline.
package web

import (
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/analyze"
	"github.com/policywatch/policywatch/internal/notify"
	"github.com/policywatch/policywatch/internal/textdiff"
	"github.com/policywatch/policywatch/internal/track"
)

// Options configure a Server.
type Options struct {
	AdminToken   string // required for writes; see RandomToken
	RequireLogin bool   // reading needs a session or token too
	SecureCookie bool   // serve cookies with the Secure flag (behind HTTPS)
	Logger       *slog.Logger
	// Checker runs "check now" from the UI and API; nil disables it.
	Checker *track.Checker
	// Zone is the time zone dates are shown in; default Asia/Shanghai.
	Zone *time.Location
	// Analyzer writes reports asked for from the UI and API; default the
	// built-in analysis. When it is a model, admins may ask for its report.
	Analyzer analyze.Analyzer
	// BaseURL is where users reach the server (for links in feeds); by
	// default the scheme and host of each request.
	BaseURL string
	// Senders check the destinations of subscriptions added from the UI
	// (the SMTP server e-mail needs), as `subscribe` does.
	Senders notify.Options
}

// Server is the web application.
type Server struct {
	store   policywatch.Store
	opt     Options
	auth    *auth
	pages   map[string]*template.Template
	handler http.Handler
	diffs   *memo[pairKey, textdiff.Result]
	log     *slog.Logger
}

// New builds the server and its routes.
func New(store policywatch.Store, opt Options) (*Server, error) {
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.Zone == nil {
		opt.Zone = chinaTime
	}
	s := &Server{store: store, opt: opt, auth: newAuth(opt.AdminToken, opt.SecureCookie),
		diffs: newMemo[pairKey, textdiff.Result](256),
		log:   slog.New(quietDisconnects{opt.Logger.Handler()})}
	var err error
	if s.pages, err = parseTemplates(); err != nil {
		return nil, err
	}
	s.handler = s.routes()
	return s, nil
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }
