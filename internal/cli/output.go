package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/text/width"
)

// formatFlag validates --format against the formats a command offers.
func formatFlag(value string, allowed ...string) error {
	if slices.Contains(allowed, value) {
		return nil
	}
	return usagef("unknown format %q: want %s", value, strings.Join(allowed, " or "))
}

// formatOption gives cmd a --format flag taking one of formats (the first
// by default), checked before the command runs.
func formatOption(cmd *cobra.Command, format *string, formats ...string) {
	cmd.Flags().StringVar(format, "format", formats[0], orList(formats))
	checkBeforeRun(cmd, func() error { return formatFlag(*format, formats...) })
}

// langOption gives cmd a --lang flag, zh (the default) or en, checked
// before the command runs.
func langOption(cmd *cobra.Command, lang *string, usage string) {
	cmd.Flags().StringVar(lang, "lang", "zh", usage)
	checkBeforeRun(cmd, func() error { return langFlag(*lang) })
}

// checkBeforeRun makes cmd stop at check's error before it runs; the check
// added last runs first.
func checkBeforeRun(cmd *cobra.Command, check func() error) {
	run := cmd.RunE
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if err := check(); err != nil {
			return err
		}
		return run(cmd, args)
	}
}

// orList is "a, b or c".
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// writeJSONList writes items as a JSON array of their views, [] when there
// are none.
func writeJSONList[T, V any](w io.Writer, items []T, view func(T) V) error {
	out := make([]V, 0, len(items))
	for _, item := range items {
		out = append(out, view(item))
	}
	return writeJSON(w, out)
}

// writeJSON writes v as indented JSON with a trailing newline; HTML
// characters stay readable (policy text is full of < and &).
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeCompactLine writes v as one line of JSON.
func writeCompactLine(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// localTime renders a time for people: in the configured zone, to the minute.
func localTime(t time.Time, zone *time.Location) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(zone).Format("2006-01-02 15:04")
}

// table prints aligned columns, counting CJK characters as two columns
// wide (text/tabwriter counts them as one and misaligns Chinese).
type table struct {
	rows [][]string
}

func (t *table) row(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) write(w io.Writer) {
	var widths []int
	for _, r := range t.rows {
		for i, c := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], displayWidth(c))
		}
	}
	for _, r := range t.rows {
		var b strings.Builder
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-displayWidth(c)+2))
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// truncate shortens s to at most n display columns.
func truncate(s string, n int) string {
	if displayWidth(s) <= n {
		return s
	}
	var b strings.Builder
	w := 0
	for _, r := range s {
		rw := displayWidth(string(r))
		if w+rw > n-1 {
			break
		}
		b.WriteRune(r)
		w += rw
	}
	return b.String() + "…"
}

// langFlag checks a --lang value.
func langFlag(lang string) error {
	if lang != "zh" && lang != "en" {
		return usagef("unknown language %q: want zh or en", lang)
	}
	return nil
}
