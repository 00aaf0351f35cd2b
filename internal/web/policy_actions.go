package web

import (
	"fmt"
	"net/http"

	"github.com/policywatch/policywatch"
)

// pausePolicy serves POST /policies/{id}/pause (pause) and
// POST /policies/{id}/resume.
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

// checkPolicy serves POST /policies/{id}/check: a check now.
func (s *Server) checkPolicy(w http.ResponseWriter, r *http.Request, p *page) {
	pol, ok := s.policyFromPath(w, r, p)
	if !ok {
		return
	}
	if s.opt.Checker == nil {
		s.fail(w, r, p, errNoChecker())
		return
	}
	o := s.opt.Checker.Check(r.Context(), pol.ID)
	msg := p.T("result." + string(o.Result))
	if o.Error != "" {
		msg += " — " + o.Error
	}
	s.redirectWithFlash(w, r, p.Link(fmt.Sprintf("/policies/%d", pol.ID)), p.T("flash.checked", msg))
}
