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

// changesList is one page of recent changes, newest first.
type changesList struct {
	filter  policywatch.ChangeFilter
	changes []policywatch.Change
	pager   pager
}

// recentChanges reads the page of changes /changes and GET /api/v1/changes
// are asked for: ?level= (at least this level, as subscriptions'
// --min-level: a change not analysed is listed too), ?platform= and ?page=.
func (s *Server) recentChanges(r *http.Request, lang string) (changesList, error) {
	q := r.URL.Query()
	level, err := policywatch.ParseLevel(q.Get("level"))
	if err != nil {
		return changesList{}, err
	}
	number, err := pageNumber(r)
	if err != nil {
		return changesList{}, err
	}
	// One more than a page tells whether there is a next one.
	f := policywatch.ChangeFilter{MinLevel: level, Platform: q.Get("platform"), Lang: lang,
		Offset: (number - 1) * changesPerPage, Limit: changesPerPage + 1}
	changes, err := s.store.ListChanges(r.Context(), f)
	if err != nil {
		return changesList{}, err
	}
	return changesList{filter: f, changes: changes[:min(len(changes), changesPerPage)],
		pager: newPager(r, number, 0, len(changes) > changesPerPage)}, nil
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
func (s *Server) changesPage(w http.ResponseWriter, r *http.Request, p *page) error {
	list, err := s.recentChanges(r, p.Lang)
	if err != nil {
		return err
	}
	platforms, err := s.platformNames(r.Context())
	if err != nil {
		return err
	}
	data := changesData{Level: list.filter.MinLevel, Platform: list.filter.Platform, Platforms: platforms,
		Changes: changeRows(list.changes, p.Lang), Pager: list.pager}
	for _, l := range policywatch.Levels[1:] { // "none" is no change at all
		data.Levels = append(data.Levels, levelOption{Level: l, Name: p.T("changes.level.atleast", l.Label(p.Lang))})
	}
	return s.renderOK(w, r, p, "changes", p.T("changes.title"), data)
}
