package web

import (
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/bulk"
)

// deleteConfirm is the confirmation page of a deletion.
type deleteConfirm struct {
	Policy   *policywatch.Policy
	Versions int
}

// deletePolicyForm serves GET /policies/{id}/delete: what goes, and the
// button that does it.
func (s *Server) deletePolicyForm(w http.ResponseWriter, r *http.Request, p *page) error {
	pol, versions, err := s.pathPolicyVersions(r)
	if err != nil {
		return err
	}
	return s.renderOK(w, r, p, "policy_delete", p.T("delete.title"), deleteConfirm{Policy: pol, Versions: len(versions)})
}

// deletePolicy serves POST /policies/{id}/delete.
func (s *Server) deletePolicy(w http.ResponseWriter, r *http.Request, p *page) error {
	pol, err := s.pathPolicy(r)
	if err != nil {
		return err
	}
	if err := s.store.DeletePolicy(r.Context(), pol.ID); err != nil {
		return err
	}
	s.redirectWithFlash(w, r, p.Link("/"), p.T("flash.deleted", pol.Platform, pol.Name))
	return nil
}

// importForm is the import page: the form, and after a post what became
// of each row.
type importForm struct {
	Text    string // what was pasted, shown again
	Error   string // the file as a whole could not be read
	Posted  bool
	Added   []*policywatch.Policy
	Skipped []importProblem
}

type importProblem struct {
	Line   int
	Reason string
}

// importPolicyForm serves GET /policies/import.
func (s *Server) importPolicyForm(w http.ResponseWriter, r *http.Request, p *page) error {
	return s.renderOK(w, r, p, "policy_import", p.T("import.title"), importForm{})
}

// maxImport bounds an uploaded or pasted file: about 100,000 rows.
const maxImport = 16 << 20

// importPolicies serves POST /policies/import: the rows of the uploaded
// file, or of the pasted text, added as `policywatch add --from` adds them.
func (s *Server) importPolicies(w http.ResponseWriter, r *http.Request, p *page) error {
	p.Title = p.T("import.title")
	form := importForm{Posted: true, Text: r.PostFormValue("text")}
	show := func(status int, reason string) error {
		form.Error = reason
		p.Data = form
		s.render(w, r, status, "policy_import", p)
		return nil
	}
	in, err := importInput(r, form.Text)
	if err == nil {
		var rows []bulk.Row
		if rows, err = bulk.Read(in); err == nil {
			if form.Added, err = bulk.Add(r.Context(), s.store, rows); err == nil {
				form.Skipped = problems(p, rows)
			}
		}
	}
	if err != nil {
		return showFormAgain(p, err, show)
	}
	return show(http.StatusOK, "")
}

// importInput is the uploaded file when one was chosen, the pasted text
// otherwise.
func importInput(r *http.Request, text string) (io.Reader, error) {
	f, _, err := r.FormFile("file")
	switch {
	case err == nil:
		defer f.Close()
		data, err := io.ReadAll(f)
		if err != nil {
			return nil, err
		}
		if len(data) > 0 {
			return strings.NewReader(string(data)), nil
		}
	case !errors.Is(err, http.ErrMissingFile) && !errors.Is(err, http.ErrNotMultipart):
		return nil, policywatch.Errorl(policywatch.ErrInvalid, "import.unreadable", err)
	}
	return strings.NewReader(text), nil
}

// problems are the rows skipped, each reason in the page's language.
func problems(p *page, rows []bulk.Row) []importProblem {
	var out []importProblem
	for _, row := range rows {
		if row.Skipped() {
			out = append(out, importProblem{Line: row.Line, Reason: policywatch.Localize(row.Err, p.Lang)})
		}
	}
	return out
}
