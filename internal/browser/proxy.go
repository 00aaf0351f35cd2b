package browser

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/policywatch/policywatch/internal/fetch"
)

// guardProxy is a forward proxy on loopback that Chromium is told to use for
// everything. It dials with fetch's guarded dialer, so the browser cannot
// reach an address a plain fetch would refuse, whatever the page or a
// redirect asks for.
type guardProxy struct {
	dial      func(ctx context.Context, network, addr string) (net.Conn, error)
	transport *http.Transport
	listener  net.Listener
	server    *http.Server

	mu      sync.Mutex
	blocked map[string]error // host → why it was refused, for error messages
}

func startGuardProxy(dialer *fetch.Dialer) (*guardProxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &guardProxy{
		dial:     dialer.DialContext,
		listener: ln,
		blocked:  map[string]error{},
	}
	p.transport = &http.Transport{
		Proxy:              nil,
		DialContext:        p.dialRecording,
		DisableCompression: true, // pass the browser's Accept-Encoding through
		MaxIdleConns:       64,
		IdleConnTimeout:    30 * time.Second,
	}
	p.server = &http.Server{Handler: p, ReadHeaderTimeout: 30 * time.Second}
	go p.server.Serve(ln)
	return p, nil
}

func (p *guardProxy) addr() string { return p.listener.Addr().String() }

func (p *guardProxy) close() {
	p.server.Close()
	p.transport.CloseIdleConnections()
}

// blockedFor returns the refusal recorded for host, if any.
func (p *guardProxy) blockedFor(host string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.blocked[strings.ToLower(host)]
}

func (p *guardProxy) dialRecording(ctx context.Context, network, addr string) (net.Conn, error) {
	conn, err := p.dial(ctx, network, addr)
	var blocked *fetch.BlockedError
	if errors.As(err, &blocked) {
		host, _, _ := net.SplitHostPort(addr)
		p.mu.Lock()
		p.blocked[strings.ToLower(host)] = err
		p.mu.Unlock()
	}
	return conn, err
}

func (p *guardProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodConnect {
		p.tunnel(w, r)
		return
	}
	p.forward(w, r)
}

// tunnel serves CONNECT (HTTPS): dial, then copy bytes both ways.
func (p *guardProxy) tunnel(w http.ResponseWriter, r *http.Request) {
	upstream, err := p.dialRecording(r.Context(), "tcp", r.Host)
	if err != nil {
		http.Error(w, err.Error(), http.StatusForbidden)
		return
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		upstream.Close()
		http.Error(w, "hijacking not supported", http.StatusInternalServerError)
		return
	}
	client, buf, err := hj.Hijack()
	if err != nil {
		upstream.Close()
		return
	}
	_, _ = client.Write([]byte("HTTP/1.1 200 Connection Established\r\n\r\n"))
	go func() {
		// Bytes the browser sent after CONNECT may sit in the reader's buffer.
		if n := buf.Reader.Buffered(); n > 0 {
			pending, _ := buf.Reader.Peek(n)
			_, _ = upstream.Write(pending)
		}
		_, _ = io.Copy(upstream, client)
		upstream.Close()
	}()
	_, _ = io.Copy(client, upstream)
	client.Close()
}

// hopHeaders are connection-scoped and must not be forwarded.
var hopHeaders = []string{"Connection", "Proxy-Connection", "Keep-Alive", "Proxy-Authenticate",
	"Proxy-Authorization", "Te", "Trailer", "Transfer-Encoding", "Upgrade"}

// forward serves plain-HTTP proxy requests.
func (p *guardProxy) forward(w http.ResponseWriter, r *http.Request) {
	if !r.URL.IsAbs() {
		http.Error(w, "not a proxy request", http.StatusBadRequest)
		return
	}
	out := r.Clone(r.Context())
	out.RequestURI = ""
	for _, h := range hopHeaders {
		out.Header.Del(h)
	}
	resp, err := p.transport.RoundTrip(out)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	for _, h := range hopHeaders {
		resp.Header.Del(h)
	}
	for k, vs := range resp.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = io.Copy(w, resp.Body)
}
