// Package track is the check pipeline: fetch a policy's page (over HTTP, or
// in a headless browser when script writes it), extract its text, reject
// what is not a policy, compare with the newest version, and record the
// outcome in one transaction.
package track

import (
	"context"
	"log/slog"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/analyze"
	"github.com/policywatch/policywatch/internal/browser"
	"github.com/policywatch/policywatch/internal/extract"
	"github.com/policywatch/policywatch/internal/fetch"
	"github.com/policywatch/policywatch/internal/jsonview"
	"github.com/policywatch/policywatch/internal/normalize"
)

// Renderer renders script-written pages; *browser.Browser is one.
type Renderer interface {
	Render(ctx context.Context, url string) (*browser.Page, error)
}

// Options tune the checker. Zero values take the defaults noted.
type Options struct {
	MinChars     int     // fewer characters of text is an empty page; default 200
	ShrinkRatio  float64 // text shorter than this share of the last version is held; default 0.5
	FailingAfter int     // consecutive failures that make a policy failing; default 3
	Now          policywatch.Clock
	Logger       *slog.Logger
	// Analyzer explains each new version against the one before; default
	// the built-in analysis. AnalysisLangs are the report languages made
	// then (default Chinese; others are made when first asked for).
	Analyzer      analyze.Analyzer
	AnalysisLangs []string
	// RetryBase is how soon a failed check is retried; it doubles with each
	// failure in a row. Default DefaultRetryBase.
	RetryBase time.Duration
	// Random feeds the schedule's jitter; default math/rand.
	Random func() float64
}

// Checker checks policies. It is safe for concurrent use.
type Checker struct {
	store   policywatch.Store
	fetcher *fetch.Client
	browser Renderer // nil: policies that need a browser fail with ErrRender
	opt     Options
}

// New returns a Checker.
func New(store policywatch.Store, fetcher *fetch.Client, renderer Renderer, opt Options) *Checker {
	if opt.MinChars <= 0 {
		opt.MinChars = 200
	}
	if opt.ShrinkRatio <= 0 {
		opt.ShrinkRatio = 0.5
	}
	if opt.FailingAfter <= 0 {
		opt.FailingAfter = policywatch.DefaultFailingAfter
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.Analyzer == nil {
		opt.Analyzer = analyze.Builtin{}
	}
	if opt.AnalysisLangs == nil {
		opt.AnalysisLangs = []string{"zh"}
	}
	if opt.RetryBase <= 0 {
		opt.RetryBase = DefaultRetryBase
	}
	return &Checker{store: store, fetcher: fetcher, browser: renderer, opt: opt}
}

// Outcome is what one check did.
type Outcome struct {
	PolicyID   int64
	Policy     string // platform/name, for display
	Result     policywatch.Result
	VersionID  int64
	ErrorClass policywatch.ErrorClass
	Error      string
	Renderer   policywatch.Renderer
	Duration   time.Duration
	// The policy's status before and after the check: failing → active is
	// a recovery, active → failing needs an admin's attention.
	StatusBefore, StatusAfter policywatch.Status
}

// BecameFailing reports whether this check made the policy failing.
func (o Outcome) BecameFailing() bool {
	return o.StatusAfter == policywatch.StatusFailing && o.StatusBefore != policywatch.StatusFailing
}

// Recovered reports whether this check ended the policy's failing.
func (o Outcome) Recovered() bool {
	return o.StatusBefore == policywatch.StatusFailing && o.StatusAfter == policywatch.StatusActive
}

// CheckMany checks policies with up to concurrency checks at a time (the
// fetcher still keeps each host to its own limit). Outcomes come back in
// the order of ids; progress, if set, is called as each finishes.
func (c *Checker) CheckMany(ctx context.Context, ids []int64, concurrency int, progress func(Outcome)) []Outcome {
	if concurrency < 1 {
		concurrency = 1
	}
	out := make([]Outcome, len(ids))
	next := make(chan int)
	var wg sync.WaitGroup
	var progressMu sync.Mutex
	for range min(concurrency, len(ids)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i] = c.Check(ctx, ids[i])
				if progress != nil {
					progressMu.Lock()
					progress(out[i])
					progressMu.Unlock()
				}
			}
		}()
	}
	for i := range ids {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

// Check checks one policy now and records the outcome (and, with it, its
// count for /metrics: Store.CheckStats).
func (c *Checker) Check(ctx context.Context, policyID int64) Outcome {
	start := c.opt.Now()
	p, err := c.store.FindPolicy(ctx, policyID)
	if err != nil {
		return failed(policyID, "", err, time.Since(start))
	}
	if p.URL == "" {
		return failed(policyID, describe(p), policywatch.Errorf(policywatch.ErrNotCheckable,
			"policy %d has no URL: it is known only from imported files", p.ID), time.Since(start))
	}
	run := &run{c: c, p: p, start: start}
	rec, err := run.do(ctx)
	if ctx.Err() != nil {
		// Interrupted (Ctrl-C, shutdown): the site did nothing wrong, so
		// nothing is recorded against it.
		return failed(p.ID, describe(p), policywatch.Errorf(policywatch.ErrTimeout, "check interrupted"), time.Since(start))
	}
	if err != nil {
		rec = &policywatch.CheckRecord{Run: policywatch.CheckRun{
			Result: policywatch.ResultFailed, ErrorClass: policywatch.ClassOf(err), Error: err.Error(),
			HTTPStatus: run.status,
		}, State: run.heldState}
	}
	rec.Run.PolicyID, rec.Run.StartedAt, rec.Run.Renderer = p.ID, start, run.renderer
	rec.Run.Duration = c.opt.Now().Sub(start)
	rec.FailingAfter = c.opt.FailingAfter
	failures := 0
	if rec.Run.Result == policywatch.ResultFailed {
		failures = p.ConsecutiveFailures + 1
	}
	rec.NextCheckAt = NextCheck(start, p.Interval, failures, c.opt.FailingAfter, c.opt.RetryBase, c.opt.Random)
	if err := c.store.RecordCheck(ctx, rec); policywatch.IsClass(err, policywatch.ErrNotFound) {
		// Deleted while it was being checked: nothing to record, nothing
		// gone wrong.
		c.opt.Logger.Debug("policy deleted during its check", "policy", p.ID)
		return failed(p.ID, describe(p), err, rec.Run.Duration)
	} else if err != nil {
		c.opt.Logger.Error("cannot record check", "policy", p.ID, "name", describe(p), "err", err)
		return failed(p.ID, describe(p), policywatch.Errorf(policywatch.ErrInternal, "cannot record the check: %v", err), rec.Run.Duration)
	}
	if rec.Run.Result != policywatch.ResultFailed && rec.Run.Result != policywatch.ResultUnchanged {
		c.recordFacts(ctx, rec.Version)
	}
	if rec.Run.Result == policywatch.ResultChanged {
		c.analyzeNew(ctx, p.ID, rec.Run.VersionID)
	}
	o := Outcome{
		PolicyID: p.ID, Policy: describe(p), Result: rec.Run.Result, VersionID: rec.Run.VersionID,
		ErrorClass: rec.Run.ErrorClass, Error: rec.Run.Error, Renderer: run.renderer, Duration: rec.Run.Duration,
		StatusBefore: rec.StatusBefore, StatusAfter: rec.StatusAfter,
	}
	c.opt.Logger.Debug("checked", "policy", o.PolicyID, "name", o.Policy, "result", o.Result, "version", o.VersionID,
		"renderer", o.Renderer, "ms", o.Duration.Milliseconds(), "error", o.Error)
	return o
}

// JSON is the outcome in the contract's `check` shape.
func (o Outcome) JSON() jsonview.Check {
	return jsonview.Check{
		PolicyID: policywatch.FormatID(o.PolicyID), Policy: o.Policy, Result: string(o.Result),
		VersionID: jsonview.ID(o.VersionID), Error: jsonview.String(o.Error), ErrorClass: jsonview.String(string(o.ErrorClass)),
		Renderer: o.Renderer, DurationMS: o.Duration.Milliseconds(),
	}
}

func failed(id int64, name string, err error, d time.Duration) Outcome {
	return Outcome{PolicyID: id, Policy: name, Result: policywatch.ResultFailed,
		ErrorClass: policywatch.ClassOf(err), Error: err.Error(), Duration: d}
}

// run is one check in progress.
type run struct {
	c        *Checker
	p        *policywatch.Policy
	start    time.Time
	status   int                  // HTTP status seen, for the record
	renderer policywatch.Renderer // how the page was obtained
	// heldState is saved even when the check fails: it remembers a
	// suspiciously short text so that the next check can confirm it.
	heldState *policywatch.FetchState
}

// document is a fetched page before extraction.
type document struct {
	url, contentType, sha256 string
	body                     []byte
	status                   int
	renderer                 policywatch.Renderer
	validators               policywatch.FetchState // ETag and Last-Modified to remember
}

func (r *run) do(ctx context.Context) (*policywatch.CheckRecord, error) {
	state, err := r.c.store.FetchState(ctx, r.p.ID)
	if err != nil {
		return nil, err
	}
	latest, err := r.c.store.LatestVersion(ctx, r.p.ID)
	if err != nil {
		return nil, err
	}
	if latest == nil {
		state = policywatch.FetchState{} // nothing recorded yet: fetch in full
	}

	doc, notModified, err := r.fetch(ctx, state)
	if err != nil {
		return nil, err
	}
	if notModified || (doc.sha256 != "" && doc.sha256 == state.RawSHA256 && state.HeldHash == "") {
		// The server says, or the bytes show, that nothing changed.
		return r.unchanged(latest, rememberedState(state, doc)), nil
	}

	res, err := r.extract(ctx, doc)
	if err != nil {
		return nil, err
	}
	if r.p.Render == policywatch.RenderAuto && res.LooksScriptRendered() && doc.renderer == policywatch.RendererHTTP {
		shell := res
		if doc, err = r.render(ctx); err != nil {
			// A bot check served to plain HTTP is what to report when
			// the browser could not get past it either (or is absent).
			norm := normalize.Text(shell.Text)
			if wall := judge(page{norm: norm, key: normalize.KeyOfText(norm), title: shell.Title, challenge: shell.Shell.Challenge},
				r.c.opt.MinChars); policywatch.IsClass(wall, policywatch.ErrBotWall) {
				return nil, wall
			}
			return nil, err
		}
		if res, err = r.extract(ctx, doc); err != nil {
			return nil, err
		}
	}
	v, norm, key := newVersion(res.Text, r.start)
	pg := page{norm: norm, key: key, title: res.Title, challenge: res.Shell.Challenge}
	if latest != nil {
		pg.prevChars = latest.Chars
	}
	if err := judge(pg, r.c.opt.MinChars); err != nil {
		return nil, err
	}

	next := policywatch.FetchState{ETag: doc.validators.ETag, LastModified: doc.validators.LastModified, RawSHA256: doc.sha256}
	if doc.renderer == policywatch.RendererBrowser {
		// The validators and bytes of a script shell say nothing about
		// the text the browser rendered: always look again.
		next = policywatch.FetchState{}
	}
	if latest != nil && v.CompareHash == latest.CompareHash {
		return r.unchanged(latest, next), nil
	}
	if latest != nil && shrankSharply(v.Chars, latest.Chars, r.c.opt.ShrinkRatio) && state.HeldHash != v.CompareHash {
		held := state // keep the old validators: the next check must fetch in full
		held.HeldHash = v.CompareHash
		r.heldState = &held
		return nil, shrinkError(v.Chars, latest.Chars)
	}
	snap := &policywatch.Snapshot{
		URL: doc.url, FetchedAt: r.start, HTTPStatus: doc.status, ContentType: doc.contentType,
		SHA256: normalize.Hash(string(doc.body)), Renderer: doc.renderer, Body: doc.body,
	}
	return &policywatch.CheckRecord{
		Run:      policywatch.CheckRun{HTTPStatus: doc.status},
		Snapshot: snap, Version: v, State: &next,
	}, nil
}

// rememberedState is state with the validators the latest response sent.
func rememberedState(state policywatch.FetchState, doc *document) policywatch.FetchState {
	if doc != nil {
		if doc.validators.ETag != "" {
			state.ETag = doc.validators.ETag
		}
		if doc.validators.LastModified != "" {
			state.LastModified = doc.validators.LastModified
		}
	}
	state.HeldHash = ""
	return state
}

func (r *run) unchanged(latest *policywatch.Version, state policywatch.FetchState) *policywatch.CheckRecord {
	rec := &policywatch.CheckRecord{
		Run:   policywatch.CheckRun{Result: policywatch.ResultUnchanged, HTTPStatus: r.status},
		State: &state,
	}
	if latest != nil {
		rec.Run.VersionID = latest.ID
	}
	return rec
}

// fetch gets the page as the policy's render mode says.
func (r *run) fetch(ctx context.Context, state policywatch.FetchState) (*document, bool, error) {
	if r.p.Render == policywatch.RenderBrowser {
		doc, err := r.render(ctx)
		return doc, false, err
	}
	r.renderer = policywatch.RendererHTTP
	resp, err := r.c.fetcher.Fetch(ctx, fetch.Request{URL: r.p.URL, ETag: state.ETag, LastModified: state.LastModified})
	if err != nil {
		return nil, false, err
	}
	r.status = resp.Status
	doc := &document{
		url: resp.URL, contentType: resp.ContentType, body: resp.Body, sha256: resp.SHA256,
		status: resp.Status, renderer: policywatch.RendererHTTP,
		validators: policywatch.FetchState{ETag: resp.ETag, LastModified: resp.LastModified},
	}
	return doc, resp.NotModified, nil
}

// render gets the page from the headless browser.
func (r *run) render(ctx context.Context) (*document, error) {
	r.renderer = policywatch.RendererBrowser
	if r.c.browser == nil {
		return nil, policywatch.Errorf(policywatch.ErrRender, "this page needs a browser to render, and none is configured")
	}
	page, err := r.c.browser.Render(ctx, r.p.URL)
	if err != nil {
		return nil, err
	}
	r.status = page.Status
	return &document{
		url: page.URL, contentType: "text/html; charset=utf-8", body: []byte(page.HTML),
		status: page.Status, renderer: policywatch.RendererBrowser,
	}, nil
}

func (r *run) extract(ctx context.Context, doc *document) (extract.Result, error) {
	return extract.Extract(ctx, extract.Input{
		Body: doc.body, ContentType: doc.contentType, Name: doc.url, URL: doc.url,
		Select: r.p.Select, Remove: r.p.Remove,
	})
}

// newVersion computes a version's hashes and size from its readable text;
// it also returns the normalized text and comparison key it computed.
func newVersion(text string, at time.Time) (v *policywatch.Version, norm, key string) {
	norm = normalize.Text(text)
	key = normalize.KeyOfText(norm)
	return &policywatch.Version{
		CapturedAt:  at,
		Text:        text,
		SHA256:      normalize.Hash(norm),
		CompareHash: normalize.Hash(key),
		Chars:       utf8.RuneCountInString(norm),
		Extractor:   extract.Version,
		Source:      policywatch.SourceCheck,
	}, norm, key
}
