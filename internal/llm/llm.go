// Package llm lets an OpenAI-compatible chat model (DeepSeek by default; a
// local Ollama or any other server speaking the protocol) write the prose of
// a change report. The built-in analysis still finds the changes, the facts
// and the level; the model only rewrites the statements, the impacts and the
// conclusion, must cite the changes it speaks of, and is checked against a
// JSON schema. Whenever it fails (timeout, error, invalid answer) the
// built-in report stands and the failure is logged.
package llm

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/policywatch/policywatch/internal/analyze"
)

// Defaults: DeepSeek's OpenAI-compatible endpoint and chat model.
const (
	DefaultBaseURL  = "https://api.deepseek.com/v1"
	DefaultModel    = "deepseek-chat"
	DefaultTimeout  = 90 * time.Second
	DefaultMaxInput = 24000 // characters of change text sent, about as many tokens for Chinese
)

// Config configures the model.
type Config struct {
	BaseURL    string        // default DefaultBaseURL
	APIKey     string        // sent as a bearer token (a local server may ignore it)
	Model      string        // default DefaultModel
	Timeout    time.Duration // one whole answer, default DefaultTimeout
	MaxInput   int           // characters of change text in a prompt, default DefaultMaxInput
	HTTPClient *http.Client  // default http.DefaultClient
	Logger     *slog.Logger  // default slog.Default()
}

// Analyzer writes reports with a model on top of the built-in analysis.
type Analyzer struct {
	cfg    Config
	client *chatClient
	cache  *cache
}

// New returns an analyzer for the configured model.
func New(cfg Config) *Analyzer {
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	if cfg.Model == "" {
		cfg.Model = DefaultModel
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxInput <= 0 {
		cfg.MaxInput = DefaultMaxInput
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Analyzer{cfg: cfg, client: newChatClient(cfg.BaseURL, cmp.Or(cfg.APIKey, "none"), cfg.HTTPClient), cache: newCache(256)}
}

// Engine names the model in reports.
func (a *Analyzer) Engine() string { return a.cfg.Model }

// Analyze implements analyze.Analyzer. It fails only when the built-in
// analysis does; a model failure leaves the built-in report, with
// EngineNote saying why.
func (a *Analyzer) Analyze(ctx context.Context, oldText, newText string, opt analyze.Options) (*analyze.Report, error) {
	key := cacheKey(oldText, newText, a.cfg.Model, opt.Lang)
	if r := a.cache.get(key); r != nil {
		return r, nil
	}
	report, err := analyze.Compare(oldText, newText, opt)
	if err != nil {
		return nil, err
	}
	if len(report.Changes) == 0 {
		return report, nil // nothing for a model to say
	}
	if err := a.rewrite(ctx, report); err != nil {
		a.cfg.Logger.Warn("model analysis failed; the built-in report stands", "engine", a.cfg.Model, "err", err)
		report.EngineNote = fmt.Sprintf("%s: %v", a.cfg.Model, err)
		return report, nil
	}
	a.cache.put(key, report)
	return clone(report), nil
}

// rewrite asks the model for the report's prose and puts it in.
func (a *Analyzer) rewrite(ctx context.Context, report *analyze.Report) error {
	ctx, cancel := context.WithTimeout(ctx, a.cfg.Timeout)
	defer cancel()
	system, user := prompt(report, a.cfg.MaxInput)
	req := completionRequest{
		Model:       a.cfg.Model,
		Messages:    []chatMessage{{Role: "system", Content: system}, {Role: "user", Content: user}},
		Temperature: 0.2,
		MaxTokens:   4096,
	}
	req.ResponseFormat.Type = "json_object"
	resp, err := a.client.complete(ctx, req)
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return fmt.Errorf("no answer within %s", a.cfg.Timeout)
	case err != nil:
		return err
	case len(resp.Choices) == 0:
		return errors.New("answer has no choices")
	}
	ans, err := parseAnswer(resp.Choices[0].Message.Content)
	if err != nil {
		return err
	}
	statements := make([]analyze.Statement, 0, len(ans.Statements))
	for _, s := range ans.Statements {
		statements = append(statements, analyze.Statement{Text: s.Text, Changes: s.Changes})
	}
	impacts := map[int]string{}
	for _, c := range ans.Changes {
		impacts[c.ID] = c.Impact
	}
	trial := clone(report)
	dropped := trial.Rewrite(a.cfg.Model, statements, impacts, ans.Conclusion)
	if dropped > 0 {
		a.cfg.Logger.Info("model statements citing no existing change dropped", "engine", a.cfg.Model, "dropped", dropped)
	}
	if dropped == len(statements)+len(impacts) {
		return errors.New("every statement of the answer cites changes that do not exist")
	}
	*report = *trial
	return nil
}

// clone copies a report deeply enough that callers may change its changes.
func clone(r *analyze.Report) *analyze.Report {
	c := *r
	c.Changes = append([]analyze.Change(nil), r.Changes...)
	c.Statements = append([]analyze.Statement(nil), r.Statements...)
	return &c
}

func cacheKey(oldText, newText, model, lang string) string {
	h := sha256.New()
	for _, s := range []string{oldText, newText, model, lang} {
		fmt.Fprintf(h, "%d:%s", len(s), s)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// cache keeps the latest reports, so a page shown again does not ask the
// model again. Reports stored with versions live in the database.
type cache struct {
	mu    sync.Mutex
	max   int
	order []string
	items map[string]*analyze.Report
}

func newCache(max int) *cache { return &cache{max: max, items: map[string]*analyze.Report{}} }

func (c *cache) get(key string) *analyze.Report {
	c.mu.Lock()
	defer c.mu.Unlock()
	if r, ok := c.items[key]; ok {
		return clone(r)
	}
	return nil
}

func (c *cache) put(key string, r *analyze.Report) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.items[key]; !ok {
		c.order = append(c.order, key)
	}
	c.items[key] = clone(r)
	for len(c.order) > c.max {
		delete(c.items, c.order[0])
		c.order = c.order[1:]
	}
}
