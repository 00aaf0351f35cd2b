package web

import (
	"fmt"
	"html/template"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/analyze"
	"github.com/policywatch/policywatch/internal/normalize"
	"github.com/policywatch/policywatch/internal/textdiff"
)

// ---- home ----

type homeData struct {
	Query     string
	Platforms []platformGroup
	Total     int
}

type platformGroup struct {
	Name     string
	Policies []policywatch.PolicySummary
}

func (s *Server) home(w http.ResponseWriter, r *http.Request, p *page) {
	policies, err := s.store.ListPolicies(r.Context())
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	data := homeData{Query: q, Total: len(policies)}
	var current *platformGroup
	for _, pol := range policies {
		if q != "" && !matches(pol, q) {
			continue
		}
		if current == nil || current.Name != pol.Platform {
			data.Platforms = append(data.Platforms, platformGroup{Name: pol.Platform})
			current = &data.Platforms[len(data.Platforms)-1]
		}
		current.Policies = append(current.Policies, pol)
	}
	p.Title = p.T("home.title")
	p.Data = data
	s.render(w, r, http.StatusOK, "home", p)
}

// matches is the home page's search: platform, name or URL, ignoring case
// and full-/half-width differences.
func matches(p policywatch.PolicySummary, q string) bool {
	q = strings.ToLower(normalize.KeyOfText(normalize.Text(q)))
	for _, field := range []string{p.Platform, p.Name, p.URL} {
		if strings.Contains(strings.ToLower(normalize.KeyOfText(normalize.Text(field))), q) {
			return true
		}
	}
	return false
}

// ---- policy ----

type policyData struct {
	Policy   *policywatch.Policy
	Versions []versionRow // newest first
	Runs     []policywatch.CheckRun
	Timeline timeline
	CanCheck bool
}

// versionRow is a version with its change against the one before.
type versionRow struct {
	policywatch.Version
	PrevID    int64
	Stats     *textdiff.Stats
	Level     string // of the analysis against the version before ("" if none)
	LevelName string
}

func (s *Server) policyPage(w http.ResponseWriter, r *http.Request, p *page) {
	pol, ok := s.policyFromPath(w, r, p)
	if !ok {
		return
	}
	versions, err := s.store.ListVersions(r.Context(), pol.ID)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	runs, err := s.store.ListCheckRuns(r.Context(), pol.ID, 20)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	analyses, err := s.store.ListAnalyses(r.Context(), pol.ID)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	levels := map[[2]int64]string{}
	for _, a := range analyses {
		levels[[2]int64{a.FromVersion, a.ToVersion}] = a.Level
	}
	rows := make([]versionRow, len(versions))
	for i, v := range versions {
		rows[i] = versionRow{Version: v}
		if i > 0 {
			rows[i].PrevID = versions[i-1].ID
		}
		if i > 0 && !v.Technical {
			rows[i].PrevID = versions[i-1].ID
			rows[i].Level = levels[[2]int64{versions[i-1].ID, v.ID}]
			rows[i].LevelName = analyze.LevelName(rows[i].Level, p.Lang)
			if res, err := s.compare(r, versions[i-1].ID, v.ID); err == nil {
				st := res.Stats
				rows[i].Stats = &st
			}
		}
	}
	data := policyData{Policy: pol, Runs: runs, Timeline: newTimeline(policyChanges(rows), p), CanCheck: s.opt.Checker != nil && pol.URL != ""}
	for i := len(rows) - 1; i >= 0; i-- {
		data.Versions = append(data.Versions, rows[i])
	}
	p.Title = pol.Name
	p.Data = data
	s.render(w, r, http.StatusOK, "policy", p)
}

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

func (s *Server) policyFromPath(w http.ResponseWriter, r *http.Request, p *page) (*policywatch.Policy, bool) {
	id, err := policywatch.ParseID(r.PathValue("id"))
	if err != nil {
		s.notFound(w, r, p)
		return nil, false
	}
	pol, err := s.store.FindPolicy(r.Context(), id)
	if err != nil {
		s.fail(w, r, p, err)
		return nil, false
	}
	return pol, true
}

// compare diffs two stored versions, through the cache.
func (s *Server) compare(r *http.Request, from, to int64) (textdiff.Result, error) {
	return s.diffs.get(pairKey{from, to}, func() (textdiff.Result, error) {
		a, err := s.store.FindVersion(r.Context(), from)
		if err != nil {
			return textdiff.Result{}, err
		}
		b, err := s.store.FindVersion(r.Context(), to)
		if err != nil {
			return textdiff.Result{}, err
		}
		return textdiff.Compare(a.Text, b.Text), nil
	})
}

// ---- compare ----

type compareData struct {
	Policy         *policywatch.Policy
	From, To       *policywatch.Version
	Versions       []policywatch.Version // for the pickers, newest first
	Stats          textdiff.Stats
	View           *diffView
	Inline         bool
	HideFormatting bool
	AllContext     bool
	Changes        int

	// links of the toolbar, keeping the other settings
	ExpandURL, SwapURL, ViewURL, FormattingURL, PatchURL string

	Table template.HTML // the rendered diff table

	Analysis      *analysisView // nil when the pair could not be analysed
	AnalysisError string
}

// links fills the toolbar's URLs.
func (d *compareData) links(p *page) {
	view := ""
	if d.Inline {
		view = "inline"
	}
	fmtParam := ""
	if d.HideFormatting {
		fmtParam = "hide"
	}
	link := func(from, to int64, view, fmtParam string, all bool) string {
		ctx := ""
		if all {
			ctx = "all"
		}
		return p.Link("/compare", "from", from, "to", to, "view", view, "fmt", fmtParam, "context", ctx)
	}
	otherView := "inline"
	if d.Inline {
		otherView = "side"
	}
	otherFmt := "hide"
	if d.HideFormatting {
		otherFmt = ""
	}
	d.ExpandURL = link(d.From.ID, d.To.ID, view, fmtParam, true)
	d.SwapURL = link(d.To.ID, d.From.ID, view, fmtParam, d.AllContext)
	d.ViewURL = link(d.From.ID, d.To.ID, otherView, fmtParam, d.AllContext)
	d.FormattingURL = link(d.From.ID, d.To.ID, view, otherFmt, d.AllContext)
	d.PatchURL = p.Link("/compare.patch", "from", d.From.ID, "to", d.To.ID)
}

// versionPair reads and checks ?from=&to=.
func (s *Server) versionPair(r *http.Request) (from, to *policywatch.Version, err error) {
	q := r.URL.Query()
	fromID, err1 := policywatch.ParseID(q.Get("from"))
	toID, err2 := policywatch.ParseID(q.Get("to"))
	if err1 != nil || err2 != nil {
		return nil, nil, policywatch.Errorf(policywatch.ErrInvalid, "from and to must be version ids")
	}
	if from, err = s.store.FindVersion(r.Context(), fromID); err != nil {
		return nil, nil, err
	}
	if to, err = s.store.FindVersion(r.Context(), toID); err != nil {
		return nil, nil, err
	}
	if from.PolicyID != to.PolicyID {
		return nil, nil, policywatch.Errorf(policywatch.ErrInvalid, "versions %d and %d belong to different policies", fromID, toID)
	}
	return from, to, nil
}

func (s *Server) comparePage(w http.ResponseWriter, r *http.Request, p *page) {
	from, to, err := s.versionPair(r)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	pol, err := s.store.FindPolicy(r.Context(), from.PolicyID)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	versions, err := s.store.ListVersions(r.Context(), pol.ID)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	sort.SliceStable(versions, func(i, j int) bool { return versions[i].CapturedAt.After(versions[j].CapturedAt) })
	res, err := s.compare(r, from.ID, to.ID)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	q := r.URL.Query()
	data := compareData{
		Policy: pol, From: from, To: to, Versions: versions, Stats: res.Stats,
		Inline:         q.Get("view") == "inline" || (q.Get("view") == "" && isMobile(r)),
		HideFormatting: q.Get("fmt") == "hide",
		AllContext:     q.Get("context") == "all",
	}
	data.View = newDiffView(res, viewOptions{hideFormatting: data.HideFormatting, allContext: data.AllContext, sideBySide: !data.Inline})
	data.Changes = data.View.Changes
	data.links(p)
	data.Table = renderDiff(data.View, p, data.Inline, data.ExpandURL)
	if from.ID != to.ID {
		report, err := s.analysisFor(r.Context(), from.ID, to.ID, p.Lang)
		if err != nil {
			s.log.Error("analysis failed", "from", from.ID, "to", to.ID, "err", err)
			data.AnalysisError = err.Error()
		} else {
			model := s.analyzer().Engine()
			data.Analysis = newAnalysisView(report, p, model != analyze.EngineBuiltin, model)
		}
	}
	p.Title = pol.Name + " · " + p.T("compare.title")
	p.Data = data
	s.render(w, r, http.StatusOK, "compare", p)
}

// isMobile: narrow screens get the inline view by default.
func isMobile(r *http.Request) bool {
	return r.Header.Get("Sec-CH-UA-Mobile") == "?1" || strings.Contains(r.UserAgent(), "Mobile")
}

func (s *Server) comparePatch(w http.ResponseWriter, r *http.Request, p *page) {
	from, to, err := s.versionPair(r)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	res, err := s.compare(r, from.ID, to.ID)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	name := fmt.Sprintf("policy-%d-v%d-v%d.patch", from.PolicyID, from.ID, to.ID)
	w.Header().Set("Content-Type", "text/x-diff; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	textdiff.WritePatch(w, res, fmt.Sprintf("a/version-%d.txt", from.ID), fmt.Sprintf("b/version-%d.txt", to.ID), 3)
}

// ---- version ----

type versionData struct {
	Policy     *policywatch.Policy
	Version    *policywatch.Version
	Snapshot   *policywatch.Snapshot
	Lines      []string
	Prev, Next int64
}

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

func itoa(n int) string { return strconv.Itoa(n) }

func toString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case bool:
		if x {
			return "1"
		}
		return ""
	case time.Time:
		return x.Format(time.RFC3339)
	}
	return fmt.Sprint(v)
}
