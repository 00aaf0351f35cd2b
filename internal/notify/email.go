package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// TLS modes of the SMTP URL.
const (
	tlsAuto     = ""         // STARTTLS when the server offers it
	tlsStartTLS = "starttls" // STARTTLS or fail: no silent downgrade
	tlsImplicit = "tls"      // TLS from the first byte (port 465)
	tlsNone     = "none"     // plain text, e.g. a local relay
)

type email struct {
	to, from *mail.Address
	host     string
	port     string
	auth     smtp.Auth
	tls      string
	timeout  time.Duration
}

func newEmail(target string, opt Options) (*email, error) {
	to, err := mail.ParseAddress(target)
	if err != nil {
		return nil, fmt.Errorf("notify: bad e-mail address %q: %w", target, err)
	}
	if opt.SMTPURL == "" {
		return nil, errors.New("notify: email needs POLICYWATCH_SMTP_URL (smtp://[user:pass@]host:port?from=addr)")
	}
	e, err := parseSMTPURL(opt.SMTPURL)
	if err != nil {
		return nil, err
	}
	e.to, e.timeout = to, opt.timeout()
	return e, nil
}

// parseSMTPURL reads smtp://[user:pass@]host[:port]?from=addr[&tls=starttls|tls|none].
// Errors never quote the URL: it may hold a password.
func parseSMTPURL(raw string) (*email, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errors.New("notify: POLICYWATCH_SMTP_URL is not a URL")
	}
	e := &email{}
	q := u.Query()
	switch u.Scheme {
	case "smtp":
		e.tls = q.Get("tls")
	case "smtps":
		e.tls = tlsImplicit
	default:
		return nil, fmt.Errorf("notify: POLICYWATCH_SMTP_URL must start with smtp://, not %s://", u.Scheme)
	}
	switch e.tls {
	case tlsAuto, tlsStartTLS, tlsImplicit, tlsNone:
	default:
		return nil, fmt.Errorf("notify: POLICYWATCH_SMTP_URL: tls=%q, want starttls, tls or none", e.tls)
	}
	e.host, e.port = u.Hostname(), u.Port()
	if e.host == "" {
		return nil, errors.New("notify: POLICYWATCH_SMTP_URL has no host")
	}
	if e.port == "" {
		e.port = map[string]string{tlsImplicit: "465", tlsNone: "25"}[e.tls]
		if e.port == "" {
			e.port = "587"
		}
	}
	if e.from, err = mail.ParseAddress(q.Get("from")); err != nil {
		return nil, fmt.Errorf("notify: POLICYWATCH_SMTP_URL needs from=ADDRESS: %w", err)
	}
	if u.User != nil {
		pass, _ := u.User.Password()
		// PlainAuth refuses to send the password over a connection that is
		// neither TLS nor to localhost, which is what we want.
		e.auth = smtp.PlainAuth("", u.User.Username(), pass, e.host)
	}
	return e, nil
}

func (e *email) Send(ctx context.Context, m Message) error {
	if err := m.check(); err != nil {
		return err
	}
	msg := e.message(m, time.Now())
	ctx, cancel := context.WithTimeout(ctx, e.timeout)
	defer cancel()
	err := e.deliver(ctx, msg)
	if err == nil {
		return nil
	}
	// When ctx ends, net/smtp only sees a closed connection or an i/o
	// timeout (the connection's deadline may fire a moment before ctx's
	// timer does): say why instead.
	cause := ctx.Err()
	if dl, ok := ctx.Deadline(); cause == nil && ok && !time.Now().Before(dl) {
		cause = context.DeadlineExceeded
	}
	if cause != nil {
		return fmt.Errorf("notify: smtp %s: %w", e.host, cause)
	}
	return err
}

// message renders m as an RFC 5322 message with CRLF line ends.
func (e *email) message(m Message, now time.Time) []byte {
	c := compose(m, 0)
	var b bytes.Buffer
	header := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	header("From", e.from.String())
	header("To", e.to.String())
	// Fold between encoded words: a Chinese subject encodes to well over the
	// 78 characters a header line should keep to.
	subject := mime.QEncoding.Encode("utf-8", "[policywatch] "+c.Title)
	header("Subject", strings.ReplaceAll(subject, "?= =?", "?=\r\n =?"))
	header("Date", now.Format(time.RFC1123Z))
	// The same delivery gets the same Message-ID, so a mail client can drop
	// the copy a retry sends after a lost answer.
	domain := e.from.Address[strings.LastIndexByte(e.from.Address, '@')+1:]
	header("Message-ID", fmt.Sprintf("<policywatch.%d.%d@%s>", m.PolicyID, m.DeliveryID, domain))
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	header("X-Policywatch-Delivery", strconv.FormatInt(m.DeliveryID, 10))
	header("X-Policywatch-Event", string(m.Event))
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	qp.Write([]byte(c.plain()))
	qp.Close()
	return b.Bytes()
}

func (e *email) deliver(ctx context.Context, msg []byte) error {
	addr := net.JoinHostPort(e.host, e.port)
	fail := func(stage string, err error) error {
		err = fmt.Errorf("notify: smtp %s: %s: %w", addr, stage, err)
		// 5xx replies are the server's final word (no such user, auth
		// failed, message refused); 4xx ones ask to try again later.
		var te *textproto.Error
		if errors.As(err, &te) && te.Code >= 500 {
			return Permanent(err)
		}
		return err
	}
	tlsConfig := &tls.Config{ServerName: e.host}

	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return fail("connect", err)
	}
	// net/smtp knows no contexts: a deadline bounds each read and write, and
	// closing the connection when ctx ends unblocks them at once.
	defer context.AfterFunc(ctx, func() { conn.Close() })()
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	if e.tls == tlsImplicit {
		tc := tls.Client(conn, tlsConfig)
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return fail("tls", err)
		}
		conn = tc
	}
	c, err := smtp.NewClient(conn, e.host)
	if err != nil {
		conn.Close()
		return fail("greeting", err)
	}
	defer c.Close()

	if e.tls == tlsAuto || e.tls == tlsStartTLS {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(tlsConfig); err != nil {
				return fail("starttls", err)
			}
		} else if e.tls == tlsStartTLS {
			return Permanent(fmt.Errorf("notify: smtp %s does not offer STARTTLS (use tls=none to send in plain text)", addr))
		}
	}
	if e.auth != nil {
		if err := c.Auth(e.auth); err != nil {
			// Besides 5xx replies, net/smtp refuses on its own to send a
			// password in plain text; neither improves with time.
			var te *textproto.Error
			if !errors.As(err, &te) || te.Code >= 500 {
				return Permanent(fmt.Errorf("notify: smtp %s: auth: %w", addr, err))
			}
			return fail("auth", err)
		}
	}
	if err := c.Mail(e.from.Address); err != nil {
		return fail("MAIL FROM", err)
	}
	if err := c.Rcpt(e.to.Address); err != nil {
		return fail("RCPT TO", err)
	}
	w, err := c.Data()
	if err != nil {
		return fail("DATA", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fail("DATA", err)
	}
	if err := w.Close(); err != nil {
		return fail("DATA", err)
	}
	// The message is accepted once DATA ends; a failed QUIT changes nothing.
	_ = c.Quit()
	return nil
}
