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
	Label      string // v1, v2, … in its policy
	Snapshot   *policywatch.Snapshot
	Lines      []textLine
	Prev, Next int64
}

// textLine is a line of a version's text as the page shows it: its number
// over the normalized text (the number facts, checks and diffs cite), the
// text without Markdown heading marks, and its heading level.
type textLine struct {
	No    int
	Text  string
	Depth int  // 1-6 for a heading, else 0
	Para  bool // the first line of a paragraph after a blank line
}

// textLines are a normalized text's lines to show: blank lines only
// separate paragraphs and are not shown (their numbers are skipped, so
// that every number stays the one cited elsewhere).
func textLines(text string) []textLine {
	var out []textLine
	blank := false
	for i, l := range textdiff.Lines(text) {
		if strings.TrimSpace(l) == "" {
			blank = true
			continue
		}
		depth, marks := headingMarks(l)
		out = append(out, textLine{No: i + 1, Text: l[marks:], Depth: depth, Para: blank})
		blank = false
	}
	return out
}

// versionPage serves GET /versions/{id} (the text with line anchors) and
// GET /versions/{id}.txt (the normalized text, plain).
func (s *Server) versionPage(w http.ResponseWriter, r *http.Request, p *page) error {
	raw := r.PathValue("id")
	plain := strings.HasSuffix(raw, ".txt")
	id, err := policywatch.ParseID(strings.TrimSuffix(raw, ".txt"))
	if err != nil {
		return s.notFound(w, r, p)
	}
	v, err := s.store.FindVersion(r.Context(), id)
	if err != nil {
		return err
	}
	text := normalize.Text(v.Text)
	if plain {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte(text))
		return nil
	}
	pol, err := s.store.FindPolicy(r.Context(), v.PolicyID)
	if err != nil {
		return err
	}
	data := versionData{Policy: pol, Version: v, Lines: textLines(text)}
	if v.SnapshotID != 0 {
		data.Snapshot, _ = s.store.FindSnapshot(r.Context(), v.SnapshotID)
		if data.Snapshot != nil {
			data.Snapshot.Body = nil // metadata only
		}
	}
	if versions, err := s.store.ListVersions(r.Context(), pol.ID); err == nil {
		data.Label = policywatch.VersionLabel(policywatch.VersionNumbers(versions)[v.ID])
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
	return s.renderOK(w, r, p, "version", pol.Name+" · "+data.Label+" · "+p.Time(v.CapturedAt), data)
}
