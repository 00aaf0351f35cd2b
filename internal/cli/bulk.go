package cli

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/bulk"
	"github.com/policywatch/policywatch/internal/jsonview"
)

// ---- add --from ----

// addFrom adds the policies of a CSV or JSON lines file.
func (a *app) addFrom(cmd *cobra.Command, from, format string) error {
	for _, flag := range []string{"name", "platform", "select", "remove", "render", "every", "kind"} {
		if cmd.Flags().Changed(flag) {
			return usagef("--%s cannot be used with --from: each row of the file gives its own settings", flag)
		}
	}
	in, closeIn, err := a.openInput(from)
	if err != nil {
		return err
	}
	defer closeIn()
	rows, err := bulk.Read(in)
	if err != nil {
		if policywatch.IsClass(err, policywatch.ErrInvalid) {
			return usageError{fmt.Errorf("%s: %w", from, err)}
		}
		return err
	}
	return a.addRows(cmd, rows, format)
}

// openInput opens a file, or standard input for "-".
func (a *app) openInput(name string) (io.Reader, func(), error) {
	if name == "-" {
		return a.stdin, func() {}, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, err
	}
	return f, func() { f.Close() }, nil
}

// addRows adds the rows in one transaction and reports: the rows skipped
// on stderr ("line N: reason", or "FILE: TYPE: reason" for declarations),
// the policies added on stdout; exit 1 when any row was skipped.
func (a *app) addRows(cmd *cobra.Command, rows []bulk.Row, format string) error {
	st, err := a.openStore(cmd.Context())
	if err != nil {
		return err
	}
	added, err := bulk.Add(cmd.Context(), st, rows)
	if err != nil {
		return fmt.Errorf("nothing added: %w", err)
	}
	for _, r := range rows {
		if r.Skipped() {
			fmt.Fprintf(a.stderr, "%s: %s\n", r.Where(), oneLine(r.Err.Error()))
			continue
		}
		for _, n := range r.Notes {
			fmt.Fprintf(a.stderr, "%s: note: %s\n", r.Where(), n)
		}
	}
	skipped := bulk.CountSkipped(rows)
	if format == "json" {
		if err := writeJSONList(a.stdout, added, jsonview.NewPolicy); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(a.stdout, "Added %d %s; %d skipped.\n", len(added), plural(len(added), "policy", "policies"), skipped)
	}
	if skipped > 0 {
		return reportedError{fmt.Sprintf("%d skipped", skipped)}
	}
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// ---- delete ----

func (a *app) deleteCommand() *cobra.Command {
	var (
		yes    bool
		format string
	)
	cmd := &cobra.Command{
		Use:   "delete ID --yes [--format json]",
		Short: "Remove a policy with its versions, checks and subscriptions",
		Long: `Remove a policy for good, with everything recorded about it: its snapshots,
versions, analyses, check runs, pending notifications, the subscriptions to it
and the deliveries about it. --yes confirms. json prints the policy as it was.`,
		Args: exactArgs(1, "a policy id"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !yes {
				return usagef("delete removes policy %s with its versions, checks and subscriptions for good: add --yes to do it", args[0])
			}
			p, st, err := a.openPolicy(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if err := st.DeletePolicy(cmd.Context(), p.ID); err != nil {
				return err
			}
			if format == "json" {
				return writeJSON(a.stdout, jsonview.NewPolicy(p))
			}
			fmt.Fprintf(a.stdout, "Deleted policy %d: %s / %s\n", p.ID, p.Platform, p.Name)
			return nil
		},
	}
	cmd.Flags().BoolVar(&yes, "yes", false, "confirm the deletion")
	formatOption(cmd, &format, "text", "json")
	return cmd
}

// ---- import-declarations ----

func (a *app) importDeclarationsCommand() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "import-declarations DIR",
		Short: "Add the terms of an Open Terms Archive collection's service declarations",
		Long: `Add the terms declared in an Open Terms Archive collection (DIR, or its
declarations folder): each service's name becomes the platform, each terms type
a policy named "<service> <terms type>" (privacy policies of kind privacy,
others terms), fetch its URL, select and remove its selectors,
executeClientScripts rendering in the browser. Filter functions and range
selectors in remove are left out (noted on stderr); terms selected only by
range selectors are skipped ("FILE: TYPE: reason"); terms combined from
several pages become one policy per page. As with add --from, everything is
added in one transaction, duplicates are skipped (a second import adds
nothing), and the exit code is 1 when anything was skipped.`,
		Example: `  git clone https://github.com/OpenTermsArchive/contrib-declarations
  policywatch import-declarations contrib-declarations`,
		Args: exactArgs(1, "a folder of declarations"),
		RunE: func(cmd *cobra.Command, args []string) error {
			rows, err := bulk.ReadDeclarations(args[0])
			if err != nil {
				if policywatch.IsClass(err, policywatch.ErrInvalid) {
					return usageError{err}
				}
				return err
			}
			return a.addRows(cmd, rows, format)
		},
	}
	formatOption(cmd, &format, "text", "json")
	return cmd
}
