// Package browser renders pages whose text is written by script, using the
// system's Chromium through chromedp. Chromium is never downloaded: it comes
// from CHROME_PATH or the usual install locations.
package browser

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/fetch"
)

// Options configure a Browser.
type Options struct {
	ExecPath    string        // default: Find()
	UserAgent   string        // default: fetch.DefaultUserAgent
	Timeout     time.Duration // per render; default 60s
	MaxParallel int           // tabs at once; default 2
	Dialer      *fetch.Dialer // dials for the guard proxy; required
}

// Page is a rendered document.
type Page struct {
	URL    string // after redirects
	Status int
	HTML   string // the DOM after scripts ran, serialised
}

// Browser renders pages in one lazily started headless Chromium.
type Browser struct {
	opt   Options
	slots chan struct{}

	mu       sync.Mutex
	started  bool
	startErr error
	ctx      context.Context // the browser's own context
	stop     []context.CancelFunc
	proxy    *guardProxy
}

// New returns a Browser; Chromium starts on the first Render.
func New(opt Options) *Browser {
	if opt.UserAgent == "" {
		opt.UserAgent = fetch.DefaultUserAgent
	}
	if opt.Timeout <= 0 {
		opt.Timeout = 60 * time.Second
	}
	if opt.MaxParallel <= 0 {
		opt.MaxParallel = 2
	}
	return &Browser{opt: opt, slots: make(chan struct{}, opt.MaxParallel)}
}

// Find locates Chromium: CHROME_PATH, then the usual names on PATH.
func Find() (string, error) {
	if p := os.Getenv("CHROME_PATH"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("CHROME_PATH=%s: %w", p, err)
		}
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no chromium, chromium-browser or google-chrome on PATH")
}

// Available reports whether a Chromium binary can be found.
func Available() bool {
	_, err := Find()
	return err == nil
}

// start launches Chromium once; later calls return the first outcome.
func (b *Browser) start() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.started {
		return b.startErr
	}
	b.started = true
	b.startErr = b.launch()
	return b.startErr
}

func (b *Browser) launch() error {
	path := b.opt.ExecPath
	if path == "" {
		p, err := Find()
		if err != nil {
			return policywatch.Errorf(policywatch.ErrRender,
				"this page needs a browser to render, but Chromium was not found (%v): install chromium or set CHROME_PATH", err)
		}
		path = p
	}
	if b.opt.Dialer == nil {
		return policywatch.Errorf(policywatch.ErrInternal, "browser: no dialer configured")
	}
	proxy, err := startGuardProxy(b.opt.Dialer)
	if err != nil {
		return policywatch.Errorf(policywatch.ErrRender, "cannot start the browser's proxy: %v", err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("mute-audio", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("proxy-server", "http://"+proxy.addr()),
		// Chromium skips proxies for loopback unless told otherwise; the
		// guard must see those requests too.
		chromedp.Flag("proxy-bypass-list", "<-loopback>"),
		chromedp.UserAgent(b.opt.UserAgent),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	if err := chromedp.Do(browserCtx); err != nil {
		cancelBrowser()
		cancelAlloc()
		proxy.close()
		return policywatch.Errorf(policywatch.ErrRender, "cannot start Chromium at %s: %v", path, err)
	}
	b.ctx, b.proxy = browserCtx, proxy
	b.stop = []context.CancelFunc{cancelBrowser, cancelAlloc}
	return nil
}

// Close stops Chromium if it was started.
func (b *Browser) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, cancel := range b.stop {
		cancel()
	}
	b.stop = nil
	if b.proxy != nil {
		b.proxy.close()
	}
}

// Render loads rawURL in a new tab, waits for its text to settle, and
// returns the resulting DOM.
func (b *Browser) Render(ctx context.Context, rawURL string) (*Page, error) {
	if err := fetch.CheckURL(rawURL); err != nil {
		return nil, err
	}
	if err := b.start(); err != nil {
		return nil, err
	}
	select {
	case b.slots <- struct{}{}:
		defer func() { <-b.slots }()
	case <-ctx.Done():
		return nil, policywatch.Errorf(policywatch.ErrTimeout, "waiting for a browser tab: %v", ctx.Err())
	}

	tab, closeTab := chromedp.NewContext(b.ctx)
	defer closeTab()
	tab, cancel := context.WithTimeout(tab, b.opt.Timeout)
	defer cancel()
	stopOnCaller := context.AfterFunc(ctx, cancel)
	defer stopOnCaller()

	resp, err := chromedp.Run(tab, chromedp.NavigateResponse(rawURL))
	if err != nil {
		return nil, b.navigationError(rawURL, err)
	}
	if err := chromedp.Do(tab, waitForStableText()); err != nil {
		return nil, b.navigationError(rawURL, err)
	}
	html, err := chromedp.Run(tab, chromedp.Evaluate[string]("document.documentElement.outerHTML"))
	if err != nil {
		return nil, b.navigationError(rawURL, err)
	}
	location, _ := chromedp.Run(tab, chromedp.Location())
	page := &Page{URL: location, HTML: html}
	if resp != nil {
		page.Status = int(resp.Status)
		if page.URL == "" {
			page.URL = resp.URL
		}
	}
	if page.Status >= 400 {
		return nil, b.statusError(rawURL, page.Status)
	}
	return page, nil
}

// waitForStableText waits until the document has loaded and the length of
// its text has stopped changing for a moment: scripts have filled it in.
func waitForStableText() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		const (
			interval = 200 * time.Millisecond
			settled  = 3                // equal readings in a row
			longest  = 15 * time.Second // give up waiting; take what is there
		)
		deadline := time.Now().Add(longest)
		last, same := -1, 0
		for time.Now().Before(deadline) {
			state, err := chromedp.Evaluate[string](
				`document.readyState + ":" + (document.body ? document.body.innerText.length : 0)`)(ctx, t)
			if err != nil {
				return err
			}
			ready, length, _ := strings.Cut(state, ":")
			cur, _ := strconv.Atoi(length)
			if ready == "complete" && cur == last && cur > 0 {
				same++
				if same >= settled {
					return nil
				}
			} else {
				same = 0
			}
			last = cur
			select {
			case <-time.After(interval):
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return nil
	})
}

// statusError explains an error status; the guard proxy answers refused
// plain-HTTP requests with one.
func (b *Browser) statusError(rawURL string, status int) error {
	if blocked := b.blockedFor(rawURL); blocked != nil {
		return &policywatch.Error{Class: policywatch.ErrBlocked, Message: blocked.Error(), Err: blocked}
	}
	return policywatch.Errorf(policywatch.ErrHTTPStatus, "HTTP %d (in the browser)", status)
}

func (b *Browser) blockedFor(rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil
	}
	return b.proxy.blockedFor(u.Hostname())
}

// navigationError explains a failed render, naming the guard when it was
// the guard that refused.
func (b *Browser) navigationError(rawURL string, err error) error {
	if blocked := b.blockedFor(rawURL); blocked != nil {
		return &policywatch.Error{Class: policywatch.ErrBlocked, Message: blocked.Error(), Err: err}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return policywatch.Errorf(policywatch.ErrTimeout, "the browser did not finish loading within %v", b.opt.Timeout)
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "ERR_NAME_NOT_RESOLVED"):
		return policywatch.Errorf(policywatch.ErrNetwork, "cannot resolve the host (in the browser)")
	case strings.Contains(msg, "ERR_CONNECTION_REFUSED"), strings.Contains(msg, "ERR_TUNNEL_CONNECTION_FAILED"),
		strings.Contains(msg, "ERR_CONNECTION"), strings.Contains(msg, "ERR_EMPTY_RESPONSE"):
		return policywatch.Errorf(policywatch.ErrNetwork, "the browser could not load the page: %s", msg)
	case strings.Contains(msg, "ERR_TOO_MANY_REDIRECTS"):
		return policywatch.Errorf(policywatch.ErrRedirects, "redirect loop (in the browser)")
	}
	return policywatch.Errorf(policywatch.ErrRender, "the browser could not render the page: %s", msg)
}
