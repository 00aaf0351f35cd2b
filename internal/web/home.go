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
func (s *Server) home(w http.ResponseWriter, r *http.Request, p *page) {
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
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	matching := keys
	if q != "" {
		matching = filterKeys(keys, q)
	}
	counts := map[string]int{}
	for _, k := range matching {
		counts[k.Platform]++
	}
	groups, err := s.platformGroups(r.Context(), pageOf(matching, number, policiesPerPage), counts)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	p.Title = p.T("home.title")
	p.Data = homeData{Query: q, Total: len(keys), Matches: len(matching), Platforms: len(counts), Groups: groups,
		Pager: countedPager(r, number, len(matching), policiesPerPage)}
	s.render(w, r, http.StatusOK, "home", p)
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

// filterKeys is the home page's search: the policies whose platform, name
// or URL contains q, ignoring case and full-/half-width differences.
func filterKeys(keys []policywatch.PolicyKey, q string) []policywatch.PolicyKey {
	q = searchForm(q)
	var out []policywatch.PolicyKey
	for _, k := range keys {
		for _, field := range []string{k.Platform, k.Name, k.URL} {
			if strings.Contains(searchForm(field), q) {
				out = append(out, k)
				break
			}
		}
	}
	return out
}

// searchForm is the form text is compared in by the home page's search.
func searchForm(s string) string { return strings.ToLower(normalize.KeyOfText(normalize.Text(s))) }
