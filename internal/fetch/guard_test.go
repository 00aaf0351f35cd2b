package fetch

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/dns/dnsmessage"

	"github.com/policywatch/policywatch"
)

// TestGuardModes: what each setting lets through. Cloud metadata and
// link-local addresses are refused in every mode.
func TestGuardModes(t *testing.T) {
	const (
		refused = iota
		open
		always // refused whatever the setting
	)
	tests := []struct {
		addr                     string
		strict, loopback, privat int
	}{
		{"8.8.8.8", open, open, open},
		{"2400:3200::1", open, open, open},
		{"127.0.0.1", refused, open, open},
		{"127.8.9.10", refused, open, open},
		{"::1", refused, open, open},
		{"::ffff:127.0.0.1", refused, open, open},
		{"10.1.2.3", refused, refused, open},
		{"192.168.1.1", refused, refused, open},
		{"fd12:3456::1", refused, refused, open},
		{"100.64.1.1", refused, refused, open}, // carrier-grade NAT, VPN overlays
		{"0.0.0.0", refused, refused, open},
		{"169.254.169.254", always, always, always}, // AWS, GCP, Azure metadata
		{"::ffff:169.254.169.254", always, always, always},
		{"169.254.170.2", always, always, always}, // ECS task credentials
		{"169.254.1.1", always, always, always},   // link-local
		{"fe80::1", always, always, always},
		{"fe80::1%lo", always, always, always},
		{"fd00:ec2::254", always, always, always},      // AWS IPv6 metadata, inside fd00::/8
		{"100.100.100.200", always, always, always},    // Alibaba Cloud, inside 100.64.0.0/10
		{"192.0.0.192", always, always, always},        // Oracle Cloud
		{"168.63.129.16", always, always, always},      // Azure WireServer, a public address
		{"64:ff9b::a9fe:a9fe", always, always, always}, // 169.254.169.254 through NAT64
		{"64:ff9b::7f00:1", refused, refused, open},    // 127.0.0.1 through NAT64
		{"64:ff9b::808:808", open, open, open},         // 8.8.8.8 through NAT64
	}
	modes := []struct {
		name string
		d    Dialer
		want func(int, int, int) int
	}{
		{"strict", Dialer{}, func(s, _, _ int) int { return s }},
		{"loopback", Dialer{AllowLoopback: true}, func(_, l, _ int) int { return l }},
		{"private", Dialer{AllowPrivate: true}, func(_, _, p int) int { return p }},
		{"both", Dialer{AllowPrivate: true, AllowLoopback: true}, func(_, _, p int) int { return p }},
	}
	for _, tt := range tests {
		for _, m := range modes {
			err := m.d.check(netip.MustParseAddr(tt.addr))
			var blocked *BlockedError
			got := open
			if errors.As(err, &blocked) {
				got = refused
				if blocked.Always {
					got = always
				}
			} else if err != nil {
				t.Fatalf("%s, %s: %v", tt.addr, m.name, err)
			}
			if want := m.want(tt.strict, tt.loopback, tt.privat); got != want {
				t.Errorf("%s, %s: got %d, want %d (0 refused, 1 open, 2 always refused): %v", tt.addr, m.name, got, want, err)
			}
		}
	}
}

// TestGuardMetadataRefusedWithPrivateAllowed dials the metadata address
// for real: the guard refuses it before any packet leaves.
func TestGuardMetadataRefusedWithPrivateAllowed(t *testing.T) {
	d := &Dialer{AllowPrivate: true, Timeout: 2 * time.Second}
	for _, addr := range []string{"169.254.169.254:80", "100.100.100.200:80"} {
		_, err := d.DialContext(context.Background(), "tcp", addr)
		var blocked *BlockedError
		if !errors.As(err, &blocked) || !blocked.Always {
			t.Fatalf("%s: got %v", addr, err)
		}
		if !strings.Contains(err.Error(), "cloud metadata") || !strings.Contains(err.Error(), "always refused") {
			t.Errorf("%s: message %q", addr, err)
		}
	}
}

// TestGuardMetadataName: metadata.google.internal resolves to the
// metadata address, and the check is on the address connected to, so the
// name is refused too. A DNS server on loopback answers for it.
func TestGuardMetadataName(t *testing.T) {
	resolver := fakeDNS(t, map[string]netip.Addr{
		"metadata.google.internal.": netip.MustParseAddr("169.254.169.254"),
		"intranet.example.":         netip.MustParseAddr("10.9.8.7"),
	})
	d := &Dialer{AllowPrivate: true, Timeout: 2 * time.Second, Resolver: resolver}
	_, err := d.DialContext(context.Background(), "tcp", "metadata.google.internal:80")
	var blocked *BlockedError
	if !errors.As(err, &blocked) || !blocked.Always || blocked.Addr != netip.MustParseAddr("169.254.169.254") {
		t.Fatalf("got %v", err)
	}
	if !strings.Contains(err.Error(), "metadata.google.internal (169.254.169.254)") {
		t.Errorf("message %q", err)
	}
	// With loopback only, a name resolving to a private address is refused
	// as private, and the message says how to allow it.
	d = &Dialer{AllowLoopback: true, Timeout: 2 * time.Second, Resolver: resolver}
	_, err = d.DialContext(context.Background(), "tcp", "intranet.example:80")
	if !errors.As(err, &blocked) || blocked.Always || blocked.Reason != "private" ||
		!strings.Contains(err.Error(), "POLICYWATCH_ALLOW_PRIVATE=1") {
		t.Fatalf("private with loopback only: got %v", err)
	}
}

// TestGuardLoopbackOnly: the loopback setting reaches a local test server,
// and a redirect from it to the metadata address fails as blocked.
func TestGuardLoopbackOnly(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/meta" {
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
			return
		}
		w.Write([]byte("ok"))
	}))
	defer srv.Close()
	for _, opt := range []Options{{AllowLoopback: true}, {AllowPrivate: true}} {
		opt.Retries = -1
		c := New(opt)
		resp, err := c.Fetch(context.Background(), Request{URL: srv.URL})
		if err != nil || string(resp.Body) != "ok" {
			t.Fatalf("%+v: %v", opt, err)
		}
		_, err = c.Fetch(context.Background(), Request{URL: srv.URL + "/meta"})
		if !policywatch.IsClass(err, policywatch.ErrBlocked) || !strings.Contains(err.Error(), "cloud metadata") {
			t.Errorf("%+v: redirect to metadata: got %v", opt, err)
		}
	}
}

// fakeDNS serves A records for names on a loopback UDP port and returns a
// resolver that asks it.
func fakeDNS(t *testing.T, names map[string]netip.Addr) *net.Resolver {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	go func() {
		buf := make([]byte, 1500)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			var p dnsmessage.Parser
			h, err := p.Start(buf[:n])
			if err != nil {
				continue
			}
			q, err := p.Question()
			if err != nil {
				continue
			}
			b := dnsmessage.NewBuilder(nil, dnsmessage.Header{ID: h.ID, Response: true, Authoritative: true})
			b.EnableCompression()
			b.StartQuestions()
			b.Question(q)
			b.StartAnswers()
			if addr, ok := names[strings.ToLower(q.Name.String())]; ok && q.Type == dnsmessage.TypeA {
				b.AResource(dnsmessage.ResourceHeader{Name: q.Name, Class: dnsmessage.ClassINET, TTL: 60},
					dnsmessage.AResource{A: addr.As4()})
			}
			msg, err := b.Finish()
			if err == nil {
				pc.WriteTo(msg, from)
			}
		}
	}()
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "udp", pc.LocalAddr().String())
	}}
}
