package web

import (
	"net/http"

	"github.com/policywatch/policywatch"
)

// platformChanges is how many of a platform's changes its page lists; the
// rest are on /changes?platform=.
const platformChanges = 20

type platformData struct {
	Name        string
	Count       int // the platform's policies
	Policies    []policywatch.PolicyOverview
	Changes     []changeRow
	MoreChanges bool
	Pager       pager // of the policies
}

// platformPage serves GET /platforms/{name}[?page=]: the platform's
// policies, a page at a time, and its latest changes.
func (s *Server) platformPage(w http.ResponseWriter, r *http.Request, p *page) {
	name := r.PathValue("name")
	number, err := pageNumber(r)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	keys, err := s.store.ListPolicyKeys(r.Context())
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	var own []policywatch.PolicyKey
	for _, k := range keys {
		if k.Platform == name {
			own = append(own, k)
		}
	}
	if len(own) == 0 {
		s.notFound(w, r, p)
		return
	}
	groups, err := s.platformGroups(r.Context(), pageOf(own, number, policiesPerPage), map[string]int{name: len(own)})
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	changes, err := s.store.ListChanges(r.Context(), policywatch.ChangeFilter{Platform: name, Lang: p.Lang, Limit: platformChanges + 1})
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	data := platformData{Name: name, Count: len(own), Pager: countedPager(r, number, len(own), policiesPerPage),
		MoreChanges: len(changes) > platformChanges}
	for _, g := range groups {
		data.Policies = append(data.Policies, g.Policies...)
	}
	data.Changes = changeRows(changes[:min(len(changes), platformChanges)], p.Lang)
	p.Title = name
	p.Data = data
	s.render(w, r, http.StatusOK, "platform", p)
}
