package web

import (
	"context"
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
func (s *Server) newPolicyForm(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.renderOK(w, r, p, "policy_form", p.T("form.add.title"),
		policyForm{Kind: "privacy", Render: "auto", Every: "1d", Kinds: formKinds, Modes: formModes})
}

// editPolicyForm serves GET /policies/{id}/edit.
func (s *Server) editPolicyForm(w http.ResponseWriter, r *http.Request, p *page) error {
	pol, err := s.pathPolicy(r)
	if err != nil {
		return err
	}
	return s.renderOK(w, r, p, "policy_form", p.T("form.edit.title"), formFromPolicy(pol))
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
func (s *Server) createPolicy(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.savePolicyForm(w, r, p, &policywatch.Policy{}, s.store.CreatePolicy)
}

// updatePolicy serves POST /policies/{id}/edit.
func (s *Server) updatePolicy(w http.ResponseWriter, r *http.Request, p *page) error {
	pol, err := s.pathPolicy(r)
	if err != nil {
		return err
	}
	return s.savePolicyForm(w, r, p, pol, s.store.UpdatePolicy)
}

// savePolicyForm applies the posted form to pol and saves it, then goes
// to the policy's page; a form the policy's rules or the store refuse is
// shown again with what was typed and why (showFormAgain).
func (s *Server) savePolicyForm(w http.ResponseWriter, r *http.Request, p *page, pol *policywatch.Policy,
	save func(context.Context, *policywatch.Policy) error) error {
	err := readPolicyForm(r, pol)
	if err == nil {
		err = save(r.Context(), pol)
	}
	if err != nil {
		return showFormAgain(p, err, func(status int, reason string) error {
			s.renderPolicyForm(w, r, p, status, pol, reason)
			return nil
		})
	}
	s.redirectWithFlash(w, r, policyLink(p, pol.ID), p.T("flash.saved"))
	return nil
}

// renderPolicyForm shows the form again with what was typed, and why it
// was refused.
func (s *Server) renderPolicyForm(w http.ResponseWriter, r *http.Request, p *page, status int, pol *policywatch.Policy, reason string) {
	f := formFromPolicy(pol)
	f.URL, f.Every, f.Kind, f.Render = r.PostFormValue("url"), r.PostFormValue("every"), r.PostFormValue("kind"), r.PostFormValue("render")
	f.Error = reason
	p.Title = p.T("form.add.title")
	if pol.ID != 0 {
		p.Title = p.T("form.edit.title")
	}
	p.Data = f
	s.render(w, r, status, "policy_form", p)
}
