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
func (s *Server) platformPage(w http.ResponseWriter, r *http.Request, p *page) error {
	name := r.PathValue("name")
	list, err := s.listPolicies(r, func(k policywatch.PolicyKey) bool { return k.Platform == name })
	if err != nil {
		return err
	}
	if len(list.kept) == 0 {
		return s.notFound(w, r, p)
	}
	changes, err := s.store.ListChanges(r.Context(), policywatch.ChangeFilter{Platform: name, Lang: p.Lang, Limit: platformChanges + 1})
	if err != nil {
		return err
	}
	data := platformData{Name: name, Count: len(list.kept), Pager: list.pager, MoreChanges: len(changes) > platformChanges}
	for _, g := range list.groups {
		data.Policies = append(data.Policies, g.Policies...)
	}
	data.Changes = changeRows(changes[:min(len(changes), platformChanges)], p.Lang)
	return s.renderOK(w, r, p, "platform", name, data)
}
