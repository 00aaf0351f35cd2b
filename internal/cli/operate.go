package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/jobs"
	"github.com/policywatch/policywatch/internal/notify"
	"github.com/policywatch/policywatch/internal/track"
)

// queue opens the job system on the configured database.
func (a *app) queue(ctx context.Context, checker *track.Checker, concurrency int) (*jobs.Queue, error) {
	st, err := a.openStore(ctx)
	if err != nil {
		return nil, err
	}
	return jobs.Open(ctx, jobs.Config{
		Store: st, Checker: checker, Logger: a.logger,
		Concurrency: concurrency, HostLimit: max(a.cfg.HostParallel, 1),
		ScheduleEvery: a.cfg.ScheduleEvery, RescueAfter: a.cfg.RescueAfter, SlotTTL: a.cfg.SlotTTL,
		Notify: a.notifier(st),
	})
}

func (a *app) notifier(st policywatch.Store) *jobs.Notifier {
	return &jobs.Notifier{Store: st, Analyzer: a.analyzer(), BaseURL: a.cfg.BaseURL, Logger: a.logger,
		Senders: notify.Options{SMTPURL: a.cfg.SMTPURL, UserAgent: a.cfg.UserAgent}}
}

// ---- worker ----

func (a *app) workerCommand() *cobra.Command {
	var (
		concurrency int
		once        bool
	)
	cmd := &cobra.Command{
		Use:   "worker [--concurrency N] [--once]",
		Short: "Run due checks and send notifications from the shared queue",
		Long: `Run checks of due policies and send notifications, taking them from the job
queue in the database. Several workers, on several machines, may share one
PostgreSQL database: no check runs twice, each host gets at most
POLICYWATCH_HOST_CONCURRENCY checks at a time across all of them, and the
checks of a worker that dies are picked up by the others. With --once the
worker queues what is due, works until nothing is left, and exits.`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if concurrency < 1 {
				return usagef("--concurrency must be at least 1")
			}
			ctx := cmd.Context()
			checker, closeBrowser, err := a.checker(ctx)
			if err != nil {
				return err
			}
			defer closeBrowser()
			q, err := a.queue(ctx, checker, concurrency)
			if err != nil {
				return err
			}
			defer q.Close()
			if once {
				return q.RunOnce(ctx)
			}
			a.logger.Info("worker: started", "concurrency", concurrency)
			return q.Run(ctx)
		},
	}
	f := cmd.Flags()
	f.IntVar(&concurrency, "concurrency", 8, "checks at a time in this worker")
	f.BoolVar(&once, "once", false, "exit when nothing is due")
	return cmd
}

// ---- subscriptions ----

func (a *app) subscribeCommand() *cobra.Command {
	var (
		webhook, shoutrrrURL, email, format string
		platform, policy, minLevel, lang    string
		webhookFormat                       string
		admin                               bool
	)
	cmd := &cobra.Command{
		Use:   "subscribe (--webhook URL | --url SHOUTRRR_URL | --email ADDR) [--platform P | --policy ID] [--min-level LEVEL] [--format json]",
		Short: "Be notified of every new version (first versions excluded)",
		Long: `Notify a destination of every change of the policies chosen (all, one
platform's, or one policy's) at or above a level.

A webhook receives one JSON POST per change:
  {"policy_id","policy","platform","url","from_version","to_version","level","summary","compare_url"}
DingTalk, Feishu/Lark and WeCom robot URLs get messages in their own format
(or choose with --webhook-format). --url takes any shoutrrr URL
(https://shoutrrr.nickfedor.com); --email needs POLICYWATCH_SMTP_URL.
--admin subscribes to alerts about policies that become failing and recover
instead of changes. Links point at POLICYWATCH_BASE_URL.`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			sub, err := a.subscriptionFromFlags(notify.Request{Webhook: webhook, URL: shoutrrrURL, Email: email,
				WebhookFormat: webhookFormat, Platform: platform, Policy: policy, MinLevel: minLevel, Lang: lang, Admin: admin})
			if err != nil {
				return err
			}
			st, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			if err := st.CreateSubscription(cmd.Context(), sub); err != nil {
				return err
			}
			if format == "json" {
				return writeJSON(a.stdout, subscriptionJSON(*sub))
			}
			fmt.Fprintf(a.stdout, "Subscription %d: %s\n", sub.ID, describeSubscription(*sub))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&webhook, "webhook", "", "URL that receives a POST per change")
	f.StringVar(&shoutrrrURL, "url", "", "shoutrrr URL (telegram://…, slack://…, generic://…)")
	f.StringVar(&email, "email", "", "e-mail address (needs POLICYWATCH_SMTP_URL)")
	f.StringVar(&webhookFormat, "webhook-format", "auto", "auto (by the URL's host), json, dingtalk, feishu or wecom")
	f.StringVar(&platform, "platform", "", "only this platform's policies")
	f.StringVar(&policy, "policy", "", "only this policy")
	f.StringVar(&minLevel, "min-level", "", "only changes at least this serious: editorial, minor, substantive, major")
	f.StringVar(&lang, "lang", "zh", "language of the messages: zh or en")
	f.BoolVar(&admin, "admin", false, "alerts about failing and recovered policies instead of changes")
	formatOption(cmd, &format, "text", "json")
	return cmd
}

// subscriptionFromFlags checks the flags by the rules the web form shares
// (notify.NewSubscription), the destination included.
func (a *app) subscriptionFromFlags(r notify.Request) (*policywatch.Subscription, error) {
	sub, err := notify.NewSubscription(r, notify.Options{SMTPURL: a.cfg.SMTPURL})
	if err != nil {
		return nil, usageError{err}
	}
	return sub, nil
}

type subscriptionView struct {
	ID        string            `json:"id"`
	Kind      string            `json:"kind"`
	Target    string            `json:"target"`
	Format    string            `json:"format,omitempty"`
	Platform  string            `json:"platform,omitempty"`
	PolicyID  string            `json:"policy_id,omitempty"`
	MinLevel  policywatch.Level `json:"min_level,omitempty"`
	Admin     bool              `json:"admin"`
	Lang      string            `json:"lang"`
	CreatedAt string            `json:"created_at"`
}

func subscriptionJSON(s policywatch.Subscription) subscriptionView {
	return subscriptionView{ID: policywatch.FormatID(s.ID), Kind: s.Kind, Target: s.Target, Format: s.Format,
		Platform: s.Platform, PolicyID: policywatch.FormatID(s.PolicyID), MinLevel: s.MinLevel, Admin: s.Admin,
		Lang: s.Lang, CreatedAt: s.CreatedAt.UTC().Format(time.RFC3339)}
}

func describeSubscription(s policywatch.Subscription) string {
	what := "changes of every policy"
	switch {
	case s.PolicyID != 0:
		what = fmt.Sprintf("changes of policy %d", s.PolicyID)
	case s.Platform != "":
		what = fmt.Sprintf("changes of %s's policies", s.Platform)
	}
	if s.Admin {
		what = strings.Replace(what, "changes", "failing/recovered alerts", 1)
	}
	if s.MinLevel != "" {
		what += ", " + string(s.MinLevel) + " or more serious"
	}
	return fmt.Sprintf("%s → %s %s", what, s.Kind, s.Target)
}

func (a *app) subscriptionsCommand() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "subscriptions",
		Short: "List subscriptions and their recent deliveries",
		Args:  exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			subs, err := st.ListSubscriptions(cmd.Context())
			if err != nil {
				return err
			}
			if format == "json" {
				return writeJSONList(a.stdout, subs, subscriptionJSON)
			}
			if len(subs) == 0 {
				fmt.Fprintln(a.stdout, "No subscriptions; add one with `policywatch subscribe`.")
				return nil
			}
			counts, err := st.DeliveryCounts(cmd.Context())
			if err != nil {
				return err
			}
			var t table
			t.row("ID", "SUBSCRIPTION", "SENT", "PENDING", "FAILED")
			for _, s := range subs {
				n := counts[s.ID]
				t.row(fmt.Sprint(s.ID), describeSubscription(s), fmt.Sprint(n.Sent), fmt.Sprint(n.Pending), fmt.Sprint(n.Failed))
			}
			t.write(a.stdout)
			return nil
		},
	}
	formatOption(cmd, &format, "text", "json")
	return cmd
}

func (a *app) unsubscribeCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "unsubscribe ID",
		Short: "Delete a subscription (and its pending deliveries)",
		Args:  exactArgs(1, "a subscription id"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, st, err := a.openWithID(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			return st.DeleteSubscription(cmd.Context(), id)
		},
	}
}

// eachPolicy is a command's work on one policy: the row it prints, as JSON
// and as table cells.
type eachPolicy func(ctx context.Context, checker *track.Checker, id int64) (row any, cells []string, err error)

// overPolicies makes a command that works on one policy or on --all of
// them and prints a row for each.
func (a *app) overPolicies(use, short, long string, header []string, each eachPolicy) *cobra.Command {
	var (
		all    bool
		format string
	)
	name, _, _ := strings.Cut(use, " ")
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Long:  long,
		RunE: func(cmd *cobra.Command, args []string) error {
			if all == (len(args) > 0) || len(args) > 1 {
				return usagef("%s needs one policy id or --all", name)
			}
			ctx := cmd.Context()
			checker, closeBrowser, err := a.checker(ctx)
			if err != nil {
				return err
			}
			defer closeBrowser()
			ids, err := a.policyIDs(ctx, all, args)
			if err != nil {
				return err
			}
			out := []any{}
			var t table
			t.row(header...)
			for _, id := range ids {
				row, cells, err := each(ctx, checker, id)
				if err != nil {
					return err
				}
				out = append(out, row)
				t.row(append([]string{fmt.Sprint(id)}, cells...)...)
			}
			if format == "json" {
				return writeJSON(a.stdout, out)
			}
			t.write(a.stdout)
			return nil
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "every policy")
	formatOption(cmd, &format, "text", "json")
	return cmd
}

// policyIDs are the policies a command over "one policy or --all" works on.
func (a *app) policyIDs(ctx context.Context, all bool, args []string) ([]int64, error) {
	if !all {
		return parseIDs(args)
	}
	list, err := a.store.ListPolicies(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(list))
	for _, p := range list {
		ids = append(ids, p.ID)
	}
	return ids, nil
}

// ---- reextract ----

func (a *app) reextractCommand() *cobra.Command {
	type row struct {
		PolicyID  string `json:"policy_id"`
		Versions  int    `json:"versions"`
		Recorded  int    `json:"reextracted"`
		Unchanged int    `json:"unchanged"`
		Unusable  int    `json:"unusable"`
	}
	return a.overPolicies("reextract [--all | ID]", "Extract stored snapshots again with the current extractor",
		`Run the current extractor over the stored snapshot of every version of a
policy (or of all policies). Where the text comes out different, a technical
re-extraction is recorded beside the original version; it is never shown or
announced as a change of the policy, and the next check compares with it.`,
		[]string{"POLICY", "VERSIONS", "RE-EXTRACTED", "UNCHANGED", "UNUSABLE"},
		func(ctx context.Context, checker *track.Checker, id int64) (any, []string, error) {
			r, err := checker.Reextract(ctx, id)
			if err != nil {
				return nil, nil, err
			}
			return row{policywatch.FormatID(id), r.Versions, r.Recorded, r.Unchanged, r.Unusable},
				[]string{fmt.Sprint(r.Versions), fmt.Sprint(r.Recorded), fmt.Sprint(r.Unchanged), fmt.Sprint(r.Unusable)}, nil
		})
}

// ---- reanalyze ----

func (a *app) reanalyzeCommand() *cobra.Command {
	type row struct {
		PolicyID string `json:"policy_id"`
		Pairs    int    `json:"pairs"`
	}
	return a.overPolicies("reanalyze [--all | ID]", "Analyse every pair of consecutive versions again with the current rules",
		`Run the built-in change analysis again over every pair of consecutive
versions of a policy (or of all policies) and store the reports in place of
the old ones, so that the levels shown, the feeds and the compare pages
follow the current rules. Reports a model wrote are kept beside them.`,
		[]string{"POLICY", "PAIRS"},
		func(ctx context.Context, checker *track.Checker, id int64) (any, []string, error) {
			n, err := checker.Reanalyze(ctx, id)
			if err != nil {
				return nil, nil, err
			}
			return row{policywatch.FormatID(id), n}, []string{fmt.Sprint(n)}, nil
		})
}
