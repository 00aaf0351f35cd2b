package web

import (
	"fmt"
	"net/http"

	"github.com/policywatch/policywatch"
)

// pausePolicy serves POST /policies/{id}/pause (pause) and
// POST /policies/{id}/resume.
func (s *Server) pausePolicy(pause bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, p *page) error {
		pol, err := s.pathPolicy(r)
		if err != nil {
			return err
		}
		pol.Status, p.Flash = policywatch.StatusActive, p.T("flash.resumed")
		if pause {
			pol.Status, p.Flash = policywatch.StatusPaused, p.T("flash.paused")
		}
		if err := s.store.UpdatePolicy(r.Context(), pol); err != nil {
			return err
		}
		s.redirectWithFlash(w, r, policyLink(p, pol.ID), p.Flash)
		return nil
	}
}

// checkPolicy serves POST /policies/{id}/check: a check now.
func (s *Server) checkPolicy(w http.ResponseWriter, r *http.Request, p *page) error {
	pol, err := s.pathPolicy(r)
	if err != nil {
		return err
	}
	if s.opt.Checker == nil {
		return errNoChecker()
	}
	o := s.opt.Checker.Check(r.Context(), pol.ID)
	msg := p.T("result." + string(o.Result))
	if o.Error != "" {
		msg += " — " + o.Error
	}
	s.redirectWithFlash(w, r, policyLink(p, pol.ID), p.T("flash.checked", msg))
	return nil
}

// policyLink is the policy's page, where its forms go back to.
func policyLink(p *page, id int64) string { return p.Link(fmt.Sprintf("/policies/%d", id)) }
