package cli

import (
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/policywatch/policywatch/internal/facts"
	"github.com/policywatch/policywatch/internal/profile"
)

func (a *app) profileCommand() *cobra.Command {
	var format, lang string
	cmd := &cobra.Command{
		Use:   "profile FILE [--format json] [--lang zh|en]",
		Short: "Check a policy against the Chinese rules (operator, contact, account deletion, minors, …)",
		Long: `Read a policy and check it against what PIPL, GB/T 35273-2020 and the 2019
App rules ask a privacy policy to state: the handler, a contact, a way to
delete the account, answers within 15 working days, third parties and SDKs
with purposes and information, a minors' clause at 14, sensitive information
marked, storage location, cross-border transfer, dates. Each item passes or
fails with the line it rests on. Exit code 0 either way.`,
		Args: exactArgs(1, "one file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			text, err := readDocument(cmd, args[0])
			if err != nil {
				return err
			}
			p := profile.Build(text, facts.Extract(text), lang)
			if format == "json" {
				return writeJSON(a.stdout, p)
			}
			t := &table{}
			t.row("", "CHECK", "LINE", "DETAIL")
			for _, c := range p.Checks {
				mark, line := "✗", ""
				if c.Pass {
					mark = "✓"
				}
				if len(c.Lines) > 0 {
					line = strconv.Itoa(c.Lines[0])
				}
				t.row(mark, c.Title, line, c.Detail)
			}
			t.write(a.stdout)
			fmt.Fprintf(a.stdout, "%d/%d\n", p.Passed, len(p.Checks))
			return nil
		},
	}
	langOption(cmd, &lang, "zh or en")
	formatOption(cmd, &format, "text", "json")
	return cmd
}
