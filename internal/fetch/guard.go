package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"syscall"
	"time"
)

// BlockedError is returned when the SSRF guard refuses an address.
type BlockedError struct {
	Host   string // as asked for, before resolution; may be empty
	Addr   netip.Addr
	Reason string // "loopback", "private", ...
}

func (e *BlockedError) Error() string {
	target := e.Addr.String()
	if e.Host != "" && e.Host != target {
		target = fmt.Sprintf("%s (%s)", e.Host, e.Addr)
	}
	return fmt.Sprintf("refused to connect to %s: %s address; private targets are off by default (POLICYWATCH_ALLOW_PRIVATE=1 allows them)", target, e.Reason)
}

// specialRanges are the networks besides loopback, private and link-local
// that no public web page lives on.
var specialRanges = []struct {
	prefix netip.Prefix
	reason string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "unspecified"},
	{netip.MustParsePrefix("100.64.0.0/10"), "shared (carrier-grade NAT, cloud metadata)"},
	{netip.MustParsePrefix("192.0.0.0/24"), "reserved"},
	{netip.MustParsePrefix("192.0.2.0/24"), "documentation"},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking"},
	{netip.MustParsePrefix("198.51.100.0/24"), "documentation"},
	{netip.MustParsePrefix("203.0.113.0/24"), "documentation"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved"},
	{netip.MustParsePrefix("64:ff9b:1::/48"), "local NAT64"},
	{netip.MustParsePrefix("2001:db8::/32"), "documentation"},
}

// blockedReason says why addr is not a public address, or "" if it is.
func blockedReason(addr netip.Addr) string {
	addr = addr.Unmap()
	switch {
	case addr.IsLoopback():
		return "loopback"
	case addr.IsPrivate():
		return "private"
	case addr.IsLinkLocalUnicast():
		return "link-local (cloud metadata)"
	case addr.IsUnspecified():
		return "unspecified"
	case addr.IsMulticast(), addr.IsLinkLocalMulticast(), addr.IsInterfaceLocalMulticast():
		return "multicast"
	case addr == netip.IPv4Unspecified() || addr == netip.AddrFrom4([4]byte{255, 255, 255, 255}):
		return "broadcast"
	}
	for _, r := range specialRanges {
		if r.prefix.Contains(addr) {
			return r.reason
		}
	}
	return ""
}

// Dialer dials TCP connections, refusing non-public addresses unless
// AllowPrivate is set. The check runs on the address actually connected to,
// after DNS resolution and on every redirect hop, so neither a redirect to
// an internal host nor a DNS name that resolves to one gets through.
type Dialer struct {
	AllowPrivate bool
	Timeout      time.Duration
}

// DialContext has the signature http.Transport and proxies expect.
func (d *Dialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	nd := &net.Dialer{Timeout: d.Timeout, KeepAlive: 30 * time.Second}
	if !d.AllowPrivate {
		nd.Control = refusePrivate
	}
	conn, err := nd.DialContext(ctx, network, address)
	var blocked *BlockedError
	if errors.As(err, &blocked) {
		host, _, _ := net.SplitHostPort(address)
		return nil, &BlockedError{Host: host, Addr: blocked.Addr, Reason: blocked.Reason}
	}
	return conn, err
}

// refusePrivate is a net.Dialer Control hook: it sees the resolved address
// just before the connection is made.
func refusePrivate(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("unexpected dial address %q", address)
	}
	if reason := blockedReason(addr); reason != "" {
		return &BlockedError{Addr: addr, Reason: reason}
	}
	return nil
}
