// Package bulk registers many policies at once: the rows of a CSV or JSON
// lines file (`policywatch add --from`, the web import form) and the terms of
// Open Terms Archive service declarations (`policywatch import-declarations`).
// Each row is read into a policy by the root package's rules
// (policywatch.PolicyInput), and the valid ones are added in one transaction
// (policywatch.Store.CreatePolicies), which refuses duplicates of stored
// policies and of earlier rows; every other row is reported with its reason.
package bulk

import (
	"context"
	"fmt"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/locale"
)

// Row is one policy to add: where it was read, the policy, and why it is
// skipped, if it is.
type Row struct {
	// Line is the row's line in the file (the header is line 1); Source,
	// for declarations, is the file and the terms type instead.
	Line   int
	Source string
	Policy *policywatch.Policy // nil when the row could not be read
	Err    error               // why the row is skipped; nil for rows added
	// Notes say what of a declaration was left out of a policy added all
	// the same (filters, range selectors).
	Notes []Note
}

// Note is a remark on a row, in any language the catalogue speaks.
type Note struct {
	key  string
	args []any
}

// In is the note in lang ("zh" or "en").
func (n Note) In(lang string) string { return locale.NewPrinter(lang).Printf(n.key, n.args...) }

// String is the note in English, as the command line prints it.
func (n Note) String() string { return n.In("en") }

// Where names the row for a person: "line 3", or "Facebook.json: Privacy
// Policy".
func (r Row) Where() string {
	if r.Source != "" {
		return r.Source
	}
	return fmt.Sprintf("line %d", r.Line)
}

// Skipped reports whether the row was not added.
func (r Row) Skipped() bool { return r.Err != nil }

// Add adds the rows that were read without error in one transaction. A row
// the store refuses as a duplicate gets its error; the policies added are
// returned in the rows' order. When the transaction fails nothing is
// added, the rows are left as they were, and the error is returned.
func Add(ctx context.Context, st policywatch.Store, rows []Row) ([]*policywatch.Policy, error) {
	var (
		ps    []*policywatch.Policy
		index []int
	)
	for i, r := range rows {
		if r.Err == nil && r.Policy != nil {
			ps = append(ps, r.Policy)
			index = append(index, i)
		}
	}
	if len(ps) == 0 {
		return nil, nil
	}
	skipped, err := st.CreatePolicies(ctx, ps)
	if err != nil {
		return nil, err
	}
	var added []*policywatch.Policy
	for k, i := range index {
		if skipped[k] != nil {
			rows[i].Err = skipped[k]
			continue
		}
		added = append(added, ps[k])
	}
	return added, nil
}

// CountSkipped is the number of rows not added.
func CountSkipped(rows []Row) int {
	n := 0
	for _, r := range rows {
		if r.Skipped() {
			n++
		}
	}
	return n
}
