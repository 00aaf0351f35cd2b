// Package web serves the policywatch UI and JSON API: server-rendered
// html/template pages in Chinese and English, a little JavaScript, every
// asset embedded. Reading is public unless configured otherwise; writing
// needs the admin token (Bearer for the API, a login session with CSRF
// tokens for the UI).
package web

import (
	"bytes"
	"embed"
	"encoding/base64"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/analyze"
	"github.com/policywatch/policywatch/internal/facts"
	"github.com/policywatch/policywatch/internal/locale"
	"github.com/policywatch/policywatch/internal/textdiff"
	"github.com/policywatch/policywatch/internal/track"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

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
}

// Server is the web application.
type Server struct {
	store   policywatch.Store
	opt     Options
	auth    *auth
	pages   map[string]*template.Template
	handler http.Handler
	diffs   *memo[pairKey, textdiff.Result]
	facts   *memo[int64, []facts.Fact] // by version
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
		diffs: newMemo[pairKey, textdiff.Result](256), facts: newMemo[int64, []facts.Fact](1024),
		log: slog.New(quietDisconnects{opt.Logger.Handler()})}
	var err error
	if s.pages, err = parseTemplates(); err != nil {
		return nil, err
	}
	s.handler = s.routes()
	return s, nil
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(staticFS, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", cacheFor(24*time.Hour, http.FileServerFS(filesOnly{static}))))
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/static/favicon.svg", http.StatusMovedPermanently)
	})
	mux.HandleFunc("GET /healthz", s.health)
	mux.Handle("GET /metrics", s.metricsHandler())

	mux.HandleFunc("GET /{$}", s.read(s.home))
	mux.HandleFunc("GET /policies/{id}", s.read(s.policyPage))
	mux.HandleFunc("GET /compare", s.read(s.comparePage))
	mux.HandleFunc("GET /compare.patch", s.read(s.comparePatch))
	mux.HandleFunc("GET /versions/{id}", s.read(s.versionPage))

	mux.HandleFunc("GET /login", s.loginForm)
	mux.HandleFunc("POST /login", s.login)
	mux.HandleFunc("POST /logout", s.write(s.logout))
	mux.HandleFunc("GET /policies/new", s.admin(s.newPolicyForm))
	mux.HandleFunc("POST /policies", s.write(s.createPolicy))
	mux.HandleFunc("GET /policies/{id}/edit", s.admin(s.editPolicyForm))
	mux.HandleFunc("POST /policies/{id}/edit", s.write(s.updatePolicy))
	mux.HandleFunc("POST /policies/{id}/pause", s.write(s.pausePolicy(true)))
	mux.HandleFunc("POST /policies/{id}/resume", s.write(s.pausePolicy(false)))
	mux.HandleFunc("POST /policies/{id}/check", s.write(s.checkPolicy))
	mux.HandleFunc("POST /compare/analyze", s.write(s.reanalyze))
	mux.HandleFunc("GET /policies/{id}/profile", s.read(s.profilePage))
	mux.HandleFunc("GET /matrix", s.read(s.matrixPage))
	mux.HandleFunc("GET /feed.atom", s.read(s.feedAll))
	mux.HandleFunc("GET /platforms/{name}/feed.atom", s.read(s.feedPlatform))
	mux.HandleFunc("GET /policies/{id}/feed.atom", s.read(s.feedPolicy))

	mux.HandleFunc("GET /api/v1/policies", s.apiRead(s.apiPolicies))
	mux.HandleFunc("GET /api/v1/policies/{id}", s.apiRead(s.apiPolicy))
	mux.HandleFunc("GET /api/v1/policies/{id}/versions", s.apiRead(s.apiVersions))
	mux.HandleFunc("GET /api/v1/versions/{id}", s.apiRead(s.apiVersion))
	mux.HandleFunc("GET /api/v1/compare", s.apiRead(s.apiCompare))
	mux.HandleFunc("POST /api/v1/policies", s.apiWrite(s.apiCreatePolicy))
	mux.HandleFunc("PATCH /api/v1/policies/{id}", s.apiWrite(s.apiUpdatePolicy))
	mux.HandleFunc("POST /api/v1/policies/{id}/check", s.apiWrite(s.apiCheckPolicy))
	mux.HandleFunc("POST /api/v1/analyze", s.apiWrite(s.apiAnalyze))
	mux.HandleFunc("GET /api/v1/policies/{id}/profile", s.apiRead(s.apiProfile))
	mux.HandleFunc("GET /api/v1/matrix", s.apiRead(s.apiMatrix))

	mux.HandleFunc("/", s.read(func(w http.ResponseWriter, r *http.Request, p *page) {
		s.notFound(w, r, p)
	}))
	return securityHeaders(s.limitFailures(mux))
}

// securityHeaders: policy text is untrusted, so no inline script or style
// is allowed to run, and the pages cannot be framed.
func securityHeaders(next http.Handler) http.Handler {
	csrf := http.NewCrossOriginProtection()
	return csrf.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
			"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	}))
}

// filesOnly serves the files of an fs.FS and none of its directories: a
// directory is not found, so http.FileServer lists none and serves no
// index page.
type filesOnly struct{ fs.FS }

func (f filesOnly) Open(name string) (fs.File, error) {
	file, err := f.FS.Open(name)
	if err != nil {
		return nil, err
	}
	info, err := file.Stat()
	if err != nil || info.IsDir() {
		file.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return file, nil
}

func cacheFor(d time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age="+itoa(int(d/time.Second)))
		next.ServeHTTP(w, r)
	})
}

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
func (p *page) Time(t time.Time) string { return formatTime(p.Lang, p.zoneOrDefault(), t) }
func (p *page) Date(t time.Time) string { return formatDate(p.Lang, p.zoneOrDefault(), t) }

func (p *page) zoneOrDefault() *time.Location {
	if p.zone == nil {
		return chinaTime
	}
	return p.zone
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

type handlerFunc func(http.ResponseWriter, *http.Request, *page)

// flashCookie carries a one-time message across the redirect after a form.
const flashCookie = "pw_flash"

// redirectWithFlash redirects and shows msg on the next page.
func (s *Server) redirectWithFlash(w http.ResponseWriter, r *http.Request, to, msg string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: base64.RawURLEncoding.EncodeToString([]byte(msg)),
		Path: "/", MaxAge: 60, HttpOnly: true, Secure: s.opt.SecureCookie, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, to, http.StatusSeeOther)
}

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

// read wraps a page handler: login is needed only when reading is closed.
func (s *Server) read(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := s.newPage(w, r)
		if s.opt.RequireLogin && !p.Admin && !s.auth.bearer(r) {
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		h(w, r, p)
	}
}

// admin wraps a page only administrators see (forms).
func (s *Server) admin(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := s.newPage(w, r)
		if !p.Admin {
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		h(w, r, p)
	}
}

// write wraps a form submission: a session and its CSRF token are required.
func (s *Server) write(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := s.newPage(w, r)
		r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		sess := s.auth.session(r)
		if sess == "" {
			s.renderError(w, r, p, http.StatusForbidden, p.T("error.forbidden"))
			return
		}
		if !s.auth.checkCSRF(r, sess) {
			s.renderError(w, r, p, http.StatusForbidden, "CSRF token missing or wrong")
			return
		}
		h(w, r, p)
	}
}

// render executes a page template into a buffer first, so that a template
// error never sends half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	t, ok := s.pages[name]
	if !ok {
		s.log.Error("no such template", "name", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		s.log.Error("template", "name", name, "err", err)
		http.Error(w, p.T("error.internal"), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Language", map[string]string{"zh": "zh-CN", "en": "en"}[p.Lang])
	w.Header().Add("Vary", "Accept-Language, Cookie")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func (s *Server) renderError(w http.ResponseWriter, r *http.Request, p *page, status int, msg string) {
	p.Title = http.StatusText(status)
	p.Data = msg
	s.render(w, r, status, "error", p)
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request, p *page) {
	s.renderError(w, r, p, http.StatusNotFound, p.T("error.notfound"))
}

// fail answers a store or input error with the right status.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, p *page, err error) {
	switch policywatch.ClassOf(err) {
	case policywatch.ErrNotFound:
		s.notFound(w, r, p)
	case policywatch.ErrInvalid, policywatch.ErrBadURL, policywatch.ErrAlreadyExists:
		s.renderError(w, r, p, http.StatusBadRequest, p.T("error.badrequest", err.Error()))
	default:
		s.logRequestError(r, "request failed", "path", r.URL.Path, "err", err)
		s.renderError(w, r, p, http.StatusInternalServerError, p.T("error.internal"))
	}
}

// parseTemplates parses each page template together with the layout.
func parseTemplates() (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"add":       func(a, b int) int { return a + b },
		"join":      strings.Join,
		"levelName": analyze.LevelName,
		"deref":     func(b *bool) bool { return b != nil && *b },
		// pair passes two values to a sub-template (the page and an item).
		"pair": func(a, b any) struct{ A, B any } { return struct{ A, B any }{a, b} },
	}
	base, err := template.New("").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/diff.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if name == "layout" || name == "diff" {
			continue
		}
		t, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := t.ParseFS(templateFS, n); err != nil {
			return nil, err
		}
		out[name] = t
	}
	return out, nil
}

// memo keeps the most recent results of a computation whose input never
// changes under its key: stored versions are immutable, so a pair's diff
// or a version's facts stay right for as long as they are kept.
type memo[K comparable, V any] struct {
	mu    sync.Mutex
	max   int
	order []K
	items map[K]V
}

func newMemo[K comparable, V any](n int) *memo[K, V] {
	return &memo[K, V]{max: n, items: map[K]V{}}
}

func (c *memo[K, V]) get(k K, compute func() (V, error)) (V, error) {
	c.mu.Lock()
	if v, ok := c.items[k]; ok {
		c.mu.Unlock()
		return v, nil
	}
	c.mu.Unlock()
	v, err := compute()
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.items[k]; !ok {
		if len(c.order) >= c.max {
			delete(c.items, c.order[0])
			c.order = c.order[1:]
		}
		c.order = append(c.order, k)
		c.items[k] = v
	}
	return v, nil
}

// pairKey names a comparison of two versions.
type pairKey struct{ from, to int64 }
