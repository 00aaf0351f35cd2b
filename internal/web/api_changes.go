package web

import (
	"fmt"
	"net/http"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/jsonview"
)

// changeJSON is one change of GET /api/v1/changes: the webhook's change
// message (contract.md) and when it was captured.
type changeJSON struct {
	PolicyID    string            `json:"policy_id"`
	Policy      string            `json:"policy"`
	Platform    string            `json:"platform"`
	URL         string            `json:"url"`
	FromVersion string            `json:"from_version"`
	ToVersion   string            `json:"to_version"`
	CapturedAt  *string           `json:"captured_at"`
	Level       policywatch.Level `json:"level"`
	Summary     string            `json:"summary"`
	CompareURL  string            `json:"compare_url"`
}

// apiChanges serves GET /api/v1/changes[?level=&platform=&page=&lang=]:
// a page of recent changes across all policies, newest first, as /changes
// lists them; a Link header names the next page.
func (s *Server) apiChanges(w http.ResponseWriter, r *http.Request) (any, error) {
	lang, err := apiLang(r)
	if err != nil {
		return nil, err
	}
	list, err := s.recentChanges(r, lang)
	if err != nil {
		return nil, err
	}
	s.linkNext(w, r, list.pager)
	base := s.baseURL(r)
	return listJSON(list.changes, func(c policywatch.Change) changeJSON {
		return changeJSON{PolicyID: policywatch.FormatID(c.PolicyID), Policy: c.Policy, Platform: c.Platform,
			URL: c.URL, FromVersion: policywatch.FormatID(c.FromVersion), ToVersion: policywatch.FormatID(c.ToVersion),
			CapturedAt: jsonview.Time(c.CapturedAt), Level: c.Level, Summary: c.Summary,
			CompareURL: fmt.Sprintf("%s/compare?from=%d&to=%d", base, c.FromVersion, c.ToVersion)}
	}), nil
}
