package fetch

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/policywatch/policywatch"
)

func TestBlockedReason(t *testing.T) {
	tests := []struct {
		addr    string
		blocked bool
	}{
		{"127.0.0.1", true},
		{"127.8.9.10", true},
		{"10.1.2.3", true},
		{"172.16.0.1", true},
		{"192.168.1.1", true},
		{"169.254.169.254", true}, // AWS, GCP, Azure metadata
		{"100.100.100.200", true}, // Alibaba Cloud metadata
		{"0.0.0.0", true},
		{"224.0.0.1", true},
		{"::1", true},
		{"fd00:ec2::254", true},
		{"fe80::1", true},
		{"::ffff:127.0.0.1", true},
		{"::ffff:10.0.0.1", true},
		{"8.8.8.8", false},
		{"114.114.114.114", false},
		{"2400:3200::1", false},
	}
	for _, tt := range tests {
		got := blockedReason(netip.MustParseAddr(tt.addr)) != ""
		if got != tt.blocked {
			t.Errorf("%s: blocked = %v, want %v", tt.addr, got, tt.blocked)
		}
	}
}

func TestGuardRefusesLoopbackByDefault(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Error("the guarded client reached the server")
	}))
	defer srv.Close()
	_, err := New(Options{Retries: -1}).Fetch(context.Background(), Request{URL: srv.URL})
	if !policywatch.IsClass(err, policywatch.ErrBlocked) || !strings.Contains(err.Error(), "loopback") {
		t.Fatalf("got %v", err)
	}
	// A name that resolves to loopback is refused too: the check is on the
	// address connected to, not on the name.
	u := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	if _, err := New(Options{Retries: -1}).Fetch(context.Background(), Request{URL: u}); !policywatch.IsClass(err, policywatch.ErrBlocked) {
		t.Fatalf("localhost: got %v", err)
	}
}

func TestCheckURL(t *testing.T) {
	for _, bad := range []string{"", "ftp://x.example/", "file:///etc/passwd", "javascript:alert(1)", "http://", "example.com/privacy"} {
		if err := CheckURL(bad); !policywatch.IsClass(err, policywatch.ErrBadURL) {
			t.Errorf("CheckURL(%q) = %v", bad, err)
		}
	}
	if err := CheckURL("https://例子.cn/隐私?x=1"); err != nil {
		t.Errorf("IDN URL refused: %v", err)
	}
}

func TestDecompression(t *testing.T) {
	body := strings.Repeat("我们会收集您的手机号码。", 500)
	encoders := map[string]func([]byte) []byte{
		"gzip": func(b []byte) []byte {
			var buf bytes.Buffer
			w := gzip.NewWriter(&buf)
			w.Write(b)
			w.Close()
			return buf.Bytes()
		},
		"br": func(b []byte) []byte {
			var buf bytes.Buffer
			w := brotli.NewWriter(&buf)
			w.Write(b)
			w.Close()
			return buf.Bytes()
		},
		"zstd": func(b []byte) []byte {
			e, _ := zstd.NewWriter(nil)
			return e.EncodeAll(b, nil)
		},
	}
	for name, enc := range encoders {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if !strings.Contains(r.Header.Get("Accept-Encoding"), name) {
					t.Errorf("Accept-Encoding %q lacks %s", r.Header.Get("Accept-Encoding"), name)
				}
				w.Header().Set("Content-Encoding", name)
				w.Write(enc([]byte(body)))
			}))
			defer srv.Close()
			resp, err := New(Options{AllowPrivate: true}).Fetch(context.Background(), Request{URL: srv.URL})
			if err != nil {
				t.Fatal(err)
			}
			if string(resp.Body) != body {
				t.Errorf("decoded body differs (%d bytes)", len(resp.Body))
			}
		})
	}
}

func TestDecompressionBombIsCapped(t *testing.T) {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(bytes.Repeat([]byte{' '}, 8<<20))
	w.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(buf.Bytes())
	}))
	defer srv.Close()
	_, err := New(Options{AllowPrivate: true, MaxBody: 1 << 20}).Fetch(context.Background(), Request{URL: srv.URL})
	if !policywatch.IsClass(err, policywatch.ErrTooLarge) {
		t.Fatalf("got %v", err)
	}
}

func TestOneRequestAtATimePerHost(t *testing.T) {
	var inFlight, most atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
		inFlight.Add(-1)
		w.Write([]byte("ok"))
	}))
	defer srv.Close()
	c := New(Options{AllowPrivate: true})
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Fetch(context.Background(), Request{URL: srv.URL}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if most.Load() != 1 {
		t.Errorf("%d requests at once to one host, want 1", most.Load())
	}
}

func TestHostRate(t *testing.T) {
	var times []time.Time
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		times = append(times, time.Now())
		mu.Unlock()
	}))
	defer srv.Close()
	c := New(Options{AllowPrivate: true, HostRate: 10})
	for i := 0; i < 4; i++ {
		if _, err := c.Fetch(context.Background(), Request{URL: srv.URL}); err != nil {
			t.Fatal(err)
		}
	}
	if d := times[3].Sub(times[0]); d < 250*time.Millisecond {
		t.Errorf("4 requests at 10/s took %v, want at least 300ms", d)
	}
}

func TestRequestHeaders(t *testing.T) {
	var got http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		w.Header().Set("ETag", `"v2"`)
		w.Header().Set("Last-Modified", "Wed, 31 Dec 2025 02:55:00 GMT")
	}))
	defer srv.Close()
	resp, err := New(Options{AllowPrivate: true}).Fetch(context.Background(),
		Request{URL: srv.URL, ETag: `"v1"`, LastModified: "Mon, 10 Nov 2025 21:38:00 GMT"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(got.Get("User-Agent"), "policywatch/") || got.Get("If-None-Match") != `"v1"` ||
		got.Get("If-Modified-Since") != "Mon, 10 Nov 2025 21:38:00 GMT" || !strings.Contains(got.Get("Accept-Language"), "zh-CN") {
		t.Errorf("request headers: %v", got)
	}
	if resp.ETag != `"v2"` || resp.LastModified == "" || resp.SHA256 == "" {
		t.Errorf("response validators: %+v", resp)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 12, 31, 2, 55, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"120", 2 * time.Minute, true},
		{"0", 0, true},
		{"Wed, 31 Dec 2025 02:56:00 GMT", time.Minute, true},
		{"Wed, 31 Dec 2025 02:50:00 GMT", 0, true},
		{"soon", 0, false},
		{"", 0, false},
		{"-5", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseRetryAfter(tt.in, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestUnknownHostIsNotRetried(t *testing.T) {
	start := time.Now()
	_, err := New(Options{RetryBase: time.Second}).Fetch(context.Background(), Request{URL: "http://no-such-host.invalid/privacy"})
	if !policywatch.IsClass(err, policywatch.ErrNetwork) || !strings.Contains(err.Error(), "no-such-host.invalid") {
		t.Fatalf("got %v", err)
	}
	if d := time.Since(start); d > 900*time.Millisecond {
		t.Errorf("a missing host was retried (took %v)", d)
	}
}
