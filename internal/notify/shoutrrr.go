package notify

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/nicholas-fedor/shoutrrr/pkg/router"
)

// shoutrrrSender sends plain text through any service shoutrrr knows
// (Telegram, Slack, ntfy, ...). Those services bring their own HTTP clients,
// so Options.HTTPClient does not apply; its timeout does.
type shoutrrrSender struct {
	service string
	router  *router.ServiceRouter
}

func newShoutrrr(target string, opt Options) (*shoutrrrSender, error) {
	u, err := url.Parse(target)
	if err != nil || u.Scheme == "" {
		return nil, errors.New("notify: a shoutrrr URL looks like service://..., e.g. telegram://token@telegram?chats=ID")
	}
	service, _, _ := strings.Cut(strings.ToLower(u.Scheme), "+")
	// Building the router initializes the service from the URL, so a URL it
	// cannot use fails here, at subscribe time, not at the first change.
	r, err := router.New(nil, target)
	if err != nil {
		switch {
		case errors.Is(err, router.ErrUnknownService):
			return nil, fmt.Errorf("notify: unknown shoutrrr service %q", service)
		case errors.Is(err, router.ErrInitializeFailed) && service == u.Scheme:
			// The router drops the service's reason; ask the service again.
			if svc, e := new(router.ServiceRouter).NewService(service); e == nil {
				if e := svc.Initialize(u, nil); e != nil {
					return nil, fmt.Errorf("notify: shoutrrr %s URL: %w", service, e)
				}
			}
		}
		return nil, fmt.Errorf("notify: shoutrrr %s URL: %w", service, errors.Unwrap(err))
	}
	r.Timeout = opt.timeout()
	return &shoutrrrSender{service: service, router: r}, nil
}

func (s *shoutrrrSender) Send(ctx context.Context, m Message) error {
	if err := m.check(); err != nil {
		return err
	}
	c := compose(m, robotLimit)
	text := c.Title + "\n\n" + c.plain()
	// shoutrrr takes no context; the router's timeout ends the send in any
	// case, and we stop waiting as soon as ctx ends.
	done := make(chan error, 1)
	go func() { done <- errors.Join(s.router.Send(text, nil)...) }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("notify: shoutrrr %s: %w", s.service, err)
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("notify: shoutrrr %s: %w", s.service, ctx.Err())
	}
}
