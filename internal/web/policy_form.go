package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/policywatch/policywatch"
)

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

// newPolicyForm serves GET /policies/new.
func (s *Server) newPolicyForm(w http.ResponseWriter, r *http.Request, p *page) {
	p.Title = p.T("form.add.title")
	p.Data = policyForm{Kind: "privacy", Render: "auto", Every: "1d", Kinds: formKinds, Modes: formModes}
	s.render(w, r, http.StatusOK, "policy_form", p)
}

// editPolicyForm serves GET /policies/{id}/edit.
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
		return policywatch.Errorl(policywatch.ErrBadURL, "invalid.policy.url")
	}
	var err error
	if pol.Kind, err = policywatch.ParseKind(r.PostFormValue("kind")); err != nil {
		return err
	}
	if pol.Render, err = policywatch.ParseRenderMode(r.PostFormValue("render")); err != nil {
		return err
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

// createPolicy serves POST /policies (the form of /policies/new).
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

// updatePolicy serves POST /policies/{id}/edit.
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

// formError shows the form again with what was typed and why it failed,
// when the input is at fault (the error table's 400 and 409); any other
// error is answered as on every page.
func (s *Server) formError(w http.ResponseWriter, r *http.Request, p *page, pol *policywatch.Policy, err error) {
	reply := replyTo(err)
	if !reply.userError() {
		s.fail(w, r, p, err)
		return
	}
	f := formFromPolicy(pol)
	f.URL, f.Every, f.Kind, f.Render = r.PostFormValue("url"), r.PostFormValue("every"), r.PostFormValue("kind"), r.PostFormValue("render")
	f.Error = reply.message(p, err)
	p.Title = p.T("form.add.title")
	if pol.ID != 0 {
		p.Title = p.T("form.edit.title")
	}
	p.Data = f
	s.render(w, r, reply.status, "policy_form", p)
}
