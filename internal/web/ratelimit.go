package web

import (
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Failed authentications allowed per client: a burst of failureBurst, then
// one more every failureEvery (5 a minute).
const (
	failureBurst = 5
	failureEvery = 12 * time.Second
)

// failureLimiter is a token bucket per client that only failures spend:
// a wrong Bearer token or a wrong token in the login form. A client that
// runs out waits, whatever token it sends next (else the answer would tell
// a right guess from a wrong one); clients that authenticate correctly
// never spend anything.
type failureLimiter struct {
	burst int
	every time.Duration
	now   func() time.Time // replaceable in tests

	mu      sync.Mutex
	buckets map[string]*rate.Limiter
}

// maxBuckets bounds the memory a flood of addresses can take.
const maxBuckets = 10000

func newFailureLimiter(burst int, every time.Duration) *failureLimiter {
	return &failureLimiter{burst: burst, every: every, now: time.Now, buckets: map[string]*rate.Limiter{}}
}

// wait is how long the client must wait before its next try; 0 when it
// may try now.
func (l *failureLimiter) wait(key string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		return 0
	}
	tokens := b.TokensAt(l.now())
	if tokens >= 1 {
		return 0
	}
	return time.Duration((1 - tokens) * float64(l.every))
}

// fail spends one of the client's tries.
func (l *failureLimiter) fail(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= maxBuckets {
			l.sweep(now)
		}
		b = rate.NewLimiter(rate.Every(l.every), l.burst)
		l.buckets[key] = b
	}
	b.AllowN(now, 1)
}

// sweep forgets the clients whose bucket has filled up again: they are as
// if never seen. If that is not enough, everyone is forgotten.
func (l *failureLimiter) sweep(now time.Time) {
	for k, b := range l.buckets {
		if b.TokensAt(now) >= float64(l.burst) {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) >= maxBuckets {
		clear(l.buckets)
	}
}

// allowLogin says whether a client may try the login form's token now,
// and counts the try against it when the token is wrong: a correct login
// never uses up a client's allowance. The form is parsed already (its CSRF
// token was checked). limitFailures answers a client out of tries with 429
// and Retry-After before the form is read; this check stands for requests
// that raced it.
func (a *auth) allowLogin(r *http.Request) bool {
	key := clientKey(r)
	if a.failures.wait(key) > 0 {
		return false
	}
	if !a.tokenMatches(r.PostFormValue("token")) {
		a.failures.fail(key)
	}
	return true
}

// clientKey names the client a request comes from: its IP address, or
// the /64 network of an IPv6 address (what one subscriber gets).
func clientKey(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	addr = addr.Unmap().WithZone("")
	if addr.Is6() {
		return netip.PrefixFrom(addr, 64).Masked().String()
	}
	return addr.String()
}
