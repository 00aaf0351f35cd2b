// Package policywatch holds the domain types shared by every part of the
// program: platforms, the policies they publish, the snapshots fetched from
// them, the versions extracted from those snapshots, and the record of every
// check. Packages under internal/ implement behaviour around these types; this
// package depends on nothing but the standard library.
package policywatch

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Kind says what sort of document a policy is.
type Kind string

const (
	KindPrivacy  Kind = "privacy"  // privacy policy / 隐私政策
	KindChildren Kind = "children" // children's policy / 儿童个人信息保护规则
	KindSDK      Kind = "sdk"      // third-party SDK list / 第三方SDK清单
	KindTerms    Kind = "terms"    // terms of service / 用户协议
)

// ParseKind accepts the English names and a few common Chinese ones.
func ParseKind(s string) (Kind, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "privacy", "privacy-policy", "隐私政策":
		return KindPrivacy, nil
	case "children", "child", "儿童":
		return KindChildren, nil
	case "sdk", "sdk-list":
		return KindSDK, nil
	case "terms", "tos", "用户协议":
		return KindTerms, nil
	}
	return "", Errorl(ErrInvalid, "invalid.policy.kind", s)
}

// RenderMode says how a policy's page is turned into HTML.
type RenderMode string

const (
	// RenderAuto fetches over HTTP and falls back to the browser when the
	// result looks like a page whose text is filled in by script.
	RenderAuto    RenderMode = "auto"
	RenderHTTP    RenderMode = "http"
	RenderBrowser RenderMode = "browser"
)

// ParseRenderMode validates a --render value.
func ParseRenderMode(s string) (RenderMode, error) {
	switch RenderMode(s) {
	case "":
		return RenderAuto, nil
	case RenderAuto, RenderHTTP, RenderBrowser:
		return RenderMode(s), nil
	}
	return "", Errorl(ErrInvalid, "invalid.policy.render", s)
}

// Status is a policy's tracking state.
type Status string

const (
	StatusActive  Status = "active"
	StatusFailing Status = "failing" // several checks in a row failed
	StatusPaused  Status = "paused"  // not checked until resumed
)

// DefaultInterval is how often a policy is checked unless told otherwise.
const DefaultInterval = 24 * time.Hour

// Platform is the company or app that publishes policies.
type Platform struct {
	ID        int64
	Name      string
	CreatedAt time.Time
}

// Policy is one tracked document.
type Policy struct {
	ID         int64
	PlatformID int64
	Platform   string // the platform's name, filled in on reads
	Name       string
	Kind       Kind
	URL        string // empty for a policy known only from imported files
	Select     string // CSS selector of the content; empty means find it
	Remove     []string
	Render     RenderMode
	Interval   time.Duration

	Status              Status
	LastError           string
	LastErrorClass      ErrorClass
	ConsecutiveFailures int

	CreatedAt     time.Time
	LastCheckedAt time.Time // zero when never checked
	LastChangedAt time.Time // capture time of the newest version
	NextCheckAt   time.Time
}

// PolicySummary is a policy with the figures list views need.
type PolicySummary struct {
	Policy
	Versions  int
	LastLevel Level // level of the analysis of the newest version against the one before ("" if none)
}

// FetchState is what a policy remembers between checks so that an unchanged
// page costs almost nothing: HTTP validators, the hash of the last raw body
// that was accepted, and a suspicious text held until a second fetch confirms
// it.
type FetchState struct {
	ETag         string
	LastModified string
	RawSHA256    string
	// HeldHash is the comparison hash of a text that shrank suspiciously; it
	// becomes a version only when the next fetch yields the same hash.
	HeldHash string
}

// Renderer says what made a snapshot's body.
type Renderer string

const (
	RendererHTTP    Renderer = "http"    // the body as the server sent it
	RendererBrowser Renderer = "browser" // the page as headless Chromium rendered it
	RendererImport  Renderer = "import"  // a file a user imported
)

// Source says how a version came to be recorded.
type Source string

const (
	SourceCheck     Source = "check"     // a check found the text changed
	SourceImport    Source = "import"    // a user imported an earlier or outside copy
	SourceReextract Source = "reextract" // a newer extractor read a stored snapshot anew
)

// Snapshot is a response body exactly as fetched (or a file as imported).
type Snapshot struct {
	ID          int64
	PolicyID    int64
	URL         string // final URL after redirects; the file name for imports
	FetchedAt   time.Time
	HTTPStatus  int // 0 for imports
	ContentType string
	SHA256      string // of Body
	Renderer    Renderer
	Body        []byte
}

// Version is one distinct text of a policy.
type Version struct {
	ID          int64
	PolicyID    int64
	SnapshotID  int64 // 0 when unknown
	CapturedAt  time.Time
	Text        string // readable structured text (Markdown-like); empty on list reads
	SHA256      string // of the normalized text, as `policywatch show` prints it
	CompareHash string // of the comparison key: equal hashes mean equal words
	Chars       int    // characters (code points) of the normalized text
	Extractor   string // extractor version that produced Text
	Source      Source
	// Technical marks a re-extraction of a stored snapshot by a newer
	// extractor: the policy did not change.
	Technical bool
}

// VersionNumbers numbers a policy's versions 1, 2, … in the order
// Store.ListVersions gives them (capture time, then id): pages and
// notifications call a version v1, v2, … of its policy, while URLs and JSON
// keep the database ids (a policy's first version may well be id 6). A
// version back-filled before others moves the later ones up by one, as it
// should: the numbers say where a version stands in the policy's history.
func VersionNumbers(versions []Version) map[int64]int {
	out := make(map[int64]int, len(versions))
	for i, v := range versions {
		out[v.ID] = i + 1
	}
	return out
}

// VersionLabel is how people are shown the n-th version of a policy: "v3".
func VersionLabel(n int) string { return "v" + strconv.Itoa(n) }

// Analysis is a stored change report between two versions of a policy,
// one per engine and language.
type Analysis struct {
	FromVersion int64
	ToVersion   int64
	Engine      string // "builtin" or a model's name
	Lang        string // "zh" or "en"
	Level       Level
	Summary     string
	Report      []byte // the whole report as JSON (internal/analyze.Report); empty on list reads
	AnalyzedAt  time.Time
}

// Result is the outcome of one check.
type Result string

const (
	ResultFirst     Result = "first"     // the policy's first version was recorded
	ResultChanged   Result = "changed"   // a new version was recorded
	ResultUnchanged Result = "unchanged" // the words are the same as the newest version
	ResultFailed    Result = "failed"    // nothing was recorded; see the error
)

// CheckRun is the record of one check of one policy.
type CheckRun struct {
	ID         int64
	PolicyID   int64
	StartedAt  time.Time
	Duration   time.Duration
	Result     Result
	ErrorClass ErrorClass
	Error      string
	HTTPStatus int
	VersionID  int64    // the version recorded, or the unchanged newest one
	Renderer   Renderer // how the page was obtained; "" when none was (counted in CheckStats, not stored per run)
}

// FormatID renders a database id the way the CLI and JSON show it.
func FormatID(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

// ParseID reads an id given on the command line or in a URL.
func ParseID(s string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("invalid id %q: want a positive number", s)
	}
	return id, nil
}
