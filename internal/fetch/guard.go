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
	Reason string // "loopback", "private", "cloud metadata", ...
	// Always is set for the addresses no setting opens: cloud metadata
	// services and link-local addresses.
	Always bool
}

func (e *BlockedError) Error() string {
	target := e.Addr.String()
	if e.Host != "" && e.Host != target {
		target = fmt.Sprintf("%s (%s)", e.Host, e.Addr)
	}
	if e.Always {
		return fmt.Sprintf("refused to connect to %s: %s address; cloud metadata and link-local addresses are always refused", target, e.Reason)
	}
	return fmt.Sprintf("refused to connect to %s: %s address; private targets are off by default (POLICYWATCH_ALLOW_PRIVATE=1 allows them)", target, e.Reason)
}

// metadataAddrs are cloud instance-metadata and platform services: whoever
// reaches them from a server reads its credentials. Some sit in ranges that
// POLICYWATCH_ALLOW_PRIVATE=1 opens (fd00::/8, 100.64.0.0/10) or on public
// addresses, so they are listed one by one and refused in every mode.
var metadataAddrs = map[netip.Addr]string{
	netip.MustParseAddr("169.254.169.254"): "cloud metadata",                    // AWS, GCP (metadata.google.internal), Azure, OpenStack, …
	netip.MustParseAddr("169.254.170.2"):   "cloud metadata",                    // AWS ECS task metadata and credentials
	netip.MustParseAddr("fd00:ec2::254"):   "cloud metadata",                    // AWS IMDS over IPv6
	netip.MustParseAddr("100.100.100.200"): "cloud metadata",                    // Alibaba Cloud
	netip.MustParseAddr("192.0.0.192"):     "cloud metadata",                    // Oracle Cloud
	netip.MustParseAddr("168.63.129.16"):   "cloud metadata (Azure WireServer)", // a public address on every Azure host
}

// nat64 is the well-known NAT64 prefix: its last 32 bits are an IPv4
// address that a NAT64 gateway connects to, so that address is checked.
var nat64 = netip.MustParsePrefix("64:ff9b::/96")

// specialRanges are the networks besides loopback, private and link-local
// that no public web page lives on.
var specialRanges = []struct {
	prefix netip.Prefix
	reason string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "unspecified"},
	{netip.MustParsePrefix("100.64.0.0/10"), "shared (carrier-grade NAT)"},
	{netip.MustParsePrefix("192.0.0.0/24"), "reserved"},
	{netip.MustParsePrefix("192.0.2.0/24"), "documentation"},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking"},
	{netip.MustParsePrefix("198.51.100.0/24"), "documentation"},
	{netip.MustParsePrefix("203.0.113.0/24"), "documentation"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved"},
	{netip.MustParsePrefix("64:ff9b:1::/48"), "local NAT64"},
	{netip.MustParsePrefix("2001:db8::/32"), "documentation"},
}

// alwaysBlocked says why addr is refused whatever the setting (a cloud
// metadata or link-local address), or "" if it is not.
func alwaysBlocked(addr netip.Addr) string {
	addr = addr.Unmap().WithZone("")
	if embedded, ok := fromNAT64(addr); ok {
		return alwaysBlocked(embedded)
	}
	if reason, ok := metadataAddrs[addr]; ok {
		return reason
	}
	if addr.IsLinkLocalUnicast() {
		return "link-local"
	}
	return ""
}

// blockedReason says why addr is not a public address, or "" if it is.
func blockedReason(addr netip.Addr) string {
	addr = addr.Unmap()
	if reason := alwaysBlocked(addr); reason != "" {
		return reason
	}
	if embedded, ok := fromNAT64(addr); ok {
		if reason := blockedReason(embedded); reason != "" {
			return reason + " (through NAT64)"
		}
		return ""
	}
	switch {
	case addr.IsLoopback():
		return "loopback"
	case addr.IsPrivate():
		return "private"
	case addr.IsUnspecified():
		return "unspecified"
	case addr.IsMulticast(), addr.IsLinkLocalMulticast(), addr.IsInterfaceLocalMulticast():
		return "multicast"
	case addr == netip.AddrFrom4([4]byte{255, 255, 255, 255}):
		return "broadcast"
	}
	for _, r := range specialRanges {
		if r.prefix.Contains(addr) {
			return r.reason
		}
	}
	return ""
}

func fromNAT64(addr netip.Addr) (netip.Addr, bool) {
	if !addr.Is6() || !nat64.Contains(addr) {
		return netip.Addr{}, false
	}
	b := addr.As16()
	return netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]}), true
}

// Dialer dials TCP connections, refusing every address but public ones by
// default. The check runs on the address actually connected to, after DNS
// resolution and on every redirect hop, so neither a redirect to an
// internal host nor a DNS name that resolves to one gets through.
//
// AllowLoopback opens 127.0.0.0/8 and ::1 only (tests against a local
// server); AllowPrivate opens every non-public range (intranets). Cloud
// metadata services and link-local addresses stay refused in every mode.
type Dialer struct {
	AllowPrivate  bool
	AllowLoopback bool
	Timeout       time.Duration
	// Resolver resolves host names; nil is the system's.
	Resolver *net.Resolver
}

// DialContext has the signature http.Transport and proxies expect.
func (d *Dialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	nd := &net.Dialer{Timeout: d.Timeout, KeepAlive: 30 * time.Second, Resolver: d.Resolver, Control: d.control}
	conn, err := nd.DialContext(ctx, network, address)
	var blocked *BlockedError
	if errors.As(err, &blocked) {
		host, _, _ := net.SplitHostPort(address)
		return nil, &BlockedError{Host: host, Addr: blocked.Addr, Reason: blocked.Reason, Always: blocked.Always}
	}
	return conn, err
}

// control is a net.Dialer Control hook: it sees the resolved address just
// before the connection is made.
func (d *Dialer) control(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("unexpected dial address %q", address)
	}
	return d.check(addr)
}

// check applies the dialer's setting to one address.
func (d *Dialer) check(addr netip.Addr) error {
	if reason := alwaysBlocked(addr); reason != "" {
		return &BlockedError{Addr: addr, Reason: reason, Always: true}
	}
	if d.AllowPrivate || (d.AllowLoopback && addr.Unmap().IsLoopback()) {
		return nil
	}
	if reason := blockedReason(addr); reason != "" {
		return &BlockedError{Addr: addr, Reason: reason}
	}
	return nil
}
