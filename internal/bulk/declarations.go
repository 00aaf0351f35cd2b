package bulk

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/policywatch/policywatch"
)

// Open Terms Archive service declarations
// (https://docs.opentermsarchive.org/terms/reference/, the engine's
// declarations loader): one JSON file per service in a collection's
// declarations/ folder,
//
//	{"name": "Facebook", "terms": {"Privacy Policy": {"fetch": URL, "select": …,
//	  "remove": …, "executeClientScripts": true, "filter": ["jsFunction"]}}}
//
// ("documents" instead of "terms" before the engine's v1). select and remove
// are a CSS selector, a range selector ({"startBefore"|"startAfter": CSS,
// "endBefore"|"endAfter": CSS}) or a list of them; terms spread over several
// pages list their sources under "combine", sharing the settings given
// beside it. Beside each declaration may lie NAME.history.json (the
// declarations of the past) and NAME.filters.js (the filter functions): both
// are ignored.

// declaration is one service's file.
type declaration struct {
	Name      string                     `json:"name"`
	Terms     map[string]json.RawMessage `json:"terms"`
	Documents map[string]json.RawMessage `json:"documents"` // the name of "terms" before the engine's v1
}

// sourceDocument is a page of terms, or the terms of several pages with
// the settings they share.
type sourceDocument struct {
	Fetch                string           `json:"fetch"`
	Select               json.RawMessage  `json:"select"`
	Remove               json.RawMessage  `json:"remove"`
	ExecuteClientScripts *bool            `json:"executeClientScripts"`
	Filter               []string         `json:"filter"`
	Combine              []sourceDocument `json:"combine"`
}

// inherit fills what a source of combined terms leaves out from the
// settings of the terms.
func (d sourceDocument) inherit(from sourceDocument) sourceDocument {
	if d.Select == nil {
		d.Select = from.Select
	}
	if d.Remove == nil {
		d.Remove = from.Remove
	}
	if d.ExecuteClientScripts == nil {
		d.ExecuteClientScripts = from.ExecuteClientScripts
	}
	if d.Filter == nil {
		d.Filter = from.Filter
	}
	return d
}

// ReadDeclarations reads the service declarations of an Open Terms Archive
// collection: dir is the collection (holding declarations/) or its
// declarations folder. Each terms type of each service becomes one row: the
// service's name is the platform, "<service> <terms type>" the name, fetch
// the URL, the CSS selectors of select and remove the policy's, and
// executeClientScripts rendering in the browser. Terms combined from
// several pages become one policy per page ("… (2/3)"). What a policy
// cannot express is left out with a note (filters, range selectors in
// remove) or, when the terms would not be the same without it (select
// given only as range selectors), the terms are skipped with the reason.
func ReadDeclarations(dir string) ([]Row, error) {
	if sub := filepath.Join(dir, "declarations"); isDir(sub) {
		dir = sub
	}
	if !isDir(dir) {
		return nil, policywatch.Errorl(policywatch.ErrInvalid, "ota.nodir", dir)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var rows []Row
	for _, f := range files {
		if IsDeclaration(f) {
			rows = append(rows, readDeclaration(f)...)
		}
	}
	return rows, nil
}

// IsDeclaration reports a file name a collection gives a service's
// declaration (Facebook.json), not its history (Facebook.history.json) or
// its filters (Facebook.filters.js).
func IsDeclaration(name string) bool {
	return strings.HasSuffix(name, ".json") && !strings.HasSuffix(name, ".history.json")
}

func isDir(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}

// readDeclaration is the rows of one service's file; a file that cannot be
// read is one row with the reason.
func readDeclaration(path string) []Row {
	data, err := os.ReadFile(path)
	if err != nil {
		return []Row{{Source: filepath.Base(path), Err: err}}
	}
	return ReadDeclaration(filepath.Base(path), data)
}

// ReadDeclaration is the rows of one service's declaration, the content
// of the file named file (as ReadDeclarations reads each file of a
// collection); a declaration that cannot be read is one row with the
// reason.
func ReadDeclaration(file string, data []byte) []Row {
	fail := func(err error) []Row { return []Row{{Source: file, Err: err}} }
	var d declaration
	if err := json.Unmarshal(data, &d); err != nil {
		return fail(policywatch.Errorl(policywatch.ErrInvalid, "ota.json", err))
	}
	terms := d.Terms
	if terms == nil {
		terms = d.Documents
	}
	service := strings.TrimSpace(d.Name)
	switch {
	case service == "":
		return fail(policywatch.Errorl(policywatch.ErrInvalid, "ota.noname"))
	case len(terms) == 0:
		return fail(policywatch.Errorl(policywatch.ErrInvalid, "ota.noterms"))
	}
	types := make([]string, 0, len(terms))
	for t := range terms {
		types = append(types, t)
	}
	sort.Strings(types)
	var rows []Row
	for _, t := range types {
		source := file + ": " + t
		var doc sourceDocument
		if err := json.Unmarshal(terms[t], &doc); err != nil {
			rows = append(rows, Row{Source: source, Err: policywatch.Errorl(policywatch.ErrInvalid, "ota.json", err)})
			continue
		}
		if len(doc.Combine) == 0 {
			rows = append(rows, termsRow(source, service, service+" "+t, t, doc))
			continue
		}
		for i, part := range doc.Combine {
			n := fmt.Sprintf("%d/%d", i+1, len(doc.Combine))
			rows = append(rows, termsRow(source+" ("+n+")", service, service+" "+t+" ("+n+")", t, part.inherit(doc)))
		}
	}
	return rows
}

// termsRow reads one source document into a policy.
func termsRow(source, service, name, termsType string, doc sourceDocument) Row {
	r := Row{Source: source}
	if strings.TrimSpace(doc.Fetch) == "" {
		r.Err = policywatch.Errorl(policywatch.ErrInvalid, "ota.nofetch")
		return r
	}
	sel, selRanges, err := selectors(doc.Select)
	if err != nil {
		r.Err = err
		return r
	}
	if selRanges > 0 && len(sel) == 0 {
		r.Err = policywatch.Errorl(policywatch.ErrInvalid, "ota.select.range")
		return r
	}
	if selRanges > 0 {
		r.Notes = append(r.Notes, note("ota.note.selectrange"))
	}
	remove, removeRanges, err := selectors(doc.Remove)
	if err != nil {
		r.Err = err
		return r
	}
	if removeRanges > 0 {
		r.Notes = append(r.Notes, note("ota.note.removerange"))
	}
	if len(doc.Filter) > 0 {
		r.Notes = append(r.Notes, note("ota.note.filters", strings.Join(doc.Filter, ", ")))
	}
	render := string(policywatch.RenderAuto)
	if doc.ExecuteClientScripts != nil && *doc.ExecuteClientScripts {
		render = string(policywatch.RenderBrowser)
	}
	r.Policy, r.Err = policywatch.PolicyInput{
		URL: doc.Fetch, Name: name, Platform: service, Kind: string(KindOfTermsType(termsType)),
		// A list of selectors selects what any of them selects: a selector group.
		Select: strings.Join(sel, ", "), Remove: remove, Render: render,
	}.Policy()
	return r
}

func note(key string, args ...any) Note { return Note{key: key, args: args} }

// selectors reads a select or remove value: its CSS selectors, and how many
// range selectors it had.
func selectors(raw json.RawMessage) (css []string, ranges int, err error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, 0, nil
	}
	var list []json.RawMessage
	if raw[0] == '[' {
		if err := json.Unmarshal(raw, &list); err != nil {
			return nil, 0, policywatch.Errorl(policywatch.ErrInvalid, "ota.json", err)
		}
	} else {
		list = []json.RawMessage{raw}
	}
	for _, item := range list {
		var s string
		if err := json.Unmarshal(item, &s); err == nil {
			if s = strings.TrimSpace(s); s != "" {
				css = append(css, s)
			}
			continue
		}
		var rng map[string]string
		if err := json.Unmarshal(item, &rng); err != nil {
			return nil, 0, policywatch.Errorl(policywatch.ErrInvalid, "ota.selector", string(item))
		}
		ranges++
	}
	return css, ranges, nil
}

// KindOfTermsType maps an Open Terms Archive terms type
// (github.com/OpenTermsArchive/terms-types) to a kind of policy: the
// privacy policies and the terms of service and of sale; every other type
// (community guidelines, imprint, …) is tracked as terms, its type kept in
// the policy's name.
func KindOfTermsType(termsType string) policywatch.Kind {
	t := strings.ToLower(termsType)
	switch {
	case strings.Contains(t, "child") || strings.Contains(t, "minor"):
		return policywatch.KindChildren
	case strings.Contains(t, "privacy") || t == "trackers policy" || strings.Contains(t, "cookie"):
		return policywatch.KindPrivacy
	}
	return policywatch.KindTerms
}
