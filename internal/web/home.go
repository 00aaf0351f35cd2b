package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/normalize"
)

type homeData struct {
	Query     string
	Total     int // policies tracked
	Matches   int // of them, those the query matches (all without one)
	Platforms int // platforms the matches are on
	Groups    []platformGroup
	Pager     pager
}

// platformGroup is a platform's policies on one page: a platform whose
// policies run over a page break is shown on both pages.
type platformGroup struct {
	Name     string
	Count    int // the platform's policies on every page
	Policies []policywatch.PolicyOverview
}

// home serves GET /[?q=&page=]: the policies grouped by platform, filtered
// by ?q=, a page at a time.
func (s *Server) home(w http.ResponseWriter, r *http.Request, p *page) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	list, err := s.listPolicies(r, keyMatcher(q))
	if err != nil {
		return err
	}
	return s.renderOK(w, r, p, "home", p.T("home.title"), homeData{Query: q, Total: list.total, Matches: len(list.kept),
		Platforms: list.platforms, Groups: list.groups, Pager: list.pager})
}

// policyList is one page of a list of policies (the home page, a
// platform's page): the policies the list keeps of all those tracked, and
// the page's overviews grouped by platform.
type policyList struct {
	total     int // policies tracked
	kept      []policywatch.PolicyKey
	platforms int // platforms the kept policies are on
	groups    []platformGroup
	pager     pager
}

// listPolicies reads the policies keep keeps and the overviews of the
// ?page= of them. Only the page's overviews are read: the keys of every
// policy are cheap, their overviews are not.
func (s *Server) listPolicies(r *http.Request, keep func(policywatch.PolicyKey) bool) (policyList, error) {
	number, err := pageNumber(r)
	if err != nil {
		return policyList{}, err
	}
	keys, err := s.store.ListPolicyKeys(r.Context())
	if err != nil {
		return policyList{}, err
	}
	list := policyList{total: len(keys)}
	counts := map[string]int{}
	for _, k := range keys {
		if keep(k) {
			list.kept = append(list.kept, k)
			counts[k.Platform]++
		}
	}
	list.platforms = len(counts)
	list.pager = countedPager(r, number, len(list.kept), policiesPerPage)
	list.groups, err = s.platformGroups(r.Context(), pageOf(list.kept, number, policiesPerPage), counts)
	return list, err
}

// pageOf is page number of xs, size to a page; empty past the end.
func pageOf[T any](xs []T, number, size int) []T {
	start := (number - 1) * size
	if start >= len(xs) {
		return nil
	}
	return xs[start:min(start+size, len(xs))]
}

// platformGroups reads the overviews of the policies of keys and groups
// them by platform, in the order of keys; counts are each platform's
// policies in all.
func (s *Server) platformGroups(ctx context.Context, keys []policywatch.PolicyKey, counts map[string]int) ([]platformGroup, error) {
	ids := make([]int64, len(keys))
	for i, k := range keys {
		ids[i] = k.ID
	}
	overviews, err := s.store.ListOverviews(ctx, ids)
	if err != nil {
		return nil, err
	}
	var groups []platformGroup
	for _, o := range overviews {
		if len(groups) == 0 || groups[len(groups)-1].Name != o.Platform {
			groups = append(groups, platformGroup{Name: o.Platform, Count: counts[o.Platform]})
		}
		g := &groups[len(groups)-1]
		g.Policies = append(g.Policies, o)
	}
	return groups, nil
}

// keyMatcher is the home page's search: whether a policy's platform, name
// or URL contains q, ignoring case and full-/half-width differences. Without
// q every policy matches.
func keyMatcher(q string) func(policywatch.PolicyKey) bool {
	if q == "" {
		return func(policywatch.PolicyKey) bool { return true }
	}
	q = searchForm(q)
	return func(k policywatch.PolicyKey) bool {
		for _, field := range []string{k.Platform, k.Name, k.URL} {
			if strings.Contains(searchForm(field), q) {
				return true
			}
		}
		return false
	}
}

// searchForm is the form text is compared in by the home page's search.
func searchForm(s string) string { return strings.ToLower(normalize.KeyOfText(normalize.Text(s))) }
