package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/policywatch/policywatch/internal/demo"
	"github.com/policywatch/policywatch/internal/notify"
	"github.com/policywatch/policywatch/internal/track"
	"github.com/policywatch/policywatch/internal/web"
)

func (a *app) serveCommand() *cobra.Command {
	var (
		addr                       string
		loadDemo, noScheduler      bool
		requireLogin, secureCookie bool
		concurrency                int
	)
	cmd := &cobra.Command{
		Use:   "serve [--addr 127.0.0.1:8080] [--demo]",
		Short: "Run the web UI and JSON API (and the scheduler)",
		Long: `Serve the web UI and the JSON API. Unless --no-scheduler is given, policies
are also checked in the background when their interval has passed.

Writes (the API's POST/PATCH, the UI's forms) need the admin token:
POLICYWATCH_ADMIN_TOKEN, or a random one printed at start. Reading is public
unless --require-login (or POLICYWATCH_REQUIRE_LOGIN=1).`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if v, err := parseBool("POLICYWATCH_REQUIRE_LOGIN", environ("POLICYWATCH_REQUIRE_LOGIN")); err != nil {
				return usageError{err}
			} else if v {
				requireLogin = true
			}
			if v, err := parseBool("POLICYWATCH_SECURE_COOKIE", environ("POLICYWATCH_SECURE_COOKIE")); err != nil {
				return usageError{err}
			} else if v {
				secureCookie = true
			}
			checker, closeBrowser, err := a.checker(ctx)
			if err != nil {
				return err
			}
			defer closeBrowser()
			if loadDemo {
				loaded, err := demo.Load(ctx, a.store, checker, time.Now())
				if err != nil {
					return err
				}
				if loaded {
					fmt.Fprintln(a.stderr, "policywatch: loaded the demo collection")
				} else {
					fmt.Fprintln(a.stderr, "policywatch: the database is not empty; demo collection not loaded")
				}
			}
			token := environ("POLICYWATCH_ADMIN_TOKEN")
			if token == "" {
				token = web.RandomToken()
				fmt.Fprintf(a.stderr, "policywatch: admin token for this run: %s (set POLICYWATCH_ADMIN_TOKEN to choose one)\n", token)
			}
			srv, err := web.New(a.store, web.Options{AdminToken: token, RequireLogin: requireLogin,
				SecureCookie: secureCookie, Logger: a.logger, Checker: checker, Zone: a.cfg.Zone, Analyzer: a.analyzer(), BaseURL: a.cfg.BaseURL,
				Senders: notify.Options{SMTPURL: a.cfg.SMTPURL, UserAgent: a.cfg.UserAgent}})
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return fmt.Errorf("cannot listen on %s: %w", addr, err)
			}
			backfillCtx, stopBackfill := context.WithCancel(ctx)
			defer stopBackfill()
			go a.backfillFacts(backfillCtx)
			fmt.Fprintf(a.stderr, "policywatch: serving http://%s\n", ln.Addr())
			if noScheduler {
				return serveUntilDone(ctx, ln, srv)
			}
			q, err := a.queue(ctx, checker, concurrency)
			if err != nil {
				return err
			}
			defer q.Close()
			queueDone := make(chan error, 1)
			queueCtx, stopQueue := context.WithCancel(ctx)
			go func() { queueDone <- q.Run(queueCtx) }()
			err = serveUntilDone(ctx, ln, srv)
			stopQueue()
			if qerr := <-queueDone; err == nil {
				err = qerr
			}
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on")
	f.BoolVar(&loadDemo, "demo", false, "load the sample collection into an empty database first")
	f.BoolVar(&noScheduler, "no-scheduler", false, "serve only: leave checks and notifications to `policywatch worker` processes")
	f.BoolVar(&requireLogin, "require-login", false, "require login for reading too (env POLICYWATCH_REQUIRE_LOGIN)")
	f.BoolVar(&secureCookie, "secure-cookie", false, "mark cookies Secure, when served over HTTPS (env POLICYWATCH_SECURE_COOKIE)")
	f.IntVar(&concurrency, "concurrency", 4, "background checks at a time")
	return cmd
}

// serveUntilDone serves until ctx ends, then shuts down gracefully.
func serveUntilDone(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      5 * time.Minute, // "check now" waits for the check
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	fmt.Fprintln(os.Stderr, "policywatch: stopped")
	return nil
}

// backfillLockKey keeps the facts back-fill to one serve process at a time
// on a shared PostgreSQL database.
const backfillLockKey = 0x706f6c6963790002

// backfillFacts stores, in the background, the facts of versions recorded
// before facts were stored with each version (or under older rules), so
// that existing databases get fast matrix and profile pages without a
// command to run. It runs once per start; the pages show what is not
// extracted yet as pending.
func (a *app) backfillFacts(ctx context.Context) {
	err := a.store.Exclusive(ctx, backfillLockKey, func(ctx context.Context) error {
		start := time.Now()
		n, err := track.BackfillFacts(ctx, a.store, a.logger)
		if n > 0 {
			a.logger.Info("stored the facts of earlier versions", "versions", n, "took", time.Since(start).Round(time.Millisecond))
		}
		return err
	})
	if err != nil && ctx.Err() == nil {
		a.logger.Warn("facts back-fill stopped", "err", err)
	}
}
