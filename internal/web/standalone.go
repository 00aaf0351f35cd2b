package web

import (
	"bytes"
	"html/template"
	"io"

	"github.com/policywatch/policywatch/internal/locale"
	"github.com/policywatch/policywatch/internal/textdiff"
)

// standaloneData is the page data of a diff written to a file.
type standaloneData struct {
	OldName, NewName string
	Stats            textdiff.Stats
	View             *diffView
	CSS              template.CSS
	Table            template.HTML
}

// WriteDiffDocument writes a self-contained HTML page of a comparison (the
// stylesheet inline, no script, nothing folded): `policywatch diff
// --format html`.
func WriteDiffDocument(w io.Writer, res textdiff.Result, oldName, newName, lang string, hideFormatting bool) error {
	pages, err := parseTemplates()
	if err != nil {
		return err
	}
	css, err := staticFS.ReadFile("static/app.css")
	if err != nil {
		return err
	}
	lang = locale.Normalize(lang)
	p := &page{Lang: lang, Title: oldName + " → " + newName}
	view := newDiffView(res, viewOptions{hideFormatting: hideFormatting, allContext: true, sideBySide: true})
	p.Data = standaloneData{
		OldName: oldName, NewName: newName, Stats: view.Stats, View: view,
		CSS: template.CSS(css), Table: renderDiff(view, p, false, ""),
	}
	var buf bytes.Buffer
	if err := pages["standalone"].ExecuteTemplate(&buf, "standalone", p); err != nil {
		return err
	}
	_, err = w.Write(buf.Bytes())
	return err
}
