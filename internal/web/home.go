package web

import (
	"net/http"
	"strings"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/normalize"
)

type homeData struct {
	Query     string
	Platforms []platformGroup
	Total     int
}

type platformGroup struct {
	Name     string
	Policies []policywatch.PolicySummary
}

// home serves GET /: the platforms and their policies, filtered by ?q=.
func (s *Server) home(w http.ResponseWriter, r *http.Request, p *page) {
	policies, err := s.store.ListPolicies(r.Context())
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	data := homeData{Query: q, Total: len(policies)}
	var current *platformGroup
	for _, pol := range policies {
		if q != "" && !matches(pol, q) {
			continue
		}
		if current == nil || current.Name != pol.Platform {
			data.Platforms = append(data.Platforms, platformGroup{Name: pol.Platform})
			current = &data.Platforms[len(data.Platforms)-1]
		}
		current.Policies = append(current.Policies, pol)
	}
	p.Title = p.T("home.title")
	p.Data = data
	s.render(w, r, http.StatusOK, "home", p)
}

// matches is the home page's search: platform, name or URL, ignoring case
// and full-/half-width differences.
func matches(p policywatch.PolicySummary, q string) bool {
	q = strings.ToLower(normalize.KeyOfText(normalize.Text(q)))
	for _, field := range []string{p.Platform, p.Name, p.URL} {
		if strings.Contains(strings.ToLower(normalize.KeyOfText(normalize.Text(field))), q) {
			return true
		}
	}
	return false
}
