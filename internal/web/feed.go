package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gorilla/feeds"

	"github.com/policywatch/policywatch"
)

// feedSize is how many changes a feed lists.
const feedSize = 50

// baseURL is where the server is reached from outside: the configured
// one, else the scheme and host of the request.
func (s *Server) baseURL(r *http.Request) string {
	if s.opt.BaseURL != "" {
		return strings.TrimSuffix(s.opt.BaseURL, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// feedAll, feedPlatform and feedPolicy serve the Atom feeds of changes.
func (s *Server) feedAll(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.feed(w, r, p, policywatch.ChangeFilter{}, p.T("feed.all"), "/")
}

func (s *Server) feedPlatform(w http.ResponseWriter, r *http.Request, p *page) error {
	name := r.PathValue("name")
	return s.feed(w, r, p, policywatch.ChangeFilter{Platform: name}, p.T("feed.platform", name), "/platforms/"+url.PathEscape(name))
}

func (s *Server) feedPolicy(w http.ResponseWriter, r *http.Request, p *page) error {
	pol, err := s.pathPolicy(r)
	if err != nil {
		return err
	}
	return s.feed(w, r, p, policywatch.ChangeFilter{PolicyID: pol.ID}, p.T("feed.policy", pol.Platform, pol.Name), fmt.Sprintf("/policies/%d", pol.ID))
}

func (s *Server) feed(w http.ResponseWriter, r *http.Request, p *page, f policywatch.ChangeFilter, title, home string) error {
	f.Limit = feedSize
	changes, err := s.store.ListChanges(r.Context(), f)
	if err != nil {
		return err
	}
	base := s.baseURL(r)
	feed := &feeds.Feed{
		Title:       "policywatch · " + title,
		Link:        &feeds.Link{Href: base + home},
		Description: p.T("feed.description"),
		// Atom requires an author for the feed or for every entry; the
		// changes are reported by policywatch, not by their publishers.
		Author:  &feeds.Author{Name: p.T("app.name")},
		Updated: time.Unix(0, 0).UTC(),
	}
	for _, c := range changes {
		item := s.feedItem(r, p, base, c)
		feed.Items = append(feed.Items, item)
		if item.Updated.After(feed.Updated) {
			feed.Updated = item.Updated
		}
	}
	atom, err := feed.ToAtom()
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Write([]byte(atom))
	return nil
}

// feedItem is one change: its level and summary from the stored analysis
// (or one made now), linked to the comparison.
func (s *Server) feedItem(r *http.Request, p *page, base string, c policywatch.Change) *feeds.Item {
	link := fmt.Sprintf("%s/compare?from=%d&to=%d", base, c.FromVersion, c.ToVersion)
	if p.Lang == "en" {
		link += "&lang=en"
	}
	item := &feeds.Item{
		Title:   fmt.Sprintf("%s · %s", c.Platform, c.Policy),
		Link:    &feeds.Link{Href: link},
		Id:      fmt.Sprintf("%s/compare?from=%d&to=%d", base, c.FromVersion, c.ToVersion),
		Created: c.CapturedAt,
		Updated: c.CapturedAt,
	}
	report, err := s.analysisFor(r.Context(), c.FromVersion, c.ToVersion, p.Lang)
	if err != nil {
		s.log.Warn("feed: no analysis", "from", c.FromVersion, "to", c.ToVersion, "err", err)
		item.Description = p.T("feed.unanalysed")
		return item
	}
	item.Title += " · " + report.Level.Label(p.Lang)
	item.Description = report.Summary
	if report.Conclusion != "" {
		item.Description += " " + report.Conclusion
	}
	return item
}
