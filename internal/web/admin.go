package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/policywatch/policywatch"
)

// ---- login ----

type loginData struct {
	CSRF   string
	Next   string
	Failed bool
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r)
	p.Title = p.T("login.title")
	p.Data = loginData{CSRF: s.auth.loginCSRFToken(w, r), Next: safeNext(r.URL.Query().Get("next"))}
	s.render(w, r, http.StatusOK, "login", p)
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r)
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if !s.auth.checkLoginCSRF(r) {
		s.renderError(w, r, p, http.StatusForbidden, "CSRF token missing or wrong")
		return
	}
	if !s.auth.allowLogin(r) {
		s.renderError(w, r, p, http.StatusTooManyRequests, http.StatusText(http.StatusTooManyRequests))
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

func (s *Server) logout(w http.ResponseWriter, r *http.Request, p *page) {
	s.auth.endSession(w)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// ---- policy forms ----

type policyForm struct {
	ID                                                       int64
	URL, Name, Platform, Kind, Select, Remove, Render, Every string
	Kinds, Modes                                             []string
	Error                                                    string
}

var (
	formKinds = []string{"privacy", "children", "sdk", "terms"}
	formModes = []string{"auto", "http", "browser"}
)

func formFromPolicy(pol *policywatch.Policy) policyForm {
	return policyForm{ID: pol.ID, URL: pol.URL, Name: pol.Name, Platform: pol.Platform, Kind: string(pol.Kind),
		Select: pol.Select, Remove: strings.Join(pol.Remove, "\n"), Render: string(pol.Render),
		Every: formatEvery(pol.Interval), Kinds: formKinds, Modes: formModes}
}

func formatEvery(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return strconv.Itoa(int(d/(24*time.Hour))) + "d"
	}
	return d.String()
}

func (s *Server) newPolicyForm(w http.ResponseWriter, r *http.Request, p *page) {
	p.Title = p.T("form.add.title")
	p.Data = policyForm{Kind: "privacy", Render: "auto", Every: "1d", Kinds: formKinds, Modes: formModes}
	s.render(w, r, http.StatusOK, "policy_form", p)
}

func (s *Server) editPolicyForm(w http.ResponseWriter, r *http.Request, p *page) {
	pol, ok := s.policyFromPath(w, r, p)
	if !ok {
		return
	}
	p.Title = p.T("form.edit.title")
	p.Data = formFromPolicy(pol)
	s.render(w, r, http.StatusOK, "policy_form", p)
}

// readPolicyForm applies the posted form to pol and checks the result by
// the policy's own rules (a new policy also needs a URL to check).
func readPolicyForm(r *http.Request, pol *policywatch.Policy) error {
	pol.Name = strings.TrimSpace(r.PostFormValue("name"))
	pol.Platform = strings.TrimSpace(r.PostFormValue("platform"))
	pol.URL = strings.TrimSpace(r.PostFormValue("url"))
	if pol.URL == "" && pol.ID == 0 {
		return policywatch.Errorf(policywatch.ErrBadURL, "a policy to check needs its URL")
	}
	var err error
	if pol.Kind, err = policywatch.ParseKind(r.PostFormValue("kind")); err != nil {
		return &policywatch.Error{Class: policywatch.ErrInvalid, Message: err.Error()}
	}
	if pol.Render, err = policywatch.ParseRenderMode(r.PostFormValue("render")); err != nil {
		return &policywatch.Error{Class: policywatch.ErrInvalid, Message: err.Error()}
	}
	if pol.Interval, err = parseInterval(r.PostFormValue("every")); err != nil {
		return err
	}
	pol.Select = strings.TrimSpace(r.PostFormValue("select"))
	pol.Remove = nil
	for _, line := range strings.Split(r.PostFormValue("remove"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			pol.Remove = append(pol.Remove, line)
		}
	}
	return pol.Validate()
}

// parseInterval reads 24h, 30m or 7d (policywatch.ParseInterval); empty
// means the default.
func parseInterval(v string) (time.Duration, error) {
	if strings.TrimSpace(v) == "" {
		return policywatch.DefaultInterval, nil
	}
	return policywatch.ParseInterval(v)
}

func (s *Server) createPolicy(w http.ResponseWriter, r *http.Request, p *page) {
	pol := &policywatch.Policy{}
	if err := readPolicyForm(r, pol); err != nil {
		s.formError(w, r, p, pol, err)
		return
	}
	if err := s.store.CreatePolicy(r.Context(), pol); err != nil {
		s.formError(w, r, p, pol, err)
		return
	}
	s.redirectWithFlash(w, r, p.Link(fmt.Sprintf("/policies/%d", pol.ID)), p.T("flash.saved"))
}

func (s *Server) updatePolicy(w http.ResponseWriter, r *http.Request, p *page) {
	pol, ok := s.policyFromPath(w, r, p)
	if !ok {
		return
	}
	if err := readPolicyForm(r, pol); err != nil {
		s.formError(w, r, p, pol, err)
		return
	}
	if err := s.store.UpdatePolicy(r.Context(), pol); err != nil {
		s.formError(w, r, p, pol, err)
		return
	}
	s.redirectWithFlash(w, r, p.Link(fmt.Sprintf("/policies/%d", pol.ID)), p.T("flash.saved"))
}

// formError shows the form again with what was typed and why it failed.
func (s *Server) formError(w http.ResponseWriter, r *http.Request, p *page, pol *policywatch.Policy, err error) {
	switch policywatch.ClassOf(err) {
	case policywatch.ErrInvalid, policywatch.ErrBadURL, policywatch.ErrAlreadyExists:
	default:
		s.fail(w, r, p, err)
		return
	}
	f := formFromPolicy(pol)
	f.URL, f.Every, f.Kind, f.Render = r.PostFormValue("url"), r.PostFormValue("every"), r.PostFormValue("kind"), r.PostFormValue("render")
	f.Error = err.Error()
	p.Title = p.T("form.add.title")
	p.Data = f
	s.render(w, r, http.StatusBadRequest, "policy_form", p)
}

func (s *Server) pausePolicy(pause bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, p *page) {
		pol, ok := s.policyFromPath(w, r, p)
		if !ok {
			return
		}
		pol.Status, p.Flash = policywatch.StatusActive, p.T("flash.resumed")
		if pause {
			pol.Status, p.Flash = policywatch.StatusPaused, p.T("flash.paused")
		}
		if err := s.store.UpdatePolicy(r.Context(), pol); err != nil {
			s.fail(w, r, p, err)
			return
		}
		s.redirectWithFlash(w, r, p.Link(fmt.Sprintf("/policies/%d", pol.ID)), p.Flash)
	}
}

func (s *Server) checkPolicy(w http.ResponseWriter, r *http.Request, p *page) {
	pol, ok := s.policyFromPath(w, r, p)
	if !ok {
		return
	}
	if s.opt.Checker == nil {
		s.renderError(w, r, p, http.StatusServiceUnavailable, "checks are not available on this server")
		return
	}
	o := s.opt.Checker.Check(r.Context(), pol.ID)
	msg := p.T("result." + string(o.Result))
	if o.Error != "" {
		msg += " — " + o.Error
	}
	s.redirectWithFlash(w, r, p.Link(fmt.Sprintf("/policies/%d", pol.ID)), p.T("flash.checked", msg))
}
