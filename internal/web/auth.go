package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"
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
