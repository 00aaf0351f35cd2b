package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

const (
	sessionCookie = "pw_session"
	loginCSRF     = "pw_login_csrf"
	sessionTTL    = 7 * 24 * time.Hour
)

// auth holds the admin token and derives session and CSRF signatures from
// it, so that changing the token logs every session out.
type auth struct {
	token  string
	key    []byte
	secure bool // set the Secure flag on cookies

	// failures limits wrong tokens per client, whether sent as a Bearer
	// token or through the login form.
	failures *failureLimiter
}

func newAuth(token string, secure bool) *auth {
	sum := sha256.Sum256([]byte("policywatch-session:" + token))
	return &auth{token: token, key: sum[:], secure: secure, failures: newFailureLimiter(failureBurst, failureEvery)}
}

// RandomToken returns a fresh admin token.
func RandomToken() string {
	b := make([]byte, 24)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func (a *auth) sign(payload string) string {
	m := hmac.New(sha256.New, a.key)
	m.Write([]byte(payload))
	return hex.EncodeToString(m.Sum(nil))
}

// tokenMatches compares in constant time.
func (a *auth) tokenMatches(given string) bool {
	return a.token != "" && subtle.ConstantTimeCompare([]byte(given), []byte(a.token)) == 1
}

// bearer reports a valid Authorization: Bearer header.
func (a *auth) bearer(r *http.Request) bool {
	tok, ok := bearerToken(r)
	return ok && a.tokenMatches(tok)
}

// bearerToken is the token of an Authorization: Bearer header, if any.
func bearerToken(r *http.Request) (string, bool) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return strings.TrimSpace(tok), ok
}

// session returns the session id of a valid session cookie, or "".
func (a *auth) session(r *http.Request) string {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return ""
	}
	payload, sig, ok := strings.Cut(c.Value, ".")
	if !ok || !hmac.Equal([]byte(sig), []byte(a.sign("s:"+payload))) {
		return ""
	}
	raw, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return ""
	}
	expiry, _, ok := strings.Cut(string(raw), ":")
	exp, err := strconv.ParseInt(expiry, 10, 64)
	if !ok || err != nil || time.Now().Unix() > exp {
		return ""
	}
	return payload
}

// startSession sets a signed session cookie.
func (a *auth) startSession(w http.ResponseWriter) {
	nonce := make([]byte, 16)
	rand.Read(nonce)
	raw := strconv.FormatInt(time.Now().Add(sessionTTL).Unix(), 10) + ":" + hex.EncodeToString(nonce)
	payload := base64.RawURLEncoding.EncodeToString([]byte(raw))
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: payload + "." + a.sign("s:"+payload), Path: "/",
		MaxAge: int(sessionTTL / time.Second), HttpOnly: true, Secure: a.secure, SameSite: http.SameSiteLaxMode,
	})
}

func (a *auth) endSession(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: a.secure, SameSite: http.SameSiteLaxMode})
}

// csrfFor is the CSRF token of a session: forms carry it, and a forged
// request from another site cannot know it.
func (a *auth) csrfFor(session string) string {
	if session == "" {
		return ""
	}
	return a.sign("csrf:" + session)[:40]
}

// checkCSRF verifies a form's token against the session.
func (a *auth) checkCSRF(r *http.Request, session string) bool {
	want := a.csrfFor(session)
	return want != "" && hmac.Equal([]byte(r.PostFormValue("csrf")), []byte(want))
}

// loginCSRFToken issues the double-submit token of the login form, which
// is shown before any session exists.
func (a *auth) loginCSRFToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(loginCSRF); err == nil && len(c.Value) == 32 {
		return c.Value
	}
	b := make([]byte, 16)
	rand.Read(b)
	v := hex.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{Name: loginCSRF, Value: v, Path: "/login", HttpOnly: true,
		Secure: a.secure, SameSite: http.SameSiteStrictMode})
	return v
}

func (a *auth) checkLoginCSRF(r *http.Request) bool {
	c, err := r.Cookie(loginCSRF)
	return err == nil && c.Value != "" && hmac.Equal([]byte(c.Value), []byte(r.PostFormValue("csrf")))
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

// limitFailures applies the failure limit to every request that presents
// a token: a Bearer header on any route, and the login form. A client out
// of tries gets 429 with Retry-After; otherwise a wrong Bearer token is
// counted and the request goes on (to be refused, or served as anonymous
// where reading is public).
func (s *Server) limitFailures(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok, isBearer := bearerToken(r)
		isLogin := r.Method == http.MethodPost && r.URL.Path == "/login"
		if !isBearer && !isLogin {
			next.ServeHTTP(w, r)
			return
		}
		key := clientKey(r)
		if wait := s.auth.failures.wait(key); wait > 0 {
			s.tooManyFailures(w, r, wait)
			return
		}
		if isBearer && !s.auth.tokenMatches(tok) {
			s.auth.failures.fail(key)
		}
		next.ServeHTTP(w, r)
	})
}

// tooManyFailures answers 429: in JSON for the API, as a page otherwise.
func (s *Server) tooManyFailures(w http.ResponseWriter, r *http.Request, wait time.Duration) {
	secs := int((wait + time.Second - 1) / time.Second)
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	msg := "too many failed authentication attempts; try again in " + strconv.Itoa(secs) + "s"
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeAPIError(w, http.StatusTooManyRequests, "rate_limited", msg)
		return
	}
	p := s.newPage(w, r)
	s.renderError(w, r, p, http.StatusTooManyRequests, p.T("error.toomanyfailures", secs))
}
