package cli

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/jsonview"
	"github.com/policywatch/policywatch/internal/normalize"
	"github.com/policywatch/policywatch/internal/track"
)

// ---- add ----

func (a *app) addCommand() *cobra.Command {
	var (
		name, platform, sel, render, every, kind, format string
		remove                                           []string
		from                                             string
	)
	cmd := &cobra.Command{
		Use:   "add (URL --name NAME --platform PLATFORM | --from FILE)",
		Short: "Register a policy to track, or many from a file",
		Long: `Register a policy to track, or with --from many at once: FILE (or - for
standard input) is CSV whose header row names at least url,name,platform and
optionally kind,select,remove,render,every (several remove rules separated
by |), or JSON lines with the same keys. The valid rows are added in one
transaction; each invalid or duplicate row (same URL, or same platform and
name, as a stored policy or an earlier row) is reported on stderr as
"line N: reason" and skipped, and the exit code is then 1.`,
		Example: `  policywatch add https://www.example.com/privacy --name "隐私政策" --platform "示例"
  policywatch add https://app.example.com/#/privacy --name "隐私政策" --platform "示例" --render browser --every 12h
  policywatch add --from policies.csv --format json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if from != "" {
				return exactArgs(0, "no URL with --from")(cmd, args)
			}
			return exactArgs(1, "a URL")(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if from != "" {
				return a.addFrom(cmd, from, format)
			}
			p, err := newPolicyFromFlags(args[0], name, platform, sel, remove, render, every, kind)
			if err != nil {
				return err
			}
			st, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			if err := st.CreatePolicy(cmd.Context(), p); err != nil {
				return err
			}
			if format == "json" {
				return writeJSON(a.stdout, jsonview.NewPolicy(p))
			}
			fmt.Fprintf(a.stdout, "Added policy %d: %s / %s\n  %s\nRun `policywatch check %d` to fetch it now.\n",
				p.ID, p.Platform, p.Name, p.URL, p.ID)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&name, "name", "", "name of the policy, e.g. 隐私政策 (required)")
	f.StringVar(&platform, "platform", "", "company or app that publishes it (required)")
	f.StringVar(&sel, "select", "", "CSS selector of the policy text on the page")
	f.StringArrayVar(&remove, "remove", nil, "CSS selector of parts to drop (repeatable)")
	f.StringVar(&render, "render", "auto", "auto, http or browser (headless Chromium)")
	f.StringVar(&every, "every", "24h", "check interval, e.g. 12h or 7d")
	f.StringVar(&kind, "kind", "privacy", "privacy, children, sdk or terms")
	formatOption(cmd, &format, "text", "json")
	f.StringVar(&from, "from", "", "add the policies of a CSV or JSON lines file (- for standard input)")
	return cmd
}

func newPolicyFromFlags(url, name, platform, sel string, remove []string, render, every, kind string) (*policywatch.Policy, error) {
	p, err := policywatch.PolicyInput{URL: url, Name: name, Platform: platform, Kind: kind, Select: sel,
		Remove: remove, Render: render, Every: every}.Policy()
	if err != nil {
		return nil, usageError{err}
	}
	return p, nil
}

func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usagef("%s needs %s (see `policywatch %s --help`)", cmd.Name(), what, cmd.Name())
		}
		return nil
	}
}

// ---- list ----

func (a *app) listCommand() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List tracked policies with their status and last error",
		Args:  exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			policies, err := st.ListPolicies(cmd.Context())
			if err != nil {
				return err
			}
			if format == "json" {
				return writeJSONList(a.stdout, policies, jsonview.NewListItem)
			}
			if len(policies) == 0 {
				fmt.Fprintln(a.stdout, "No policies yet. Add one with `policywatch add URL --name NAME --platform PLATFORM`.")
				return nil
			}
			var t table
			t.row("ID", "PLATFORM", "NAME", "VERSIONS", "LAST CHECKED", "LAST CHANGED", "STATUS", "LAST ERROR")
			for _, p := range policies {
				lastErr := "-"
				if p.LastError != "" {
					lastErr = truncate(fmt.Sprintf("[%s] %s", p.LastErrorClass, p.LastError), 70)
				}
				t.row(fmt.Sprint(p.ID), truncate(p.Platform, 16), truncate(p.Name, 28), fmt.Sprint(p.Versions),
					localTime(p.LastCheckedAt, a.cfg.Zone), localTime(p.LastChangedAt, a.cfg.Zone), string(p.Status), lastErr)
			}
			t.write(a.stdout)
			return nil
		},
	}
	formatOption(cmd, &format, "text", "json")
	return cmd
}

// ---- check ----

func (a *app) checkCommand() *cobra.Command {
	var (
		all         bool
		format      string
		concurrency int
	)
	cmd := &cobra.Command{
		Use:   "check (ID... | --all)",
		Short: "Fetch policies now and record new versions",
		Long: `Fetch policies now. A new version is recorded only when the words changed;
bot walls, error pages, empty pages and truncated downloads are failures.
--all checks every policy that is not paused. The exit code is 1 when any
check failed.

The notifications of the changes found (and failing/recovered alerts) are
sent before the command exits; one that cannot be delivered is said on
stderr and left for ` + "`serve` or `worker`" + ` to retry, without changing
the exit code.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if all == (len(args) > 0) {
				return usagef("check needs policy ids or --all (not both)")
			}
			ids, err := parseIDs(args)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			checker, closeBrowser, err := a.checker(ctx)
			if err != nil {
				return err
			}
			defer closeBrowser()
			if all {
				if ids, err = a.checkableIDs(cmd); err != nil {
					return err
				}
			} else if err := a.mustExist(cmd, ids); err != nil {
				return err
			}
			bar := newProgress(a.stdout, a.stderr, len(ids), all && format == "text")
			outcomes := checker.CheckMany(ctx, ids, concurrency, bar.add)
			bar.finish()
			err = a.reportChecks(outcomes, format)
			a.announce(ctx, checker, outcomes, format)
			return err
		},
	}
	f := cmd.Flags()
	f.BoolVar(&all, "all", false, "check every policy that is not paused")
	formatOption(cmd, &format, "text", "json")
	f.IntVar(&concurrency, "concurrency", 8, "checks at a time (each host still gets one request at a time)")
	return cmd
}

func parseIDs(args []string) ([]int64, error) {
	ids := make([]int64, 0, len(args))
	for _, a := range args {
		id, err := policywatch.ParseID(a)
		if err != nil {
			return nil, usageError{err}
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func (a *app) checkableIDs(cmd *cobra.Command) ([]int64, error) {
	policies, err := a.store.ListPolicies(cmd.Context())
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, p := range policies {
		if p.Status != policywatch.StatusPaused && p.URL != "" {
			ids = append(ids, p.ID)
		}
	}
	return ids, nil
}

// mustExist fails before any fetching when an id is unknown.
func (a *app) mustExist(cmd *cobra.Command, ids []int64) error {
	for _, id := range ids {
		if _, err := a.store.FindPolicy(cmd.Context(), id); err != nil {
			return err
		}
	}
	return nil
}

func (a *app) reportChecks(outcomes []track.Outcome, format string) error {
	failed := 0
	counts := map[policywatch.Result]int{}
	for _, o := range outcomes {
		counts[o.Result]++
		if o.Result == policywatch.ResultFailed {
			failed++
		}
	}
	if format == "json" {
		if err := writeJSONList(a.stdout, outcomes, track.Outcome.JSON); err != nil {
			return err
		}
	} else {
		for _, o := range outcomes {
			switch o.Result {
			case policywatch.ResultFailed:
				fmt.Fprintf(a.stdout, "%d %s: failed [%s] %s\n", o.PolicyID, o.Policy, o.ErrorClass, o.Error)
			case policywatch.ResultUnchanged:
				fmt.Fprintf(a.stdout, "%d %s: unchanged (version %d)\n", o.PolicyID, o.Policy, o.VersionID)
			default:
				fmt.Fprintf(a.stdout, "%d %s: %s → version %d\n", o.PolicyID, o.Policy, o.Result, o.VersionID)
			}
		}
		if len(outcomes) > 1 {
			fmt.Fprintf(a.stdout, "%d checked: %d first, %d changed, %d unchanged, %d failed\n", len(outcomes),
				counts[policywatch.ResultFirst], counts[policywatch.ResultChanged], counts[policywatch.ResultUnchanged], failed)
		}
	}
	if failed > 0 {
		return reportedError{fmt.Sprintf("%d of %d checks failed", failed, len(outcomes))}
	}
	return nil
}

// ---- versions ----

func (a *app) versionsCommand() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "versions ID",
		Short: "List a policy's versions, oldest first",
		Args:  exactArgs(1, "a policy id"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, st, err := a.openWithID(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			versions, err := st.ListVersions(cmd.Context(), id)
			if err != nil {
				return err
			}
			if format == "json" {
				return writeJSONList(a.stdout, versions, jsonview.NewVersion)
			}
			if len(versions) == 0 {
				fmt.Fprintf(a.stdout, "Policy %d has no versions yet; run `policywatch check %d`.\n", id, id)
				return nil
			}
			var t table
			t.row("ID", "CAPTURED", "CHARS", "SHA256", "SOURCE")
			for _, v := range versions {
				t.row(fmt.Sprint(v.ID), localTime(v.CapturedAt, a.cfg.Zone), fmt.Sprint(v.Chars), v.SHA256[:12], string(v.Source))
			}
			t.write(a.stdout)
			return nil
		},
	}
	formatOption(cmd, &format, "text", "json")
	return cmd
}

// ---- show ----

func (a *app) showCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "show VERSION_ID",
		Short: "Print a version's normalized text",
		Args:  exactArgs(1, "a version id"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, st, err := a.openWithID(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			v, err := st.FindVersion(cmd.Context(), id)
			if err != nil {
				return err
			}
			_, err = fmt.Fprint(a.stdout, normalize.Text(v.Text))
			return err
		},
	}
}

// ---- import ----

type importJSON struct {
	PolicyID   string `json:"policy_id"`
	VersionID  string `json:"version_id"`
	Result     string `json:"result"`
	CapturedAt string `json:"captured_at"`
	Created    bool   `json:"created"`
}

func (a *app) importCommand() *cobra.Command {
	var name, platform, date, url, format string
	cmd := &cobra.Command{
		Use:   "import --name NAME --platform PLATFORM --date YYYY-MM-DD[THH:MM] FILE",
		Short: "Record a file (text, Markdown, HTML or PDF) as a version captured at a date",
		Long: `Back-fill history: record FILE as a version of the policy NAME on PLATFORM,
captured at DATE (local time unless the date carries a zone). The policy is
created if it does not exist. A file with the same words as the version
captured just before it is not recorded again.`,
		Args: exactArgs(1, "a FILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if strings.TrimSpace(name) == "" || strings.TrimSpace(platform) == "" {
				return usagef("import needs --name and --platform")
			}
			at, err := parseDate(date, a.cfg.Zone)
			if err != nil {
				return err
			}
			if err := policywatch.CheckCapturedAt(at, time.Now()); err != nil {
				return usagef("--date: %v", err)
			}
			body, err := os.ReadFile(args[0])
			if err != nil {
				return fmt.Errorf("cannot read %s: %w", args[0], unwrapPathError(err))
			}
			checker, closeBrowser, err := a.checker(cmd.Context())
			if err != nil {
				return err
			}
			defer closeBrowser()
			out, err := checker.Import(cmd.Context(), track.ImportRequest{
				Platform: strings.TrimSpace(platform), Name: strings.TrimSpace(name), URL: url,
				CapturedAt: at, FileName: args[0], Body: body,
			})
			if err != nil {
				return err
			}
			if format == "json" {
				return writeJSON(a.stdout, importJSON{PolicyID: policywatch.FormatID(out.PolicyID),
					VersionID: policywatch.FormatID(out.VersionID), Result: string(out.Result),
					CapturedAt: at.UTC().Format(time.RFC3339), Created: out.Created})
			}
			if out.Result == policywatch.ResultUnchanged {
				fmt.Fprintf(a.stdout, "Same words as version %d of policy %d; nothing recorded.\n", out.VersionID, out.PolicyID)
				return nil
			}
			fmt.Fprintf(a.stdout, "Recorded version %d of policy %d (%s), captured %s.\n", out.VersionID, out.PolicyID, out.Result, localTime(at, a.cfg.Zone))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&name, "name", "", "name of the policy (required)")
	f.StringVar(&platform, "platform", "", "company or app (required)")
	f.StringVar(&date, "date", "", "capture date, YYYY-MM-DD or YYYY-MM-DDTHH:MM (required)")
	f.StringVar(&url, "url", "", "the policy's URL, if it is created by this import")
	formatOption(cmd, &format, "text", "json")
	return cmd
}

// parseDate reads --date: YYYY-MM-DD, YYYY-MM-DDTHH:MM (in zone), or a
// full RFC 3339 time.
func parseDate(s string, zone *time.Location) (time.Time, error) {
	if s == "" {
		return time.Time{}, usagef("--date is required (YYYY-MM-DD or YYYY-MM-DDTHH:MM)")
	}
	for _, layout := range []string{"2006-01-02", "2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, zone); err == nil {
			return t, nil
		}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, usagef("--date %q: want YYYY-MM-DD or YYYY-MM-DDTHH:MM", s)
}

func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
