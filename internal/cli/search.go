package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/jsonview"
)

// searchLimit is the command's default number of hits: a program reading
// the JSON gets every hit of any phrase but the commonest words.
const searchLimit = 1000

func (a *app) searchCommand() *cobra.Command {
	var (
		format string
		q      policywatch.SearchQuery
	)
	cmd := &cobra.Command{
		Use:   "search QUERY",
		Short: "Find a word or phrase in the current version of every policy",
		Long: `Finds the lines of the policies' current versions (every version with
--all-versions) that contain QUERY: Chinese character by character, without
word segmentation; letters in any case. Lines are numbered over the normalized
text, as ` + "`show`" + ` prints it. Each hit says which version of its policy first
contained the phrase and whether every later version has.`,
		Args: exactArgs(1, "a word or phrase"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if q.Limit < 0 || q.Offset < 0 {
				return usagef("--limit and --offset cannot be negative")
			}
			if q.Limit == 0 {
				q.Limit = policywatch.MaxSearchLimit
			}
			st, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			q.Phrase = args[0]
			res, err := st.Search(cmd.Context(), q)
			if policywatch.IsClass(err, policywatch.ErrInvalid) {
				return usageError{err}
			}
			if err != nil {
				return err
			}
			if res.More {
				fmt.Fprintf(a.stderr, "policywatch: more hits after these %d: --offset %d for the next ones\n",
					len(res.Hits), q.Offset+len(res.Hits))
			}
			if format == "json" {
				return writeJSON(a.stdout, jsonview.NewSearchHits(res.Hits))
			}
			a.printHits(res.Hits)
			return nil
		},
	}
	cmd.Flags().BoolVar(&q.AllVersions, "all-versions", false, "search every version, not only the current ones")
	cmd.Flags().IntVar(&q.Limit, "limit", searchLimit, fmt.Sprintf("most hits to print (0: %d)", policywatch.MaxSearchLimit))
	cmd.Flags().IntVar(&q.Offset, "offset", 0, "hits to skip, to see the ones after a limit")
	formatOption(cmd, &format, "text", "json")
	return cmd
}

// printHits prints hits under a heading per version: platform, policy,
// version, and where the phrase first appeared.
func (a *app) printHits(hits []policywatch.SearchHit) {
	if len(hits) == 0 {
		fmt.Fprintln(a.stdout, "No match.")
		return
	}
	var version int64
	for _, h := range hits {
		if h.VersionID != version {
			version = h.VersionID
			since := "not in every version since"
			if h.Origin.Continuous {
				since = "in every version since"
			}
			fmt.Fprintf(a.stdout, "%s · %s, version %d of %s (first in version %d of %s, %s)\n", h.Platform, h.Policy,
				h.VersionID, localTime(h.CapturedAt, a.cfg.Zone), h.Origin.VersionID, localTime(h.Origin.CapturedAt, a.cfg.Zone), since)
		}
		fmt.Fprintf(a.stdout, "%6d  %s\n", h.Line, h.Text)
	}
}
