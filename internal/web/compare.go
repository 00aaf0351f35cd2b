package web

import (
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/analyze"
	"github.com/policywatch/policywatch/internal/textdiff"
)

type compareData struct {
	Policy         *policywatch.Policy
	From, To       *policywatch.Version
	Versions       []versionRow // for the pickers, newest first, with their numbers
	FromLabel      string       // v1, v2, … in the policy
	ToLabel        string
	Same           bool // a version compared with itself: nothing to show but the pickers
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
	// The settings as they are, and the other choice of each for its switch.
	view, otherView := "", "inline"
	if d.Inline {
		view, otherView = "inline", "side"
	}
	fmtParam, otherFmt := "", "hide"
	if d.HideFormatting {
		fmtParam, otherFmt = "hide", ""
	}
	link := func(from, to int64, view, fmtParam string, all bool) string {
		ctx := ""
		if all {
			ctx = "all"
		}
		return p.Link("/compare", "from", from, "to", to, "view", view, "fmt", fmtParam, "context", ctx)
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
		return nil, nil, policywatch.Errorl(policywatch.ErrInvalid, "invalid.versionpair")
	}
	if from, err = s.store.FindVersion(r.Context(), fromID); err != nil {
		return nil, nil, err
	}
	if to, err = s.store.FindVersion(r.Context(), toID); err != nil {
		return nil, nil, err
	}
	if from.PolicyID != to.PolicyID {
		return nil, nil, policywatch.Errorl(policywatch.ErrInvalid, "invalid.versionpair.policy", fromID, toID)
	}
	return from, to, nil
}

// comparePage serves GET /compare?from=&to=: the analysis of a pair and its diff.
func (s *Server) comparePage(w http.ResponseWriter, r *http.Request, p *page) error {
	from, to, err := s.versionPair(r)
	if err != nil {
		return err
	}
	pol, versions, err := s.policyVersions(r.Context(), from.PolicyID)
	if err != nil {
		return err
	}
	numbers := policywatch.VersionNumbers(versions)
	q := r.URL.Query()
	data := compareData{
		Policy: pol, From: from, To: to,
		FromLabel: policywatch.VersionLabel(numbers[from.ID]), ToLabel: policywatch.VersionLabel(numbers[to.ID]),
		Inline:         q.Get("view") == "inline" || (q.Get("view") == "" && isMobile(r)),
		HideFormatting: q.Get("fmt") == "hide",
		AllContext:     q.Get("context") == "all",
	}
	for i := len(versions) - 1; i >= 0; i-- {
		data.Versions = append(data.Versions, versionRow{Version: versions[i], No: numbers[versions[i].ID]})
	}
	data.links(p)
	// A version compared with itself gets one notice that says it all: no
	// diff, no statistics, no analysis.
	data.Same = from.ID == to.ID
	if !data.Same {
		if err := s.diffAndAnalysis(r, p, &data); err != nil {
			return err
		}
	}
	return s.renderOK(w, r, p, "compare", pol.Name+" · "+p.T("compare.title"), data)
}

// diffAndAnalysis fills in the diff of the page's pair and its analysis.
// An analysis that fails is said on the page: the diff is still worth
// reading.
func (s *Server) diffAndAnalysis(r *http.Request, p *page, data *compareData) error {
	res, err := s.compare(r, data.From.ID, data.To.ID)
	if err != nil {
		return err
	}
	data.View = newDiffView(res, viewOptions{hideFormatting: data.HideFormatting, allContext: data.AllContext, sideBySide: !data.Inline})
	data.Stats = data.View.Stats // the figures of the rows shown
	data.Changes = data.View.Changes
	data.Table = renderDiff(data.View, p, data.Inline, data.ExpandURL)
	report, err := s.analysisFor(r.Context(), data.From.ID, data.To.ID, p.Lang)
	if err != nil {
		s.log.Error("analysis failed", "from", data.From.ID, "to", data.To.ID, "err", err)
		data.AnalysisError = policywatch.Localize(err, p.Lang)
		return nil
	}
	model := s.analyzer().Engine()
	data.Analysis = newAnalysisView(report, p, model != analyze.EngineBuiltin, model)
	return nil
}

// isMobile: narrow screens get the inline view by default.
func isMobile(r *http.Request) bool {
	return r.Header.Get("Sec-CH-UA-Mobile") == "?1" || strings.Contains(r.UserAgent(), "Mobile")
}

// comparePatch serves GET /compare.patch?from=&to=: the unified patch, as a download.
func (s *Server) comparePatch(w http.ResponseWriter, r *http.Request, p *page) error {
	from, to, err := s.versionPair(r)
	if err != nil {
		return err
	}
	res, err := s.compare(r, from.ID, to.ID)
	if err != nil {
		return err
	}
	// The file is named by the versions' numbers in their policy, as the
	// pages call them (v1, v2, …); the paths inside name their ids.
	versions, err := s.store.ListVersions(r.Context(), from.PolicyID)
	if err != nil {
		return err
	}
	numbers := policywatch.VersionNumbers(versions)
	name := fmt.Sprintf("policy-%d-%s-%s.patch", from.PolicyID, policywatch.VersionLabel(numbers[from.ID]), policywatch.VersionLabel(numbers[to.ID]))
	w.Header().Set("Content-Type", "text/x-diff; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	textdiff.WritePatch(w, res, fmt.Sprintf("a/version-%d.txt", from.ID), fmt.Sprintf("b/version-%d.txt", to.ID), 3)
	return nil
}
