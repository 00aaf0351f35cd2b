package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// chatClient makes the one call of the OpenAI chat completions protocol the
// analyzer needs: POST {base}/chat/completions with a bearer token, one
// retry of connection failures, 408, 409, 429 and 5xx answers (after the
// server's Retry-After, else about half a second), and the server's error
// message in the error. It stands in for the OpenAI SDK, whose packages'
// initialisation (and half of the program's size) every command paid for.
type chatClient struct {
	endpoint   string // {base}/chat/completions
	origin     string // scheme://host of the endpoint: no request or redirect leaves it
	apiKey     string
	http       *http.Client
	maxRetries int
}

// maxRetryAfter is the longest wait a server may ask for; asked for more,
// the client gives up at once.
const maxRetryAfter = 2 * time.Minute

func newChatClient(baseURL, apiKey string, hc *http.Client) *chatClient {
	if hc == nil {
		hc = http.DefaultClient
	}
	c := &chatClient{endpoint: strings.TrimRight(baseURL, "/") + "/chat/completions", apiKey: apiKey, maxRetries: 1}
	if u, err := url.Parse(c.endpoint); err == nil {
		c.origin = u.Scheme + "://" + u.Host
	}
	// The bearer token must not follow a redirect elsewhere.
	guarded := *hc
	next := hc.CheckRedirect
	guarded.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if req.URL.Scheme+"://"+req.URL.Host != c.origin {
			return redirectError{fmt.Sprintf("redirected away from %s to %s", c.origin, req.URL.Host)}
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return redirectError{"stopped after 10 redirects"}
		}
		return nil
	}
	c.http = &guarded
	return c
}

// redirectError is a redirect refused: trying again would not help.
type redirectError struct{ msg string }

func (e redirectError) Error() string { return e.msg }

type chatMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

type completionRequest struct {
	Model          string        `json:"model"`
	Messages       []chatMessage `json:"messages"`
	ResponseFormat struct {
		Type string `json:"type"`
	} `json:"response_format"`
	Temperature float64 `json:"temperature"`
	MaxTokens   int     `json:"max_tokens"`
}

type completionResponse struct {
	Choices []struct {
		Message struct {
			Content string `json:"content"`
		} `json:"message"`
	} `json:"choices"`
}

// complete sends the request and decodes the answer.
func (c *chatClient) complete(ctx context.Context, in completionRequest) (*completionResponse, error) {
	body, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	var res *http.Response
	for attempt := 0; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json")
		req.Header.Set("Authorization", "Bearer "+c.apiKey)
		res, err = c.http.Do(req)
		if ctx.Err() != nil {
			if res != nil {
				res.Body.Close()
			}
			return nil, ctx.Err()
		}
		if attempt >= c.maxRetries || !retryable(res, err) {
			if err != nil {
				return nil, err
			}
			break
		}
		delay, ok := retryDelay(res, attempt)
		if !ok {
			break // the server asks for a longer wait than is worth it: its answer stands
		}
		if res != nil {
			io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
			res.Body.Close()
		}
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
	defer res.Body.Close()
	data, err := io.ReadAll(io.LimitReader(res.Body, 16<<20))
	if err != nil {
		return nil, err
	}
	if res.StatusCode >= 300 {
		return nil, apiError(res, data)
	}
	var out completionResponse
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, fmt.Errorf("%s: answer is not a chat completion: %w", c.endpoint, err)
	}
	return &out, nil
}

// retryable: no answer at all (a connection failure, not a refused
// redirect), or one of the statuses worth a second try; the server may say
// otherwise with x-should-retry.
func retryable(res *http.Response, err error) bool {
	if err != nil || res == nil {
		return !errors.As(err, new(redirectError))
	}
	switch res.Header.Get("X-Should-Retry") {
	case "true":
		return true
	case "false":
		return false
	}
	s := res.StatusCode
	return s == http.StatusRequestTimeout || s == http.StatusConflict || s == http.StatusTooManyRequests || s >= 500
}

// retryDelay is the wait before the retry after attempt: the server's
// Retry-After-Ms or Retry-After (seconds or a date) when given, else half a
// second doubling per attempt, less up to a quarter at random. A server
// asking for more than maxRetryAfter is not retried.
func retryDelay(res *http.Response, attempt int) (time.Duration, bool) {
	if res != nil {
		if v, err := strconv.ParseFloat(res.Header.Get("Retry-After-Ms"), 64); err == nil && v >= 0 {
			d := time.Duration(v * float64(time.Millisecond))
			return d, v <= float64(maxRetryAfter/time.Millisecond)
		}
		if ra := res.Header.Get("Retry-After"); ra != "" {
			if v, err := strconv.ParseFloat(ra, 64); err == nil && v >= 0 {
				return time.Duration(v * float64(time.Second)), v <= maxRetryAfter.Seconds()
			}
			if t, err := http.ParseTime(ra); err == nil {
				d := max(time.Until(t), 0)
				return d, d <= maxRetryAfter
			}
		}
	}
	d := min(time.Duration(float64(500*time.Millisecond)*float64(int(1)<<min(attempt, 4))), 8*time.Second)
	d -= time.Duration(rand.Int64N(int64(d / 4)))
	return d, true
}

// apiError is an error answer as one line: the status and the server's
// message, when it gives one in the usual {"error":{"message":…}} shape.
func apiError(res *http.Response, body []byte) error {
	msg := ""
	var e struct {
		Error json.RawMessage `json:"error"`
	}
	if json.Unmarshal(body, &e) == nil && len(e.Error) > 0 {
		var obj struct {
			Message string `json:"message"`
		}
		var s string
		if json.Unmarshal(e.Error, &obj) == nil {
			msg = obj.Message
		} else if json.Unmarshal(e.Error, &s) == nil {
			msg = s
		}
	}
	if msg == "" && !json.Valid(body) {
		msg = string(body)
	}
	text := fmt.Sprintf("API error: %s", res.Status)
	if msg = oneLine(msg); msg != "" {
		text += ": " + msg
	}
	return errors.New(text)
}
