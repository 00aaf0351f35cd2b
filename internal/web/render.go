package web

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strings"

	"github.com/policywatch/policywatch"
)

//go:embed templates/*.html
var templateFS embed.FS

// parseTemplates parses each page template together with the layout.
func parseTemplates() (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"add":       func(a, b int) int { return a + b },
		"join":      strings.Join,
		"levelName": policywatch.Level.Label,
		"deref":     func(b *bool) bool { return b != nil && *b },
		// pathEscape makes a value one segment of a path (/platforms/{name}).
		"pathEscape": url.PathEscape,
		// shownStatus: the status a policy list shows (failure.go).
		"shownStatus": shownStatus,
		// pair passes two values to a sub-template (the page and an item).
		"pair": func(a, b any) struct{ A, B any } { return struct{ A, B any }{a, b} },
	}
	base, err := template.New("").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/diff.html", "templates/parts.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if name == "layout" || name == "diff" || name == "parts" {
			continue
		}
		t, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := t.ParseFS(templateFS, n); err != nil {
			return nil, err
		}
		out[name] = t
	}
	return out, nil
}

// render executes a page template into a buffer first, so that a template
// error never sends half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	t, ok := s.pages[name]
	if !ok {
		s.log.Error("no such template", "name", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		s.log.Error("template", "name", name, "err", err)
		http.Error(w, p.T("error.internal"), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Language", map[string]string{"zh": "zh-CN", "en": "en"}[p.Lang])
	w.Header().Add("Vary", "Accept-Language, Cookie")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// renderOK answers 200 with the page template name, titled title and
// showing data; it returns what a page handler returns when all went well.
func (s *Server) renderOK(w http.ResponseWriter, r *http.Request, p *page, name, title string, data any) error {
	p.Title, p.Data = title, data
	s.render(w, r, http.StatusOK, name, p)
	return nil
}

// renderError answers with the error page.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, p *page, status int, msg string) {
	p.Title = statusTitle(p, status)
	p.Data = msg
	s.render(w, r, status, "error", p)
}

// notFound answers with the not-found page.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request, p *page) error {
	s.renderError(w, r, p, http.StatusNotFound, p.T("error.notfound"))
	return nil
}

// fail answers an error with the error page: the status and message of
// its class in the error table (errors.go). The server's own failures are
// logged.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, p *page, err error) {
	reply := replyTo(err)
	if reply == internalError {
		s.logRequestError(r, "request failed", "path", r.URL.Path, "err", err)
	}
	s.renderError(w, r, p, reply.status, reply.message(p, err))
}
