// Package cli is the policywatch command line: the commands of
// ../shared/docs/contract.md, their flags, output formats and exit codes
// (0 success, 1 a failure it reports, 2 bad usage).
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/browser"
	"github.com/policywatch/policywatch/internal/fetch"
	"github.com/policywatch/policywatch/internal/llm"
	"github.com/policywatch/policywatch/internal/store"
	"github.com/policywatch/policywatch/internal/track"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// usageError marks bad invocations: exit code 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// reportedError means the command already printed its result (for example
// the JSON of a check in which some policies failed) and only the exit code
// remains to be set.
type reportedError struct{ summary string }

func (e reportedError) Error() string { return e.summary }

// app is what every command shares.
type app struct {
	cfg    config
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	logger *slog.Logger
	llm    *llm.Analyzer // made on first use

	db    string
	store *store.Store
}

// Main runs the command line and returns the exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	collectLessOften(args)
	return run(ctx, args, stdin, stdout, stderr)
}

// collectLessOften lets the heap of a command that runs once and exits grow
// to five times what is live between collections, not two: it finishes
// before the memory matters, and a 1 MB diff spends a sixth of its time
// collecting at Go's default (scripts/bench-diff.sh). serve and worker
// live long and keep the default; so does a GOGC the user set.
func collectLessOften(args []string) {
	if os.Getenv("GOGC") != "" || slices.ContainsFunc(args, func(arg string) bool { return arg == "serve" || arg == "worker" }) {
		return
	}
	debug.SetGCPercent(400)
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr}
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if a.store != nil {
		a.store.Close()
	}
	if err == nil {
		return exitOK
	}
	var reported reportedError
	if errors.As(err, &reported) {
		return exitFailure
	}
	fmt.Fprintf(stderr, "policywatch: %s\n", oneLine(err.Error()))
	if isUsage(err) {
		return exitUsage
	}
	return exitFailure
}

func isUsage(err error) bool {
	var u usageError
	if errors.As(err, &u) {
		return true
	}
	// Cobra reports unknown commands and flags with plain errors.
	msg := err.Error()
	return strings.HasPrefix(msg, "unknown command") || strings.HasPrefix(msg, "unknown flag") ||
		strings.HasPrefix(msg, "unknown shorthand flag")
}

func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "policywatch",
		Short: "Watch privacy policies and terms: record every version, show what changed",
		Long: `policywatch tracks privacy policies and other terms of apps and services.
It fetches each registered policy, reduces it to clean text, and records a new
version only when the words really changed.

Environment:
` + envHelp(),
		SilenceErrors: true,
		SilenceUsage:  true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			return a.setup(cmd)
		},
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	pf := root.PersistentFlags()
	pf.StringVar(&a.db, "db", "", "database DSN: a SQLite file path (default ./policywatch.db) or a postgres:// URL (env POLICYWATCH_DB)")
	pf.Bool("allow-private", false, "allow fetching loopback and private addresses, never cloud metadata (env POLICYWATCH_ALLOW_PRIVATE: 1, 0 or loopback)")
	pf.String("log-level", "", "debug, info, warn or error (env POLICYWATCH_LOG)")

	root.AddCommand(
		a.addCommand(),
		a.listCommand(),
		a.checkCommand(),
		a.versionsCommand(),
		a.showCommand(),
		a.searchCommand(),
		a.importCommand(),
		a.editCommand(),
		a.diffCommand(),
		a.classifyCommand(),
		a.factsCommand(),
		a.profileCommand(),
		a.analyzeCommand(),
		a.serveCommand(),
		a.workerCommand(),
		a.subscribeCommand(),
		a.subscriptionsCommand(),
		a.unsubscribeCommand(),
		a.reextractCommand(),
		a.reanalyzeCommand(),
		a.deleteCommand(),
		a.importDeclarationsCommand(),
	)
	return root
}

func envHelp() string {
	var b strings.Builder
	for _, v := range envVars {
		fmt.Fprintf(&b, "  %-29s %s\n", v.name, v.help)
	}
	return b.String()
}

// setup reads the configuration once flags are parsed.
func (a *app) setup(cmd *cobra.Command) error {
	cfg, err := loadConfig(environ)
	if err != nil {
		return usageError{err}
	}
	if a.db != "" {
		cfg.DB = a.db
	}
	if cmd.Flags().Changed("allow-private") {
		cfg.AllowPrivate, _ = cmd.Flags().GetBool("allow-private")
		// The flag says yes or no outright; it overrides loopback from the environment too.
		cfg.AllowLoopback = cfg.AllowPrivate
	}
	if lvl, _ := cmd.Flags().GetString("log-level"); lvl != "" {
		cfg.LogLevel = lvl
	}
	a.cfg = cfg
	a.logger, err = newLogger(a.stderr, cfg.LogLevel, cfg.LogFormat)
	if err != nil {
		return usageError{err}
	}
	slog.SetDefault(a.logger)
	return nil
}

func newLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("log level %q: want debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lvl}
	switch format {
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "text", "":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("log format %q: want text or json", format)
}

// openWithID reads the id argument of a command on one policy, version or
// subscription (a bad one is a usage error) and opens the store.
func (a *app) openWithID(ctx context.Context, arg string) (int64, *store.Store, error) {
	id, err := policywatch.ParseID(arg)
	if err != nil {
		return 0, nil, usageError{err}
	}
	st, err := a.openStore(ctx)
	return id, st, err
}

// openPolicy opens the store and finds the policy that a command's id
// argument names.
func (a *app) openPolicy(ctx context.Context, arg string) (*policywatch.Policy, *store.Store, error) {
	id, st, err := a.openWithID(ctx, arg)
	if err != nil {
		return nil, nil, err
	}
	p, err := st.FindPolicy(ctx, id)
	return p, st, err
}

// openStore opens the database on first use.
func (a *app) openStore(ctx context.Context) (*store.Store, error) {
	if a.store != nil {
		return a.store, nil
	}
	s, err := store.Open(ctx, a.cfg.DB)
	if err != nil {
		return nil, err
	}
	a.store = s
	return s, nil
}

// checker builds the check pipeline: HTTP fetcher, a lazily started
// browser, and the store. The returned func releases the browser.
func (a *app) checker(ctx context.Context) (*track.Checker, func(), error) {
	st, err := a.openStore(ctx)
	if err != nil {
		return nil, nil, err
	}
	f := fetch.New(a.cfg.fetchOptions())
	b := browser.New(browser.Options{ExecPath: a.cfg.ChromePath, UserAgent: f.UserAgent(), Dialer: f.Dialer()})
	c := track.New(st, f, b, track.Options{MinChars: a.cfg.MinChars, Logger: a.logger, Analyzer: a.analyzer()})
	return c, b.Close, nil
}
