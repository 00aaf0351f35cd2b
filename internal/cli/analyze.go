package cli

import (
	"errors"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/policywatch/policywatch/internal/analyze"
	"github.com/policywatch/policywatch/internal/facts"
	"github.com/policywatch/policywatch/internal/llm"
)

func (a *app) analyzeCommand() *cobra.Command {
	var format, lang, title, engine string
	cmd := &cobra.Command{
		Use:   "analyze OLD NEW [--format md|json] [--lang zh|en]",
		Short: "Explain what changed between two versions of a policy",
		Long: `Compare two files (text, Markdown, HTML or PDF) and explain each change: the
clause topics it touches, the facts it adds and removes, whether it is
substantive or editorial, which way it moves users' position, and its impact;
then an overall level (none, editorial, minor, substantive, major) by the rules
documented in the analyze package. md is the report in the seed's structure;
json is the contract's shape.`,
		Args: exactArgs(2, "two files"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if engine != "auto" && engine != "builtin" {
				return usagef("unknown engine %q: want auto or builtin", engine)
			}
			oldText, newText, err := readPair(cmd, args[0], args[1], false)
			if err != nil {
				return err
			}
			var analyzer analyze.Analyzer = analyze.Builtin{}
			if engine == "auto" {
				analyzer = a.analyzer()
			}
			report, err := analyzer.Analyze(cmd.Context(), oldText, newText, analyze.Options{Lang: lang})
			if err != nil {
				return err
			}
			if format == "json" {
				return writeJSON(a.stdout, report)
			}
			if title == "" {
				title = strings.TrimSuffix(filepath.Base(args[1]), filepath.Ext(args[1]))
			}
			return report.WriteMarkdown(a.stdout, analyze.MarkdownOptions{Title: title, Heading: true,
				From: filepath.Base(args[0]), To: filepath.Base(args[1])})
		},
	}
	f := cmd.Flags()
	langOption(cmd, &lang, "language of the report: zh or en")
	formatOption(cmd, &format, "md", "json")
	f.StringVar(&engine, "engine", "auto", "auto (the configured model, if any, writes the prose) or builtin")
	f.StringVar(&title, "title", "", "the policy's name for the report's heading (default: NEW's file name)")
	return cmd
}

// factsOutput is `facts --format json`.
type factsOutput struct {
	Facts []facts.Fact `json:"facts"`
}

func (a *app) factsCommand() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "facts FILE [--format json]",
		Short: "List the facts a policy states (operator, third parties, SDKs, personal information, …)",
		Long: `Read a policy (text, Markdown, HTML or PDF) and list what it states: operator,
third parties, SDKs, personal information (GB/T 35273-2020 categories, sensitive
ones flagged), permissions, users' rights, retention, storage location,
cross-border transfer, minors' age thresholds, contacts, response time and
dates, each in the policy's own wording with its line.`,
		Args: exactArgs(1, "one file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			text, err := readDocument(cmd, args[0])
			if err != nil {
				return err
			}
			fs := facts.Extract(text)
			if fs == nil {
				fs = []facts.Fact{}
			}
			if format == "json" {
				return writeJSON(a.stdout, factsOutput{Facts: fs})
			}
			t := &table{}
			t.row("LINE", "TYPE", "VALUE")
			for _, f := range fs {
				value := f.Value
				if f.IsSensitive() {
					value += " [敏感]"
				}
				if f.Stated != "" {
					value += " (" + f.Stated + ")"
				}
				t.row(strconv.Itoa(f.Line), string(f.Type), value)
			}
			t.write(a.stdout)
			return nil
		},
	}
	formatOption(cmd, &format, "text", "json")
	return cmd
}

// readPair reads and extracts two documents concurrently, normalized as
// readText says.
func readPair(cmd *cobra.Command, oldPath, newPath string, normalized bool) (string, string, error) {
	var oldText string
	var oldErr error
	done := make(chan struct{})
	go func() {
		oldText, oldErr = readText(cmd, oldPath, normalized)
		close(done)
	}()
	newText, newErr := readText(cmd, newPath, normalized)
	<-done
	return oldText, newText, errors.Join(oldErr, newErr)
}

// analyzer is the configured analysis engine: a model for the prose when
// one is configured, the built-in analysis otherwise.
func (a *app) analyzer() analyze.Analyzer {
	if a.llm != nil {
		return a.llm
	}
	if !a.cfg.LLM.enabled() {
		return analyze.Builtin{}
	}
	a.llm = llm.New(llm.Config{BaseURL: a.cfg.LLM.BaseURL, APIKey: a.cfg.LLM.APIKey, Model: a.cfg.LLM.Model,
		Timeout: a.cfg.LLM.Timeout, Logger: a.logger})
	return a.llm
}
