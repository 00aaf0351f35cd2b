package bulk

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/policywatch/policywatch"
)

// Columns are the keys a row may have, the first three required.
var Columns = []string{"url", "name", "platform", "kind", "select", "remove", "render", "every"}

const requiredColumns = 3

// RemoveSeparator separates several remove rules in one field.
const RemoveSeparator = '|'

// Read reads the rows of a CSV file with a header row or of JSON lines,
// told apart by their first character other than white space ('{' starts
// JSON lines). Text that is not UTF-8 is read as GB18030 (what Excel on a
// Chinese Windows saves). A file that cannot be read as a whole (no header,
// a required column missing, an unknown column) is an error of class
// ErrInvalid; each row's own problem is its Err.
func Read(r io.Reader) ([]Row, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		if decoded, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data); err == nil {
			data = decoded
		}
	}
	trimmed := bytes.TrimSpace(data)
	switch {
	case len(trimmed) == 0:
		return nil, policywatch.Errorl(policywatch.ErrInvalid, "bulk.empty")
	case trimmed[0] == '{':
		return readJSONLines(data)
	}
	return readCSV(data)
}

// row reads one row's fields, by column name, into a policy.
func row(line int, fields map[string]string, remove []string) Row {
	if remove == nil {
		remove = splitRemove(fields["remove"])
	}
	p, err := policywatch.PolicyInput{
		URL: fields["url"], Name: fields["name"], Platform: fields["platform"], Kind: fields["kind"],
		Select: fields["select"], Remove: remove, Render: fields["render"], Every: fields["every"],
	}.Policy()
	return Row{Line: line, Policy: p, Err: err}
}

// splitRemove splits a field of several remove rules at each separator
// outside an attribute selector's brackets, where "|" is CSS of its own:
// "[lang|=en]|.ad" is two rules.
func splitRemove(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	var rules []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '[':
			depth++
		case ']':
			depth = max(depth-1, 0)
		case RemoveSeparator:
			if depth == 0 {
				rules = append(rules, s[start:i])
				start = i + 1
			}
		}
	}
	return append(rules, s[start:])
}

func readCSV(data []byte) ([]Row, error) {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1 // a row of the wrong length is that row's problem
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err != nil {
		return nil, policywatch.Errorl(policywatch.ErrInvalid, "bulk.header.unreadable", err)
	}
	columns, err := readHeader(header)
	if err != nil {
		return nil, err
	}
	var rows []Row
	for {
		record, err := cr.Read()
		if err == io.EOF {
			break
		}
		var parseErr *csv.ParseError
		if errors.As(err, &parseErr) {
			// The reader goes on at the next line.
			rows = append(rows, Row{Line: parseErr.StartLine,
				Err: policywatch.Errorl(policywatch.ErrInvalid, "bulk.row.csv", parseErr.Err)})
			continue
		}
		if err != nil {
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		if len(record) != len(columns) {
			rows = append(rows, Row{Line: line,
				Err: policywatch.Errorl(policywatch.ErrInvalid, "bulk.row.fields", len(record), len(columns))})
			continue
		}
		fields := make(map[string]string, len(columns))
		for i, c := range columns {
			fields[c] = record[i]
		}
		rows = append(rows, row(line, fields, nil))
	}
	return rows, nil
}

// readHeader checks the header row: known columns, each once, the required
// ones present.
func readHeader(header []string) ([]string, error) {
	columns := make([]string, len(header))
	seen := map[string]bool{}
	for i, h := range header {
		c := strings.ToLower(strings.TrimSpace(h))
		if !known(c) {
			return nil, policywatch.Errorl(policywatch.ErrInvalid, "bulk.column.unknown", h, strings.Join(Columns, ","))
		}
		if seen[c] {
			return nil, policywatch.Errorl(policywatch.ErrInvalid, "bulk.column.twice", c)
		}
		seen[c] = true
		columns[i] = c
	}
	for _, c := range Columns[:requiredColumns] {
		if !seen[c] {
			return nil, policywatch.Errorl(policywatch.ErrInvalid, "bulk.column.missing", c)
		}
	}
	return columns, nil
}

func known(column string) bool {
	for _, c := range Columns {
		if c == column {
			return true
		}
	}
	return false
}

// maxLine bounds one JSON line (a policy's settings are a few hundred
// bytes).
const maxLine = 1 << 20

func readJSONLines(data []byte) ([]Row, error) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), maxLine)
	var rows []Row
	for line := 1; sc.Scan(); line++ {
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		rows = append(rows, jsonRow(line, text))
	}
	if err := sc.Err(); err != nil {
		return nil, policywatch.Errorl(policywatch.ErrInvalid, "bulk.row.toolong", len(rows)+1, maxLine)
	}
	return rows, nil
}

// jsonRow reads one line of JSON lines: an object with the columns' keys,
// each a string ("remove" also a list of strings).
func jsonRow(line int, text []byte) Row {
	var obj map[string]any
	if err := json.Unmarshal(text, &obj); err != nil {
		return Row{Line: line, Err: policywatch.Errorl(policywatch.ErrInvalid, "bulk.row.json", err)}
	}
	fields := map[string]string{}
	var remove []string
	for key, v := range obj {
		if !known(key) {
			return Row{Line: line, Err: policywatch.Errorl(policywatch.ErrInvalid, "bulk.key.unknown", key, strings.Join(Columns, ","))}
		}
		switch v := v.(type) {
		case string:
			fields[key] = v
		case nil:
		case []any:
			if key != "remove" {
				return Row{Line: line, Err: policywatch.Errorl(policywatch.ErrInvalid, "bulk.key.type", key)}
			}
			for _, x := range v {
				s, ok := x.(string)
				if !ok {
					return Row{Line: line, Err: policywatch.Errorl(policywatch.ErrInvalid, "bulk.key.type", key)}
				}
				remove = append(remove, s)
			}
		default:
			return Row{Line: line, Err: policywatch.Errorl(policywatch.ErrInvalid, "bulk.key.type", key)}
		}
	}
	return row(line, fields, remove)
}
