package notify

import (
	"bufio"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// smtpServer is the least of an SMTP server: no TLS, AUTH PLAIN only when
// asked to, and it keeps every envelope and DATA it accepts.
type smtpServer struct {
	addr     string
	auth     bool   // offer AUTH PLAIN
	rcptCode string // answer to RCPT TO, "250" unless set
	starttls bool   // claim STARTTLS (and then fail it)

	mu    sync.Mutex
	mails []smtpMail
	creds []string
}

type smtpMail struct {
	From, To, Data string
}

func newSMTPServer(t *testing.T, network, addr string, configure func(*smtpServer)) *smtpServer {
	t.Helper()
	ln, err := net.Listen(network, addr)
	if err != nil {
		t.Skipf("cannot listen on %s: %v", addr, err)
	}
	s := &smtpServer{addr: ln.Addr().String(), rcptCode: "250"}
	if configure != nil {
		configure(s)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() { s.serve(conn) })
		}
	})
	return s
}

func (s *smtpServer) serve(conn net.Conn) {
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReader(conn)
	say := func(lines ...string) { io.WriteString(conn, strings.Join(lines, "\r\n")+"\r\n") }
	say("220 test ESMTP")
	var m smtpMail
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		verb := strings.ToUpper(strings.SplitN(line, " ", 2)[0])
		switch verb {
		case "EHLO", "HELO":
			ext := []string{"250-test", "250-8BITMIME"}
			if s.auth {
				ext = append(ext, "250-AUTH PLAIN")
			}
			if s.starttls {
				ext = append(ext, "250-STARTTLS")
			}
			say(append(ext, "250 OK")...)
		case "STARTTLS":
			say("454 TLS not available")
		case "AUTH":
			f := strings.Fields(line)
			if len(f) < 3 || f[1] != "PLAIN" {
				say("504 unsupported")
				continue
			}
			cred, _ := base64.StdEncoding.DecodeString(f[2])
			s.mu.Lock()
			s.creds = append(s.creds, string(cred))
			s.mu.Unlock()
			say("235 OK")
		case "MAIL":
			m = smtpMail{From: line}
			say("250 OK")
		case "RCPT":
			m.To = line
			say(s.rcptCode + " rcpt")
		case "DATA":
			say("354 go ahead")
			var data strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				data.WriteString(strings.TrimPrefix(l, "."))
			}
			m.Data = data.String()
			s.mu.Lock()
			s.mails = append(s.mails, m)
			s.mu.Unlock()
			say("250 queued")
		case "QUIT":
			say("221 bye")
			return
		case "RSET", "NOOP":
			say("250 OK")
		default:
			say("502 unknown command")
		}
	}
}

func (s *smtpServer) received() []smtpMail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]smtpMail(nil), s.mails...)
}

func emailTo(t *testing.T, smtpURL, to string) Sender {
	t.Helper()
	s, err := New(KindEmail, to, "", Options{SMTPURL: smtpURL})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestEmail(t *testing.T) {
	srv := newSMTPServer(t, "tcp", "127.0.0.1:0", nil)
	from := url.QueryEscape("Policywatch <pw@example.com>")
	s := emailTo(t, "smtp://"+srv.addr+"?from="+from, "ann@example.org")
	if err := s.Send(context.Background(), change()); err != nil {
		t.Fatal(err)
	}
	mails := srv.received()
	if len(mails) != 1 {
		t.Fatalf("server got %d mails", len(mails))
	}
	got := mails[0]
	if !strings.HasPrefix(got.From, "MAIL FROM:<pw@example.com>") || !strings.HasPrefix(got.To, "RCPT TO:<ann@example.org>") {
		t.Errorf("envelope %q %q", got.From, got.To)
	}

	msg, err := mail.ReadMessage(strings.NewReader(got.Data))
	if err != nil {
		t.Fatalf("DATA is not a mail: %v\n%s", err, got.Data)
	}
	raw := msg.Header.Get("Subject")
	if !strings.HasPrefix(raw, "=?utf-8?q?") {
		t.Errorf("subject %q is not RFC 2047 encoded", raw)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(raw)
	if want := "[policywatch] 微信 · 隐私政策 — 重大变更"; err != nil || subject != want {
		t.Errorf("subject %q (%v), want %q", subject, err, want)
	}
	for k, want := range map[string]string{
		"Content-Type":              "text/plain; charset=utf-8",
		"Content-Transfer-Encoding": "quoted-printable",
		"Mime-Version":              "1.0",
		"X-Policywatch-Delivery":    "77",
		"Message-Id":                "<policywatch.12.77@example.com>",
	} {
		if got := msg.Header.Get(k); got != want {
			t.Errorf("header %s = %q, want %q", k, got, want)
		}
	}
	if from, err := msg.Header.AddressList("From"); err != nil || from[0].Name != "Policywatch" {
		t.Errorf("From %v (%v)", from, err)
	}
	if _, err := msg.Header.Date(); err != nil {
		t.Errorf("Date: %v", err)
	}
	body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"变更级别：重大变更", "新增向第三方共享位置信息。",
		"查看对比：https://pw.example/policies/12/compare?from=34&to=35"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("body lacks %q:\n%s", want, body)
		}
	}
}

func TestEmailAuth(t *testing.T) {
	srv := newSMTPServer(t, "tcp", "127.0.0.1:0", func(s *smtpServer) { s.auth = true })
	s := emailTo(t, "smtp://pw:p%40ss@"+srv.addr+"?from=pw@example.com&tls=none", "ann@example.org")
	if err := s.Send(context.Background(), change()); err != nil {
		t.Fatal(err)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if len(srv.creds) != 1 || srv.creds[0] != "\x00pw\x00p@ss" {
		t.Errorf("AUTH PLAIN got %q", srv.creds)
	}
}

func TestEmailNeverSendsPasswordInClear(t *testing.T) {
	// 127.0.0.2 is loopback to the kernel, but not "localhost" to net/smtp,
	// so it stands for a remote server without TLS.
	srv := newSMTPServer(t, "tcp", "127.0.0.2:0", func(s *smtpServer) { s.auth = true })
	s := emailTo(t, "smtp://pw:secret@"+srv.addr+"?from=pw@example.com", "ann@example.org")
	err := s.Send(context.Background(), change())
	if err == nil || !IsPermanent(err) {
		t.Errorf("err = %v, want a permanent refusal", err)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if len(srv.creds) != 0 || len(srv.mails) != 0 {
		t.Error("the password or the mail went out in plain text")
	}
}

func TestEmailReplies(t *testing.T) {
	tests := []struct {
		name      string
		configure func(*smtpServer)
		smtpQuery string
		permanent bool
	}{
		{"no such user", func(s *smtpServer) { s.rcptCode = "550" }, "", true},
		{"mailbox busy", func(s *smtpServer) { s.rcptCode = "451" }, "", false},
		{"starttls required but not offered", nil, "&tls=starttls", true},
		{"starttls offered but broken", func(s *smtpServer) { s.starttls = true }, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newSMTPServer(t, "tcp", "127.0.0.1:0", tt.configure)
			s := emailTo(t, "smtp://"+srv.addr+"?from=pw@example.com"+tt.smtpQuery, "ann@example.org")
			err := s.Send(context.Background(), change())
			if err == nil || IsPermanent(err) != tt.permanent {
				t.Errorf("err = %v (permanent %v), want an error, permanent %v", err, IsPermanent(err), tt.permanent)
			}
			if n := len(srv.received()); n != 0 {
				t.Errorf("server accepted %d mails", n)
			}
		})
	}
}

func TestEmailRespectsContext(t *testing.T) {
	// A server that accepts and never greets.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	s := emailTo(t, "smtp://"+ln.Addr().String()+"?from=pw@example.com", "ann@example.org")
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = s.Send(ctx, change())
	if !errors.Is(err, context.DeadlineExceeded) || IsPermanent(err) {
		t.Errorf("err = %v, want a retryable deadline error", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Send took %v after its context ended", d)
	}
}
