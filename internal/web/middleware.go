package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
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

// handlerFunc is a page handler. An error it returns is answered by its
// wrapper (serve), so that the error table (errors.go) is applied in one
// place and a handler stops at its first error with a plain return.
type handlerFunc func(http.ResponseWriter, *http.Request, *page) error

// serve runs a page handler and answers its error with the error page.
// A handler returns an error only before it has written anything.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, p *page, h handlerFunc) {
	if err := h(w, r, p); err != nil {
		s.fail(w, r, p, err)
	}
}

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
		s.serve(w, r, p, h)
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
		s.serve(w, r, p, h)
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
