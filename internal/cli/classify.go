package cli

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/policywatch/policywatch/internal/classify"
	"github.com/policywatch/policywatch/internal/extract"
)

// classifyLine is one line of `classify --format jsonl`.
type classifyLine struct {
	Text   string             `json:"text"`
	Labels []string           `json:"labels"`
	Scores map[string]float64 `json:"scores"`
	Risk   bool               `json:"risk"`
}

func (a *app) classifyCommand() *cobra.Command {
	var format string
	var alone bool
	cmd := &cobra.Command{
		Use:   "classify [FILE|-] [--format jsonl]",
		Short: "Label sentences with the CAPP-130 topics and flag risky ones",
		Long: `Read one sentence per line (a file, or standard input) and label each with the
11 CAPP-130 topics (collection, permission, sharing, usage, retention, security,
special_audience, rights, contact, policy_change, cessation) and a risk flag.

Lines are read as a document in order: each sentence is classified with the
lines before and after it and the heading of its section, as in a policy. Use
--alone when the lines are unrelated sentences.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usagef("classify takes at most one file")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			lines, err := a.classifyInput(cmd, args)
			if err != nil {
				return err
			}
			m, err := classify.Default()
			if err != nil {
				return err
			}
			return writeClassified(a.stdout, m, lines, format, alone)
		},
	}
	formatOption(cmd, &format, "text", "jsonl")
	cmd.Flags().BoolVar(&alone, "alone", false, "classify each line without its neighbours and section")
	return cmd
}

// classifyInput reads the sentences to classify as diff, analyze and facts
// read their files (readDocument): text in any encoding, Markdown, HTML or
// PDF reduced to one block a line, and content that is not a document
// (an image, an archive, other binary data) refused with the same error.
func (a *app) classifyInput(cmd *cobra.Command, args []string) ([]string, error) {
	var text string
	if len(args) == 1 && args[0] != "-" {
		var err error
		if text, err = readDocument(cmd, args[0]); err != nil {
			return nil, err
		}
	} else {
		body, err := io.ReadAll(a.stdin)
		if err != nil {
			return nil, fmt.Errorf("cannot read standard input: %w", err)
		}
		res, err := extract.Extract(cmd.Context(), extract.Input{Body: body})
		if err != nil {
			return nil, fmt.Errorf("standard input: %w", err)
		}
		text = res.Text
	}
	return readLines(strings.NewReader(text))
}

func readLines(r io.Reader) ([]string, error) {
	var out []string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		if line := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\uFEFF")); line != "" {
			out = append(out, line)
		}
	}
	return out, sc.Err()
}

func writeClassified(w io.Writer, m *classify.Model, lines []string, format string, alone bool) error {
	bw := bufio.NewWriter(w)
	sections := classify.Sections(lines)
	for i, line := range lines {
		s := classify.Sentence{Text: line}
		if !alone {
			s.Section = sections[i]
			if i > 0 {
				s.Prev = lines[i-1]
			}
			if i+1 < len(lines) {
				s.Next = lines[i+1]
			}
		}
		res := m.Classify(s)
		if format == "jsonl" {
			if err := writeCompactLine(bw, classifyLine{Text: line, Labels: res.Labels, Scores: rounded(res.Scores), Risk: res.Risk}); err != nil {
				return err
			}
			continue
		}
		risk := ""
		if res.Risk {
			risk = " [risk]"
		}
		fmt.Fprintf(bw, "%s%s\t%s\n", strings.Join(res.Labels, ","), risk, line)
	}
	return bw.Flush()
}

// rounded keeps scores to four decimals: more is noise.
func rounded(scores map[string]float64) map[string]float64 {
	out := make(map[string]float64, len(scores))
	for k, v := range scores {
		out[k] = float64(int(v*10000+0.5)) / 10000
	}
	return out
}
