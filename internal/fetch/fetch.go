// Package fetch downloads policy pages over HTTP: with timeouts, a body cap,
// a redirect limit, decompression, conditional requests, per-host
// politeness, retries with backoff, and a guard that refuses private
// addresses at connect time.
package fetch

import (
	"bytes"
	"compress/flate"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/policywatch/policywatch"
)

// Version is the program version sent in the User-Agent.
const Version = "0.1"

// DefaultUserAgent says who is asking and why, so site operators can tell.
const DefaultUserAgent = "policywatch/" + Version + " (+https://github.com/policywatch/policywatch; privacy-policy change tracker)"

// Options configure a Client. Zero values take the defaults noted.
type Options struct {
	UserAgent      string
	ConnectTimeout time.Duration // default 10s
	Timeout        time.Duration // whole request including body, per attempt; default 60s
	MaxBody        int64         // bytes after decompression; default 20 MiB
	MaxRedirects   int           // default 10
	AllowPrivate   bool          // permit loopback/private targets (intranets), never cloud metadata or link-local
	AllowLoopback  bool          // permit 127.0.0.0/8 and ::1 only (tests)

	HostConcurrency int     // requests at a time per host; default 1
	HostRate        float64 // requests per second per host; 0 means no limit

	Retries       int           // extra attempts for timeouts, 5xx and 429; default 2, negative for none
	RetryBase     time.Duration // first backoff; default 1s, doubling with jitter
	MaxRetryAfter time.Duration // longest Retry-After honoured within a check; default 30s
}

func (o *Options) setDefaults() {
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = 10 * time.Second
	}
	if o.Timeout <= 0 {
		o.Timeout = 60 * time.Second
	}
	if o.MaxBody <= 0 {
		o.MaxBody = 20 << 20
	}
	if o.MaxRedirects <= 0 {
		o.MaxRedirects = 10
	}
	if o.Retries == 0 {
		o.Retries = 2
	}
	if o.Retries < 0 {
		o.Retries = 0
	}
	if o.RetryBase <= 0 {
		o.RetryBase = time.Second
	}
	if o.MaxRetryAfter <= 0 {
		o.MaxRetryAfter = 30 * time.Second
	}
}

// Request asks for a URL, conditionally when validators are known.
type Request struct {
	URL          string
	ETag         string
	LastModified string
}

// Response is a fetched body, decompressed but not yet decoded from its
// charset.
type Response struct {
	URL          string // after redirects
	Status       int
	ContentType  string
	Body         []byte
	SHA256       string // of Body
	NotModified  bool   // 304: the body is empty and nothing changed
	ETag         string
	LastModified string
	Attempts     int
	Duration     time.Duration

	retryAfter string // of the last attempt, for the retry decision
	challenge  bool   // an error answer that is an anti-bot challenge
}

// Client fetches pages. It is safe for concurrent use.
type Client struct {
	opt    Options
	dialer *Dialer
	http   *http.Client
}

// New returns a Client.
func New(opt Options) *Client {
	opt.setDefaults()
	dialer := &Dialer{AllowPrivate: opt.AllowPrivate, AllowLoopback: opt.AllowLoopback, Timeout: opt.ConnectTimeout}
	transport := &http.Transport{
		Proxy:                 nil, // a proxy would dial for us and bypass the guard
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          256,
		MaxIdleConnsPerHost:   8,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   opt.ConnectTimeout,
		ExpectContinueTimeout: time.Second,
		DisableCompression:    true, // we ask for and decode gzip, br and zstd ourselves
	}
	c := &Client{opt: opt, dialer: dialer}
	c.http = &http.Client{
		Transport:     &politeTransport{base: transport, gates: newHostGates(opt.HostConcurrency, opt.HostRate)},
		CheckRedirect: c.checkRedirect,
	}
	return c
}

// Dialer is the guarded dialer, for other components (the browser's proxy)
// that must obey the same rule.
func (c *Client) Dialer() *Dialer { return c.dialer }

// UserAgent is the User-Agent the client sends.
func (c *Client) UserAgent() string { return c.opt.UserAgent }

// Fetch downloads req.URL, retrying transient failures. HTTP statuses of 400
// and above are errors, as are bodies over the cap or cut short.
func (c *Client) Fetch(ctx context.Context, req Request) (*Response, error) {
	if err := CheckURL(req.URL); err != nil {
		return nil, err
	}
	start := time.Now()
	for attempt := 1; ; attempt++ {
		resp, err := c.once(ctx, req)
		if err == nil && resp.Status < 400 {
			resp.Attempts, resp.Duration = attempt, time.Since(start)
			return resp, nil
		}
		if err == nil && resp.challenge {
			// Asking again only meets the same challenge.
			return nil, policywatch.Errorf(policywatch.ErrBotWall,
				"the site answered with a bot check (HTTP %d, an anti-bot challenge), not the policy", resp.Status)
		}
		wait, retry := c.retryAfter(resp, err, attempt)
		if !retry {
			return nil, finalError(resp, err, attempt)
		}
		if wait > c.opt.MaxRetryAfter {
			return nil, policywatch.Errorf(policywatch.ErrRateLimited,
				"HTTP %d: the server asks to wait %v (Retry-After), longer than the %v a check waits",
				resp.Status, wait.Round(time.Second), c.opt.MaxRetryAfter)
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return nil, classify(ctx.Err(), c.opt.Timeout)
		}
	}
}

// retryAfter decides whether a failed attempt is worth another and how long
// to wait first.
func (c *Client) retryAfter(resp *Response, err error, attempt int) (time.Duration, bool) {
	if attempt > c.opt.Retries {
		return 0, false
	}
	if err != nil {
		var dnsErr *net.DNSError
		if errors.As(err, &dnsErr) && dnsErr.IsNotFound {
			return 0, false // the name does not exist; asking again will not help
		}
		switch policywatch.ClassOf(err) {
		case policywatch.ErrTimeout, policywatch.ErrNetwork, policywatch.ErrTruncated:
			return c.backoff(attempt), true
		}
		return 0, false
	}
	switch {
	case resp.Status == http.StatusTooManyRequests, resp.Status == http.StatusServiceUnavailable:
		if d, ok := parseRetryAfter(resp.retryAfter, time.Now()); ok {
			return d, true
		}
		return c.backoff(attempt), true
	case resp.Status >= 500:
		return c.backoff(attempt), true
	}
	return 0, false
}

// backoff doubles from RetryBase with up to 50% jitter, so that many checks
// failing together do not retry together.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.opt.RetryBase << (attempt - 1)
	return d + time.Duration(rand.Int64N(int64(d)/2+1))
}

// parseRetryAfter reads seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

func finalError(resp *Response, err error, attempts int) error {
	if err != nil {
		return err
	}
	tries := ""
	if attempts > 1 {
		tries = fmt.Sprintf(" after %d attempts", attempts)
	}
	class := policywatch.ErrHTTPStatus
	if resp.Status == http.StatusTooManyRequests {
		class = policywatch.ErrRateLimited
	}
	return policywatch.Errorf(class, "HTTP %d %s%s", resp.Status, http.StatusText(resp.Status), tries)
}

// challenged reports an error answer that is an anti-bot challenge: a
// Cloudflare challenge says so in cf-mitigated, others in their markup.
func challenged(h http.Header, body []byte) bool {
	if strings.EqualFold(h.Get("Cf-Mitigated"), "challenge") {
		return true
	}
	lower := bytes.ToLower(body)
	for _, mark := range [][]byte{[]byte("challenge-platform"), []byte("cf-chl"), []byte("__cf_chl"), []byte("captcha")} {
		if bytes.Contains(lower, mark) {
			return true
		}
	}
	return false
}

// once makes one request and reads its body.
func (c *Client) once(ctx context.Context, req Request) (resp *Response, err error) {
	ctx, cancel := context.WithTimeout(ctx, c.opt.Timeout)
	defer cancel()
	hreq, err := http.NewRequestWithContext(ctx, http.MethodGet, req.URL, nil)
	if err != nil {
		return nil, policywatch.Errorf(policywatch.ErrBadURL, "invalid URL %q: %v", req.URL, err)
	}
	hreq.Header.Set("User-Agent", c.opt.UserAgent)
	hreq.Header.Set("Accept", "text/html,application/xhtml+xml,application/pdf;q=0.9,text/plain;q=0.8,*/*;q=0.5")
	hreq.Header.Set("Accept-Language", "zh-CN,zh;q=0.9,en;q=0.8")
	hreq.Header.Set("Accept-Encoding", "gzip, br, zstd")
	if req.ETag != "" {
		hreq.Header.Set("If-None-Match", req.ETag)
	}
	if req.LastModified != "" {
		hreq.Header.Set("If-Modified-Since", req.LastModified)
	}

	hresp, err := c.http.Do(hreq)
	if err != nil {
		return nil, classify(err, c.opt.Timeout)
	}
	defer hresp.Body.Close()

	resp = &Response{
		URL:          hresp.Request.URL.String(),
		Status:       hresp.StatusCode,
		ContentType:  hresp.Header.Get("Content-Type"),
		ETag:         hresp.Header.Get("ETag"),
		LastModified: hresp.Header.Get("Last-Modified"),
		retryAfter:   hresp.Header.Get("Retry-After"),
	}
	if hresp.StatusCode == http.StatusNotModified {
		resp.NotModified = true
		return resp, nil
	}
	if hresp.StatusCode >= 400 {
		// The body of an error page is read no further than it takes to
		// tell a bot check, and the connection can be reused.
		head, _ := io.ReadAll(io.LimitReader(hresp.Body, 64<<10))
		resp.challenge = challenged(hresp.Header, head)
		return resp, nil
	}
	if hresp.ContentLength > c.opt.MaxBody {
		return nil, policywatch.Errorf(policywatch.ErrTooLarge,
			"the page declares %s, over the %s limit; not downloaded", sizeOf(hresp.ContentLength), sizeOf(c.opt.MaxBody))
	}
	resp.Body, err = c.readBody(hresp)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(resp.Body)
	resp.SHA256 = hex.EncodeToString(sum[:])
	return resp, nil
}

// readBody decompresses and reads at most MaxBody bytes.
func (c *Client) readBody(hresp *http.Response) ([]byte, error) {
	counted := &countingReader{r: hresp.Body}
	r, err := decoder(hresp.Header.Get("Content-Encoding"), counted)
	if err != nil {
		return nil, policywatch.Errorf(policywatch.ErrTruncated, "cannot decode %s body: %v", hresp.Header.Get("Content-Encoding"), err)
	}
	defer r.Close()
	body, err := io.ReadAll(io.LimitReader(r, c.opt.MaxBody+1))
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			if hresp.ContentLength > 0 {
				return nil, policywatch.Errorf(policywatch.ErrTruncated,
					"download cut short: got %d of %d bytes", counted.n, hresp.ContentLength)
			}
			return nil, policywatch.Errorf(policywatch.ErrTruncated, "download cut short after %d bytes", counted.n)
		}
		return nil, classify(err, c.opt.Timeout)
	}
	if int64(len(body)) > c.opt.MaxBody {
		return nil, policywatch.Errorf(policywatch.ErrTooLarge,
			"the page is larger than the %s limit; download stopped", sizeOf(c.opt.MaxBody))
	}
	return body, nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// decoder undoes a Content-Encoding.
func decoder(encoding string, r io.Reader) (io.ReadCloser, error) {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "", "identity":
		return io.NopCloser(r), nil
	case "gzip", "x-gzip":
		return gzip.NewReader(r)
	case "br":
		return io.NopCloser(brotli.NewReader(r)), nil
	case "deflate":
		return flate.NewReader(r), nil
	case "zstd":
		d, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1))
		if err != nil {
			return nil, err
		}
		return d.IOReadCloser(), nil
	}
	return nil, fmt.Errorf("unsupported Content-Encoding %q", encoding)
}

// redirectError marks errors raised by checkRedirect.
type redirectError struct{ msg string }

func (e *redirectError) Error() string { return e.msg }

func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	for _, prev := range via {
		if prev.URL.String() == req.URL.String() {
			return &redirectError{fmt.Sprintf("redirect loop: %s is reached again after %d redirects", req.URL, len(via))}
		}
	}
	if len(via) > c.opt.MaxRedirects {
		return &redirectError{fmt.Sprintf("too many redirects: stopped after %d", c.opt.MaxRedirects)}
	}
	if err := CheckURL(req.URL.String()); err != nil {
		return err
	}
	return nil
}

// CheckURL accepts absolute http and https URLs only.
func CheckURL(raw string) error { return policywatch.CheckURL(raw) }

// classify turns transport errors into classed, readable errors.
func classify(err error, timeout time.Duration) error {
	var (
		blocked  *BlockedError
		redirect *redirectError
		classed  *policywatch.Error
		dnsErr   *net.DNSError
		netErr   net.Error
	)
	switch {
	case errors.As(err, &blocked):
		return &policywatch.Error{Class: policywatch.ErrBlocked, Message: blocked.Error(), Err: err}
	case errors.As(err, &redirect):
		return &policywatch.Error{Class: policywatch.ErrRedirects, Message: redirect.msg, Err: err}
	case errors.As(err, &classed):
		return classed
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return policywatch.Errorf(policywatch.ErrTimeout, "no complete answer within %v", timeout)
	case errors.Is(err, context.Canceled):
		return policywatch.Errorf(policywatch.ErrTimeout, "check cancelled")
	case errors.As(err, &dnsErr):
		return &policywatch.Error{Class: policywatch.ErrNetwork, Err: dnsErr,
			Message: fmt.Sprintf("cannot resolve host %s: %s", dnsErr.Name, dnsErr.Err)}
	case errors.Is(err, syscall.ECONNREFUSED):
		return policywatch.Errorf(policywatch.ErrNetwork, "connection refused: %v", unwrapURLError(err))
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return policywatch.Errorf(policywatch.ErrNetwork, "connection closed by the server: %v", unwrapURLError(err))
	}
	return policywatch.Errorf(policywatch.ErrNetwork, "%v", unwrapURLError(err))
}

func unwrapURLError(err error) error {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		return uerr.Err
	}
	return err
}

func sizeOf(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
