package web

import (
	"net/http"
	"strings"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/normalize"
	"github.com/policywatch/policywatch/internal/textdiff"
)

type versionData struct {
	Policy     *policywatch.Policy
	Version    *policywatch.Version
	Snapshot   *policywatch.Snapshot
	Lines      []string
	Prev, Next int64
}

// versionPage serves GET /versions/{id} (the text with line anchors) and
// GET /versions/{id}.txt (the normalized text, plain).
func (s *Server) versionPage(w http.ResponseWriter, r *http.Request, p *page) {
	raw := r.PathValue("id")
	plain := strings.HasSuffix(raw, ".txt")
	id, err := policywatch.ParseID(strings.TrimSuffix(raw, ".txt"))
	if err != nil {
		s.notFound(w, r, p)
		return
	}
	v, err := s.store.FindVersion(r.Context(), id)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	text := normalize.Text(v.Text)
	if plain {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte(text))
		return
	}
	pol, err := s.store.FindPolicy(r.Context(), v.PolicyID)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	data := versionData{Policy: pol, Version: v, Lines: textdiff.Lines(text)}
	if v.SnapshotID != 0 {
		data.Snapshot, _ = s.store.FindSnapshot(r.Context(), v.SnapshotID)
		if data.Snapshot != nil {
			data.Snapshot.Body = nil // metadata only
		}
	}
	if versions, err := s.store.ListVersions(r.Context(), pol.ID); err == nil {
		for i, other := range versions {
			if other.ID == v.ID {
				if i > 0 {
					data.Prev = versions[i-1].ID
				}
				if i+1 < len(versions) {
					data.Next = versions[i+1].ID
				}
			}
		}
	}
	p.Title = pol.Name + " · " + p.Time(v.CapturedAt)
	p.Data = data
	s.render(w, r, http.StatusOK, "version", p)
}
