package web

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/analyze"
	"github.com/policywatch/policywatch/internal/facts"
	"github.com/policywatch/policywatch/internal/track"
)

// analysisFor returns the report on a pair in a language: the stored one
// (a model's before the built-in's), or else a built-in analysis made now
// and stored, which takes milliseconds and needs nothing from outside.
func (s *Server) analysisFor(ctx context.Context, from, to int64, lang string) (*analyze.Report, error) {
	stored, err := s.store.FindAnalyses(ctx, from, to)
	if err != nil {
		return nil, err
	}
	// A report made by older rules is not shown: the built-in analysis is
	// made again (a model's report waits for someone to ask for it again).
	var best *analyze.Report
	for _, a := range stored {
		if a.Lang != lang {
			continue
		}
		var r analyze.Report
		if err := json.Unmarshal(a.Report, &r); err != nil {
			s.log.Warn("stored analysis unreadable; analysing again", "from", from, "to", to, "engine", a.Engine)
			continue
		}
		if r.Rules != analyze.RulesVersion {
			continue
		}
		if best == nil || best.Engine == analyze.EngineBuiltin && r.Engine != analyze.EngineBuiltin {
			best = &r
		}
	}
	if best != nil {
		return best, nil
	}
	_, r, err := track.AnalyzePair(ctx, s.store, analyze.Builtin{}, from, to, lang)
	return r, err
}

// analyzer is the configured engine for analyses asked for explicitly.
func (s *Server) analyzer() analyze.Analyzer {
	if s.opt.Analyzer != nil {
		return s.opt.Analyzer
	}
	return analyze.Builtin{}
}

// analysisView is a report ready for the compare page.
type analysisView struct {
	Level              policywatch.Level
	LevelName          string
	AnalyzedAt         time.Time
	Engine, EngineNote string
	Overview           string
	Statements         []statementView
	Substantive        []changeView
	Editorial          []changeView
	EditorialLines     []statementView // the editorial edits by kind, with the changes that have them
	Conclusion         string
	CanAnalyze         bool // an admin may ask the configured model for the prose
	ModelName          string
}

type statementView struct {
	Text  string
	Links []linkView
}

type linkView struct{ Label, Href string }

type changeView struct {
	ID                     int
	Kind, Where, Anchor    string
	Topics                 string
	Level                  policywatch.Level
	LevelName              string
	Editorial              string
	Description            []analyze.Piece
	Impact                 string
	Added, Removed         []factView
	Direction, DirectionTx string
}

type factView struct {
	Type, Value string
	Sensitive   bool
	Elsewhere   string // where the other version still states it: moved or reworded, not gained or lost
}

func newAnalysisView(r *analyze.Report, p *page, canAnalyze bool, model string) *analysisView {
	v := &analysisView{
		Level: r.Level, LevelName: r.Level.Label(p.Lang), AnalyzedAt: r.AnalyzedAt,
		Engine: r.Engine, EngineNote: r.EngineNote, Overview: r.Overview(), Conclusion: r.Conclusion,
		CanAnalyze: canAnalyze && r.Engine == analyze.EngineBuiltin, ModelName: model,
	}
	anchors := map[int]string{}
	for _, c := range r.Changes {
		anchors[c.ID] = c.Anchor
	}
	for _, st := range r.Statements {
		sv := statementView{Text: st.Text}
		for _, id := range st.Changes {
			if a, ok := anchors[id]; ok {
				sv.Links = append(sv.Links, linkView{Label: p.T("analysis.changeref", id), Href: "#" + a})
			}
		}
		v.Statements = append(v.Statements, sv)
	}
	for _, l := range r.EditorialLines() {
		sv := statementView{Text: l.Text}
		for _, id := range l.Changes {
			if a, ok := anchors[id]; ok {
				sv.Links = append(sv.Links, linkView{Label: p.T("analysis.changeref", id), Href: "#" + a})
			}
		}
		v.EditorialLines = append(v.EditorialLines, sv)
	}
	for _, c := range r.Changes {
		cv := changeView{
			ID: c.ID, Kind: c.KindWord(p.Lang), Where: c.Where(p.Lang), Anchor: c.Anchor, Topics: c.TopicNames(p.Lang),
			Level: c.Level, LevelName: c.Level.Label(p.Lang), Editorial: c.EditorialName(p.Lang),
			Description: c.Description(p.Lang), Impact: c.Impact, Direction: c.Direction,
			Added: factViews(c.Facts.Added, p, "analysis.fact.stated.old"), Removed: factViews(c.Facts.Removed, p, "analysis.fact.stated.new"),
		}
		if c.Substantive {
			v.Substantive = append(v.Substantive, cv)
		} else {
			v.Editorial = append(v.Editorial, cv)
		}
	}
	return v
}

func factViews(fs []facts.Fact, p *page, elsewhereKey string) []factView {
	var out []factView
	for _, f := range fs {
		v := factView{Type: analyze.FactTypeName(f.Type, p.Lang), Value: f.Value, Sensitive: f.IsSensitive()}
		if f.Elsewhere > 0 {
			v.Elsewhere = p.T(elsewhereKey, f.Elsewhere)
		}
		out = append(out, v)
	}
	return out
}

// reanalyze asks the configured model for a pair's report (a form on the
// compare page; admins only, since a model may cost money).
func (s *Server) reanalyze(w http.ResponseWriter, r *http.Request, p *page) error {
	from, to, err := s.formPair(r)
	if err != nil {
		return err
	}
	back := p.Link("/compare", "from", from, "to", to) + "#analysis"
	_, report, err := track.AnalyzePair(r.Context(), s.store, s.analyzer(), from, to, p.Lang)
	if err != nil {
		return err
	}
	msg := p.T("flash.analysed", report.Engine)
	if report.EngineNote != "" {
		msg = p.T("flash.analysisfallback", report.EngineNote)
	}
	s.redirectWithFlash(w, r, back, msg)
	return nil
}

func (s *Server) formPair(r *http.Request) (int64, int64, error) {
	from, err1 := policywatch.ParseID(r.FormValue("from"))
	to, err2 := policywatch.ParseID(r.FormValue("to"))
	if err1 != nil || err2 != nil {
		return 0, 0, policywatch.Errorl(policywatch.ErrInvalid, "invalid.versionpair")
	}
	return from, to, nil
}
