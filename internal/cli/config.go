package cli

import (
	"cmp"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/policywatch/policywatch/internal/fetch"
)

// config is read from the environment; flags override some of it.
type config struct {
	DB            string
	AllowPrivate  bool // private and other non-public ranges (never cloud metadata or link-local)
	AllowLoopback bool // 127.0.0.0/8 and ::1 only
	UserAgent     string
	Timeout       time.Duration
	MaxBody       int64
	HostParallel  int
	HostRate      float64
	Retries       int
	MinChars      int
	ChromePath    string
	LogLevel      string
	LogFormat     string
	Zone          *time.Location // dates shown and read without a zone
	LLM           llmConfig

	BaseURL       string // of the web UI, for links in feeds and notifications
	SMTPURL       string
	ScheduleEvery time.Duration // how often due policies are looked for
	RescueAfter   time.Duration // a check running this long belongs to a dead worker
	SlotTTL       time.Duration // a dead worker's host slot frees itself after this
}

// llmConfig selects a model for the reports' prose. It is on when a key or
// a base URL is given (a local Ollama needs no key).
type llmConfig struct {
	APIKey, BaseURL, Model string
	Timeout                time.Duration
}

func (l llmConfig) enabled() bool { return l.APIKey != "" || l.BaseURL != "" }

// envVars documents every variable the program reads, for --help and the
// README (TestEveryVariableInHelp keeps it whole).
var envVars = []struct{ name, help string }{
	{"POLICYWATCH_DB", "database: a SQLite file path (default ./policywatch.db) or a postgres:// URL"},
	{"POLICYWATCH_ALLOW_PRIVATE", "off by default; 1 allows fetching loopback and private addresses, loopback only 127.0.0.0/8 and ::1 (tests); cloud metadata and link-local addresses are always refused"},
	{"POLICYWATCH_USER_AGENT", "User-Agent sent with every request"},
	{"POLICYWATCH_TIMEOUT", "total time for one request, body included (default 60s)"},
	{"POLICYWATCH_MAX_BODY", "largest page accepted, e.g. 20MiB (default)"},
	{"POLICYWATCH_HOST_CONCURRENCY", "requests at a time to one host (default 1)"},
	{"POLICYWATCH_HOST_RATE", "requests per second to one host, 0 for no limit (default 0)"},
	{"POLICYWATCH_RETRIES", "extra attempts for timeouts, 5xx and 429 (default 2)"},
	{"POLICYWATCH_MIN_CHARS", "fewer characters of text is an empty page, not a version (default 200)"},
	{"CHROME_PATH", "Chromium for pages rendered by script (default: chromium on PATH)"},
	{"POLICYWATCH_LOG", "log level: debug, info, warn, error (default warn)"},
	{"POLICYWATCH_LOG_FORMAT", "text or json (default text)"},
	{"POLICYWATCH_LLM_API_KEY", "key of an OpenAI-compatible model that writes the reports' prose (DeepSeek by default)"},
	{"POLICYWATCH_LLM_BASE_URL", "its API base URL (default https://api.deepseek.com/v1; e.g. http://127.0.0.1:11434/v1 for Ollama)"},
	{"POLICYWATCH_LLM_MODEL", "its model (default deepseek-chat)"},
	{"POLICYWATCH_LLM_TIMEOUT", "longest wait for one answer before the built-in report stands (default 90s)"},
	{"POLICYWATCH_TZ", "time zone for dates shown and read, e.g. UTC or Local (default Asia/Shanghai)"},
	{"POLICYWATCH_BASE_URL", "the web UI's address, for links in feeds and notifications, e.g. https://pw.example.org"},
	{"POLICYWATCH_SMTP_URL", "mail server for --email subscriptions: smtp://user:pass@host:587?from=pw@example.org"},
	{"POLICYWATCH_SCHEDULE_EVERY", "how often workers look for due policies (default 30s)"},
	{"POLICYWATCH_RESCUE_AFTER", "backstop: a running check whose worker still beats is run again only after this (default 15m); a dead worker's checks are taken up within about 40s"},
	{"POLICYWATCH_SLOT_TTL", "the longest any hold on a host lasts (default 10m); a dead worker's holds free within about 40s"},
	{"POLICYWATCH_ADMIN_TOKEN", "serve: the token for writes and login (default: a random one printed at start)"},
	{"POLICYWATCH_REQUIRE_LOGIN", "serve: 1 requires login for reading too (as --require-login)"},
	{"POLICYWATCH_SECURE_COOKIE", "serve: 1 marks cookies Secure, when served over HTTPS (as --secure-cookie)"},
	{"POLICYWATCH_PDFTOTEXT", "the pdftotext binary for PDF policies (default: pdftotext on PATH, from poppler-utils)"},
	{"NO_COLOR", "any value turns off colour in diff's terminal output"},
}

func loadConfig(getenv func(string) string) (config, error) {
	c := config{
		DB:         getenv("POLICYWATCH_DB"),
		UserAgent:  getenv("POLICYWATCH_USER_AGENT"),
		ChromePath: getenv("CHROME_PATH"),
		LogLevel:   cmp.Or(getenv("POLICYWATCH_LOG"), "warn"),
		LogFormat:  cmp.Or(getenv("POLICYWATCH_LOG_FORMAT"), "text"),
	}
	c.LLM = llmConfig{APIKey: getenv("POLICYWATCH_LLM_API_KEY"), BaseURL: getenv("POLICYWATCH_LLM_BASE_URL"), Model: getenv("POLICYWATCH_LLM_MODEL")}
	var err error
	for _, d := range []struct {
		name string
		to   *time.Duration
	}{
		{"POLICYWATCH_LLM_TIMEOUT", &c.LLM.Timeout}, {"POLICYWATCH_SCHEDULE_EVERY", &c.ScheduleEvery},
		{"POLICYWATCH_RESCUE_AFTER", &c.RescueAfter}, {"POLICYWATCH_SLOT_TTL", &c.SlotTTL}, {"POLICYWATCH_TIMEOUT", &c.Timeout},
	} {
		if *d.to, err = parseDuration(d.name, getenv(d.name)); err != nil {
			return c, err
		}
	}
	for _, n := range []struct {
		name string
		to   *int
	}{
		{"POLICYWATCH_HOST_CONCURRENCY", &c.HostParallel}, {"POLICYWATCH_RETRIES", &c.Retries}, {"POLICYWATCH_MIN_CHARS", &c.MinChars},
	} {
		if *n.to, err = parseInt(n.name, getenv(n.name)); err != nil {
			return c, err
		}
	}
	if c.Zone, err = loadZone(getenv("POLICYWATCH_TZ")); err != nil {
		return c, err
	}
	c.BaseURL, c.SMTPURL = getenv("POLICYWATCH_BASE_URL"), getenv("POLICYWATCH_SMTP_URL")
	if c.AllowPrivate, c.AllowLoopback, err = parseAllowPrivate(getenv("POLICYWATCH_ALLOW_PRIVATE")); err != nil {
		return c, err
	}
	if c.MaxBody, err = parseSize("POLICYWATCH_MAX_BODY", getenv("POLICYWATCH_MAX_BODY")); err != nil {
		return c, err
	}
	if getenv("POLICYWATCH_RETRIES") == "0" {
		c.Retries = -1 // fetch.Options: negative means none, zero the default
	}
	if v := getenv("POLICYWATCH_HOST_RATE"); v != "" {
		if c.HostRate, err = strconv.ParseFloat(v, 64); err != nil || c.HostRate < 0 {
			return c, fmt.Errorf("POLICYWATCH_HOST_RATE=%q: want a number of requests per second", v)
		}
	}
	return c, nil
}

func (c config) fetchOptions() fetch.Options {
	return fetch.Options{
		UserAgent: c.UserAgent, Timeout: c.Timeout, MaxBody: c.MaxBody,
		AllowPrivate: c.AllowPrivate, AllowLoopback: c.AllowLoopback,
		HostConcurrency: c.HostParallel, HostRate: c.HostRate, Retries: c.Retries,
	}
}

// loadZone reads POLICYWATCH_TZ. The default is China Standard Time: the
// tool's first users read policies and dates in Beijing time, whatever
// zone the server runs in.
func loadZone(name string) (*time.Location, error) {
	switch name {
	case "":
		name = "Asia/Shanghai"
	case "Local", "local":
		return time.Local, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("POLICYWATCH_TZ=%q: unknown time zone", name)
	}
	return loc, nil
}

func parseBool(name, v string) (bool, error) {
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("%s=%q: want 1 or 0", name, v)
	}
	return b, nil
}

// parseAllowPrivate reads POLICYWATCH_ALLOW_PRIVATE: a boolean (1 opens
// private ranges), or "loopback" for 127.0.0.0/8 and ::1 only. The fetch
// guard refuses cloud metadata and link-local addresses whatever it says.
func parseAllowPrivate(v string) (private, loopback bool, err error) {
	if strings.EqualFold(strings.TrimSpace(v), "loopback") {
		return false, true, nil
	}
	if private, err = parseBool("POLICYWATCH_ALLOW_PRIVATE", v); err != nil {
		return false, false, fmt.Errorf("POLICYWATCH_ALLOW_PRIVATE=%q: want 1, 0 or loopback", v)
	}
	return private, false, nil
}

func parseInt(name, v string) (int, error) {
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s=%q: want a whole number", name, v)
	}
	return n, nil
}

func parseDuration(name, v string) (time.Duration, error) {
	if v == "" {
		return 0, nil
	}
	d, err := parseEvery(v)
	if err != nil {
		return 0, fmt.Errorf("%s=%q: %v", name, v, err)
	}
	return d, nil
}

// parseEvery reads a Go duration, also accepting days ("7d", "1d12h").
func parseEvery(v string) (time.Duration, error) {
	v = strings.TrimSpace(v)
	var days time.Duration
	if i := strings.IndexByte(v, 'd'); i > 0 {
		n, err := strconv.Atoi(v[:i])
		if err != nil {
			return 0, fmt.Errorf("invalid duration %q: want e.g. 24h, 30m or 7d", v)
		}
		days, v = time.Duration(n)*24*time.Hour, v[i+1:]
		if v == "" {
			return days, nil
		}
	}
	d, err := time.ParseDuration(v)
	if err != nil || d+days <= 0 {
		return 0, fmt.Errorf("invalid duration %q: want e.g. 24h, 30m or 7d", v)
	}
	return d + days, nil
}

// parseSize reads a byte count with an optional KB/MB/KiB/MiB suffix.
func parseSize(name, v string) (int64, error) {
	if v == "" {
		return 0, nil
	}
	s := strings.ToUpper(strings.TrimSpace(v))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KIB", 1 << 10}, {"MIB", 1 << 20}, {"GIB", 1 << 30}, {"KB", 1000}, {"MB", 1000 * 1000}, {"GB", 1000 * 1000 * 1000}, {"B", 1}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%s=%q: want a size such as 20MiB", name, v)
	}
	return n * mult, nil
}

// environ is os.Getenv, replaceable in tests.
var environ = os.Getenv
