package web

import (
	"net/http"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/textdiff"
)

type policyData struct {
	Policy   *policywatch.Policy
	Status   string       // as shown (shownStatus)
	Versions []versionRow // newest first
	Runs     []policywatch.CheckRun
	Timeline timeline
	CanCheck bool
}

// versionRow is a version with its change against the one before.
type versionRow struct {
	policywatch.Version
	No        int // the version's number in its policy: v1, v2, …
	PrevID    int64
	Stats     *textdiff.Stats
	Level     policywatch.Level // of the analysis against the version before ("" if none)
	LevelName string
}

// policyPage serves GET /policies/{id}: the versions on a timeline and in a table, and the recent checks.
func (s *Server) policyPage(w http.ResponseWriter, r *http.Request, p *page) error {
	pol, versions, err := s.pathPolicyVersions(r)
	if err != nil {
		return err
	}
	runs, err := s.store.ListCheckRuns(r.Context(), pol.ID, 20)
	if err != nil {
		return err
	}
	analyses, err := s.store.ListAnalyses(r.Context(), pol.ID)
	if err != nil {
		return err
	}
	levels := map[[2]int64]policywatch.Level{}
	for _, a := range analyses {
		levels[[2]int64{a.FromVersion, a.ToVersion}] = a.Level
	}
	rows := make([]versionRow, len(versions))
	numbers := policywatch.VersionNumbers(versions)
	for i, v := range versions {
		rows[i] = versionRow{Version: v, No: numbers[v.ID]}
		if i > 0 {
			rows[i].PrevID = versions[i-1].ID
		}
		if i > 0 && !v.Technical {
			rows[i].Level = levels[[2]int64{versions[i-1].ID, v.ID}]
			rows[i].LevelName = rows[i].Level.Label(p.Lang)
			if res, err := s.compare(r, versions[i-1].ID, v.ID); err == nil {
				st := res.Stats
				rows[i].Stats = &st
			}
		}
	}
	data := policyData{Policy: pol, Status: shownStatus(pol.Status, pol.LastErrorClass), Runs: runs, Timeline: newTimeline(policyChanges(rows), p), CanCheck: s.opt.Checker != nil && pol.URL != ""}
	for i := len(rows) - 1; i >= 0; i-- {
		data.Versions = append(data.Versions, rows[i])
	}
	return s.renderOK(w, r, p, "policy", pol.Name, data)
}

// Label is the version's name on pages: v1, v2, ….
func (r versionRow) Label() string { return policywatch.VersionLabel(r.No) }

// policyChanges leaves out technical re-extractions: they are not changes of
// the policy and have no place on its timeline.
func policyChanges(rows []versionRow) []versionRow {
	var out []versionRow
	for _, r := range rows {
		if !r.Technical {
			out = append(out, r)
		}
	}
	return out
}
