package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

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

type handlerFunc func(http.ResponseWriter, *http.Request, *page)

// read wraps a page handler: login is needed only when reading is closed.
func (s *Server) read(h handlerFunc) http.HandlerFunc {
	return s.loginFirst(h, func(p *page, r *http.Request) bool {
		return s.opt.RequireLogin && !p.Admin && !s.auth.bearer(r)
	})
}

// admin wraps a page only administrators see (forms).
func (s *Server) admin(h handlerFunc) http.HandlerFunc {
	return s.loginFirst(h, func(p *page, _ *http.Request) bool { return !p.Admin })
}

// loginFirst sends whoever mustLogIn to the login page, which brings them
// back here afterwards.
func (s *Server) loginFirst(h handlerFunc, mustLogIn func(*page, *http.Request) bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := s.newPage(w, r)
		if mustLogIn(p, r) {
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		h(w, r, p)
	}
}

// write wraps a form submission: a session and its CSRF token are required.
func (s *Server) write(h handlerFunc) http.HandlerFunc { return s.upload(h, 1<<20) }

// upload is write for a form whose body may be up to limit bytes (a file).
func (s *Server) upload(h handlerFunc, limit int64) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := s.newPage(w, r)
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		sess := s.auth.session(r)
		if sess == "" {
			s.renderError(w, r, p, http.StatusForbidden, p.T("error.forbidden"))
			return
		}
		if !s.auth.checkCSRF(r, sess) {
			s.renderError(w, r, p, http.StatusForbidden, p.T("error.csrf"))
			return
		}
		h(w, r, p)
	}
}

// apiRead serves a public read (unless reading needs login).
func (s *Server) apiRead(h apiHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.opt.RequireLogin && !s.auth.bearer(r) && s.auth.session(r) == "" {
			writeAPIError(w, http.StatusUnauthorized, "unauthorized", "this server needs Authorization: Bearer TOKEN for reading")
			return
		}
		s.serveAPI(w, r, h)
	}
}

// apiWrite needs the admin token as a Bearer token.
func (s *Server) apiWrite(h apiHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.auth.bearer(r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="policywatch"`)
			writeAPIError(w, http.StatusUnauthorized, "unauthorized", "writes need Authorization: Bearer TOKEN")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		s.serveAPI(w, r, h)
	}
}

// limitFailures applies the failure limit to every request that presents
// a token: a Bearer header on any route, and the login form. A client out
// of tries gets 429 with Retry-After; otherwise a wrong Bearer token is
// counted and the request goes on (to be refused, or served as anonymous
// where reading is public).
func (s *Server) limitFailures(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok, isBearer := bearerToken(r)
		isLogin := r.Method == http.MethodPost && r.URL.Path == "/login"
		if !isBearer && !isLogin {
			next.ServeHTTP(w, r)
			return
		}
		key := clientKey(r)
		if wait := s.auth.failures.wait(key); wait > 0 {
			s.tooManyFailures(w, r, wait)
			return
		}
		if isBearer && !s.auth.tokenMatches(tok) {
			s.auth.failures.fail(key)
		}
		next.ServeHTTP(w, r)
	})
}

// tooManyFailures answers 429: in JSON for the API, as a page otherwise.
func (s *Server) tooManyFailures(w http.ResponseWriter, r *http.Request, wait time.Duration) {
	secs := int((wait + time.Second - 1) / time.Second)
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	msg := "too many failed authentication attempts; try again in " + strconv.Itoa(secs) + "s"
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeAPIError(w, http.StatusTooManyRequests, "rate_limited", msg)
		return
	}
	p := s.newPage(w, r)
	s.renderError(w, r, p, http.StatusTooManyRequests, p.T("error.toomanyfailures", secs))
}

// logRequestError logs a handler's failure at ERROR, or at DEBUG when the
// client has gone: its request's context is done (it disconnected, or the
// server is shutting down) or the error says so. Nothing is wrong with the
// server then, and a log full of such lines hides what is.
func (s *Server) logRequestError(r *http.Request, msg string, args ...any) {
	level := slog.LevelError
	if r.Context().Err() != nil {
		level = slog.LevelDebug
	}
	s.log.Log(r.Context(), level, msg, args...)
}

// quietDisconnects is the server's log handler: a record above DEBUG
// whose attributes carry an error that only says the client went away
// (clientGone) is logged at DEBUG, wherever in the server it is logged.
type quietDisconnects struct{ slog.Handler }

func (h quietDisconnects) Handle(ctx context.Context, r slog.Record) error {
	if r.Level > slog.LevelDebug && recordsClientGone(r) {
		if !h.Handler.Enabled(ctx, slog.LevelDebug) {
			return nil
		}
		r.Level = slog.LevelDebug
	}
	return h.Handler.Handle(ctx, r)
}

func (h quietDisconnects) WithAttrs(attrs []slog.Attr) slog.Handler {
	return quietDisconnects{h.Handler.WithAttrs(attrs)}
}

func (h quietDisconnects) WithGroup(name string) slog.Handler {
	return quietDisconnects{h.Handler.WithGroup(name)}
}

func recordsClientGone(r slog.Record) bool {
	gone := false
	r.Attrs(func(a slog.Attr) bool {
		if err, ok := a.Value.Any().(error); ok && clientGone(err) {
			gone = true
		}
		return !gone
	})
	return gone
}

// clientGone reports an error that only says the client went away: the
// request's context is cancelled when its connection closes, and writing
// to a closed connection fails with a broken pipe or a reset.
func clientGone(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNRESET)
}
