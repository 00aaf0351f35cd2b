package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/jsonview"
	"github.com/policywatch/policywatch/internal/search"
)

// searchQuery reads q, all_versions, limit and offset.
func searchQuery(r *http.Request) (policywatch.SearchQuery, error) {
	v := r.URL.Query()
	q := policywatch.SearchQuery{Phrase: v.Get("q")}
	var err error
	if s := v.Get("all_versions"); s != "" {
		if q.AllVersions, err = strconv.ParseBool(s); err != nil {
			return q, policywatch.Errorf(policywatch.ErrInvalid, "all_versions %q: want true or false", s)
		}
	}
	for _, f := range []struct {
		name string
		to   *int
	}{{"limit", &q.Limit}, {"offset", &q.Offset}} {
		if s := v.Get(f.name); s != "" {
			if *f.to, err = strconv.Atoi(s); err != nil || *f.to < 0 {
				return q, policywatch.Errorf(policywatch.ErrInvalid, "%s %q: want a number, 0 or more", f.name, s)
			}
		}
	}
	return q, nil
}

// apiSearch serves GET /api/v1/search?q=&all_versions=&limit=&offset=: the
// hits as `policywatch search --format json` prints them; a Link header
// (rel="next") when more follow.
func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request) (any, error) {
	q, err := searchQuery(r)
	if err != nil {
		return nil, err
	}
	res, err := s.store.Search(r.Context(), q)
	if err != nil {
		return nil, err
	}
	if res.More {
		next := r.URL.Query()
		next.Set("offset", strconv.Itoa(q.Offset+len(res.Hits)))
		w.Header().Set("Link", `</api/v1/search?`+next.Encode()+`>; rel="next"`)
	}
	return jsonview.NewSearchHits(res.Hits), nil
}

// searchData is the search page: the form, and the hits of one page grouped
// by the version they are in.
type searchData struct {
	Query    string
	All      bool
	Searched bool // a phrase was given and searched for
	Groups   []searchGroup
	Hits     int
	Policies int
	More     bool
	Next     string // the next page's URL
}

type searchGroup struct {
	PolicyID, VersionID int64
	Policy, Platform    string
	CapturedAt          time.Time
	Origin              policywatch.PhraseOrigin
	Lines               []searchLine
}

// searchLine is a hit's line cut around the phrase, to mark it.
type searchLine struct {
	Line                 int
	Before, Match, After string
}

// searchPage serves GET /search?q=&all_versions=&offset=.
func (s *Server) searchPage(w http.ResponseWriter, r *http.Request, p *page) error {
	q, err := searchQuery(r)
	data := &searchData{Query: q.Phrase, All: q.AllVersions}
	if err == nil && q.Phrase == "" {
		return s.renderOK(w, r, p, "search", p.T("search.title"), data)
	}
	var res *policywatch.SearchResult
	if err == nil {
		res, err = s.store.Search(r.Context(), q)
	}
	if err != nil {
		return err
	}
	phrase, _ := search.Parse(q.Phrase) // valid: the store searched it
	data.Searched, data.Hits, data.More = true, len(res.Hits), res.More
	data.Query = phrase.String()
	policies := map[int64]bool{}
	for _, h := range res.Hits {
		policies[h.PolicyID] = true
		if n := len(data.Groups); n == 0 || data.Groups[n-1].VersionID != h.VersionID {
			data.Groups = append(data.Groups, searchGroup{PolicyID: h.PolicyID, VersionID: h.VersionID, Policy: h.Policy,
				Platform: h.Platform, CapturedAt: h.CapturedAt, Origin: h.Origin})
		}
		before, match, after, _ := phrase.Mark(h.Text)
		g := &data.Groups[len(data.Groups)-1]
		g.Lines = append(g.Lines, searchLine{Line: h.Line, Before: before, Match: match, After: after})
	}
	data.Policies = len(policies)
	if res.More {
		next := url.Values{}
		for k, v := range r.URL.Query() {
			next[k] = v
		}
		next.Set("offset", strconv.Itoa(q.Offset+len(res.Hits)))
		data.Next = "/search?" + next.Encode()
	}
	return s.renderOK(w, r, p, "search", p.T("search.title"), data)
}
