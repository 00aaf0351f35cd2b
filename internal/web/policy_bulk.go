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
	Notes   []importProblem // what of a declaration a policy added leaves out
}

// importProblem is a remark on a row: its line in a file of rows, or its
// declaration file and terms type (Source).
type importProblem struct {
	Line   int
	Source string
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
	rows, err := importRows(r, form.Text)
	if err == nil {
		if form.Added, err = bulk.Add(r.Context(), s.store, rows); err == nil {
			form.Skipped, form.Notes = problems(p, rows), notes(p, rows)
		}
	}
	if err != nil {
		return showFormAgain(p, err, show)
	}
	return show(http.StatusOK, "")
}

// importRows reads the uploaded Open Terms Archive declarations when some
// were chosen (as `policywatch import-declarations` reads a collection's),
// the rows of the uploaded file or of the pasted text otherwise.
func importRows(r *http.Request, text string) ([]bulk.Row, error) {
	if rows, err := uploadedDeclarations(r); err != nil || rows != nil {
		return rows, err
	}
	in, err := importInput(r, text)
	if err != nil {
		return nil, err
	}
	return bulk.Read(in)
}

// uploadedDeclarations are the rows of the declaration files uploaded
// (other files of a collection chosen with them are passed over); nil when
// none was.
func uploadedDeclarations(r *http.Request) ([]bulk.Row, error) {
	if err := r.ParseMultipartForm(maxImport); err != nil || r.MultipartForm == nil {
		return nil, nil // pasted text: a form that is not multipart
	}
	var rows []bulk.Row
	for _, fh := range r.MultipartForm.File["declarations"] {
		if !bulk.IsDeclaration(fh.Filename) {
			continue
		}
		f, err := fh.Open()
		if err != nil {
			return nil, policywatch.Errorl(policywatch.ErrInvalid, "import.unreadable", err)
		}
		data, err := io.ReadAll(f)
		f.Close()
		if err != nil {
			return nil, policywatch.Errorl(policywatch.ErrInvalid, "import.unreadable", err)
		}
		rows = append(rows, bulk.ReadDeclaration(fh.Filename, data)...)
	}
	return rows, nil
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
			out = append(out, importProblem{Line: row.Line, Source: row.Source, Reason: policywatch.Localize(row.Err, p.Lang)})
		}
	}
	return out
}

// notes are the notes on the rows added, in the page's language.
func notes(p *page, rows []bulk.Row) []importProblem {
	var out []importProblem
	for _, row := range rows {
		for _, n := range row.Notes {
			if !row.Skipped() {
				out = append(out, importProblem{Line: row.Line, Source: row.Source, Reason: n.In(p.Lang)})
			}
		}
	}
	return out
}
