package web

import (
	"net/http"

	"github.com/policywatch/policywatch"
)

// changeRow is a change as lists show it.
type changeRow struct {
	policywatch.Change
	LevelName string
}

func changeRows(changes []policywatch.Change, lang string) []changeRow {
	rows := make([]changeRow, len(changes))
	for i, c := range changes {
		rows[i] = changeRow{Change: c}
		if c.Level != "" {
			rows[i].LevelName = c.Level.Label(lang)
		}
	}
	return rows
}

// changesQuery is what /changes and GET /api/v1/changes are asked for:
// ?level= (at least this level, as subscriptions' --min-level: a change
// not analysed is listed too), ?platform= and ?page=.
func changesQuery(r *http.Request, lang string) (policywatch.ChangeFilter, int, error) {
	q := r.URL.Query()
	level, err := policywatch.ParseLevel(q.Get("level"))
	if err != nil {
		return policywatch.ChangeFilter{}, 0, err
	}
	number, err := pageNumber(r)
	if err != nil {
		return policywatch.ChangeFilter{}, 0, err
	}
	// One more than a page tells whether there is a next one.
	return policywatch.ChangeFilter{MinLevel: level, Platform: q.Get("platform"), Lang: lang,
		Offset: (number - 1) * changesPerPage, Limit: changesPerPage + 1}, number, nil
}

type changesData struct {
	Level     policywatch.Level
	Platform  string
	Levels    []levelOption
	Platforms []string
	Changes   []changeRow
	Pager     pager
}

type levelOption struct {
	Level policywatch.Level
	Name  string
}

// changesPage serves GET /changes[?level=&platform=&page=]: recent changes
// across all policies, newest first.
func (s *Server) changesPage(w http.ResponseWriter, r *http.Request, p *page) {
	f, number, err := changesQuery(r, p.Lang)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	changes, err := s.store.ListChanges(r.Context(), f)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	keys, err := s.store.ListPolicyKeys(r.Context())
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	more := len(changes) > changesPerPage
	data := changesData{Level: f.MinLevel, Platform: f.Platform, Platforms: platformNames(keys),
		Changes: changeRows(changes[:min(len(changes), changesPerPage)], p.Lang), Pager: newPager(r, number, 0, more)}
	for _, l := range policywatch.Levels[1:] { // "none" is no change at all
		data.Levels = append(data.Levels, levelOption{Level: l, Name: p.T("changes.level.atleast", l.Label(p.Lang))})
	}
	p.Title = p.T("changes.title")
	p.Data = data
	s.render(w, r, http.StatusOK, "changes", p)
}
