package web

import (
	"net/http"
	"net/url"
	"strings"
)

type loginData struct {
	CSRF   string
	Next   string
	Failed bool
}

// loginForm serves GET /login.
func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r)
	p.Title = p.T("login.title")
	p.Data = loginData{CSRF: s.auth.loginCSRFToken(w, r), Next: safeNext(r.URL.Query().Get("next"))}
	s.render(w, r, http.StatusOK, "login", p)
}

// login serves POST /login: a right token starts a session.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r)
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if !s.auth.checkLoginCSRF(r) {
		s.renderError(w, r, p, http.StatusForbidden, p.T("error.csrf"))
		return
	}
	if !s.auth.allowLogin(r) {
		s.renderError(w, r, p, http.StatusTooManyRequests, p.T("error.toomanyrequests"))
		return
	}
	next := safeNext(r.PostFormValue("next"))
	if !s.auth.tokenMatches(r.PostFormValue("token")) {
		p.Title = p.T("login.title")
		p.Data = loginData{CSRF: s.auth.loginCSRFToken(w, r), Next: next, Failed: true}
		s.render(w, r, http.StatusUnauthorized, "login", p)
		return
	}
	s.auth.startSession(w)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// safeNext keeps redirects after login on this site.
func safeNext(next string) string {
	u, err := url.Parse(next)
	if err != nil || next == "" || u.IsAbs() || u.Host != "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		return "/"
	}
	return next
}

// logout serves POST /logout.
func (s *Server) logout(w http.ResponseWriter, r *http.Request, p *page) error {
	s.auth.endSession(w)
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}
