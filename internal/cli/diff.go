package cli

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/policywatch/policywatch/internal/extract"
	"github.com/policywatch/policywatch/internal/textdiff"
	"github.com/policywatch/policywatch/internal/web"
)

func (a *app) diffCommand() *cobra.Command {
	var (
		format, color, lang string
		ignoreFormatting    bool
		context             int
	)
	cmd := &cobra.Command{
		Use:   "diff OLD NEW [--format text|json|html|patch]",
		Short: "Compare two versions of a policy (files: text, Markdown, HTML or PDF)",
		Long: `Compare two files line by line over their normalized text: inserted, deleted,
modified and moved lines with line numbers, and the exact characters changed
inside a modified line. HTML and PDF files are reduced to text first.

text marks changes as - + ~ (modified) > (moved) and [-old-]{+new+} inside a
line, coloured on a terminal; json is the contract's shape; html is a
self-contained page; patch is a unified diff.`,
		Args: exactArgs(2, "two files"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := formatFlag(color, "auto", "always", "never"); err != nil {
				return usagef("--color: %v", err)
			}
			oldText, newText, err := readPair(cmd, args[0], args[1], true)
			if err != nil {
				return err
			}
			res := textdiff.CompareLines(textdiff.Lines(oldText), textdiff.Lines(newText)) // read normalized
			switch format {
			case "json":
				// Streamed and compact: a 1 MB pair makes megabytes of JSON.
				return res.WriteJSON(a.stdout)
			case "html":
				return web.WriteDiffDocument(a.stdout, res, filepath.Base(args[0]), filepath.Base(args[1]), lang, ignoreFormatting)
			case "patch":
				return textdiff.WritePatch(a.stdout, res, "a/"+filepath.Base(args[0]), "b/"+filepath.Base(args[1]), context)
			}
			useColor := color == "always" || (color == "auto" && isTerminal(a.stdout) && environ("NO_COLOR") == "")
			return textdiff.WriteText(a.stdout, res, textdiff.TextOptions{Color: useColor, Context: context, IgnoreFormatting: ignoreFormatting})
		},
	}
	f := cmd.Flags()
	formatOption(cmd, &format, "text", "json", "html", "patch")
	f.StringVar(&color, "color", "auto", "auto, always or never (text format)")
	f.StringVar(&lang, "lang", "zh", "language of the html page: zh or en")
	f.BoolVar(&ignoreFormatting, "ignore-formatting", false, "hide changes of whitespace, wrapping and character width")
	f.IntVar(&context, "context", 3, "unchanged lines shown around each change (text, patch)")
	return cmd
}

// readDocument reads a file and reduces it to text as a check would.
func readDocument(cmd *cobra.Command, path string) (string, error) {
	return readText(cmd, path, false)
}

// readText is readDocument; normalized gives the text in normalize.Text
// form (what a comparison reads) instead of the readable form.
func readText(cmd *cobra.Command, path string, normalized bool) (string, error) {
	body, err := extract.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("cannot read %s: %w", path, unwrapPathError(err))
	}
	res, err := extract.Extract(cmd.Context(), extract.Input{Body: body, Name: path, BodyImmutable: true, Normalized: normalized})
	if err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return res.Text, nil
}
