package fetch

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"

	"golang.org/x/time/rate"
)

// hostGates keeps each host to a number of requests at a time and,
// optionally, a request rate. A request holds its host's slot until its body
// is closed, so reading a slow body counts as using the host.
type hostGates struct {
	concurrency int
	rate        rate.Limit // requests per second per host; 0 means no limit
	mu          sync.Mutex
	gates       map[string]*hostGate
}

type hostGate struct {
	slots   chan struct{}
	limiter *rate.Limiter // nil without a rate
}

func newHostGates(concurrency int, perSecond float64) *hostGates {
	if concurrency < 1 {
		concurrency = 1
	}
	return &hostGates{concurrency: concurrency, rate: rate.Limit(perSecond), gates: map[string]*hostGate{}}
}

func (g *hostGates) gate(host string) *hostGate {
	g.mu.Lock()
	defer g.mu.Unlock()
	host = strings.ToLower(host)
	hg, ok := g.gates[host]
	if !ok {
		hg = &hostGate{slots: make(chan struct{}, g.concurrency)}
		if g.rate > 0 {
			hg.limiter = rate.NewLimiter(g.rate, 1)
		}
		g.gates[host] = hg
	}
	return hg
}

// acquire waits for a slot on host; the returned func releases it.
func (g *hostGates) acquire(ctx context.Context, host string) (func(), error) {
	hg := g.gate(host)
	select {
	case hg.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if hg.limiter != nil {
		if err := hg.limiter.Wait(ctx); err != nil {
			<-hg.slots
			return nil, err
		}
	}
	var once sync.Once
	return func() { once.Do(func() { <-hg.slots }) }, nil
}

// politeTransport applies hostGates to every round trip, redirects included.
type politeTransport struct {
	base  http.RoundTripper
	gates *hostGates
}

func (t *politeTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	release, err := t.gates.acquire(req.Context(), req.URL.Hostname())
	if err != nil {
		return nil, err
	}
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		release()
		return nil, err
	}
	resp.Body = &releasingBody{ReadCloser: resp.Body, release: release}
	return resp, nil
}

type releasingBody struct {
	io.ReadCloser
	release func()
}

func (b *releasingBody) Close() error {
	err := b.ReadCloser.Close()
	b.release()
	return err
}
