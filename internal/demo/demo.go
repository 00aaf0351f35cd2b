// Package demo loads the sample collection that `serve --demo` shows a new
// user: the seed policies of the project and the Zeekr policy as the two
// dated versions of the reference comparison (see data/SOURCES.md).
package demo

import (
	"context"
	"embed"
	"fmt"
	"time"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/extract"
	"github.com/policywatch/policywatch/internal/track"
)

//go:embed data/*.txt
var data embed.FS

var shanghai = time.FixedZone("CST", 8*3600)

// sample is one version of one demo policy.
type sample struct {
	platform, name, file string
	captured             time.Time // zero: the time of loading (the text gives no date)
	fromPDF              bool      // text extracted from a PDF, with its debris
}

var samples = []sample{
	{"极氪", "极氪个人信息保护政策", "zeekr-2025-11-10.txt", time.Date(2025, 11, 10, 21, 38, 0, 0, shanghai), false},
	{"极氪", "极氪个人信息保护政策", "zeekr-2025-12-31.txt", time.Date(2025, 12, 31, 2, 55, 0, 0, shanghai), false},
	{"车300", "车300隐私政策", "che300.txt", time.Date(2023, 8, 29, 0, 0, 0, 0, shanghai), false},
	{"e约车", "e约车隐私声明", "eyueche.txt", time.Date(2020, 6, 30, 0, 0, 0, 0, shanghai), false},
	{"瑞驰汽车", "瑞驰汽车隐私政策", "ruichi.txt", time.Time{}, true},
}

// Load imports the demo collection into st if st holds no policy yet. It
// reports whether it loaded anything.
func Load(ctx context.Context, st policywatch.Store, c *track.Checker, now time.Time) (bool, error) {
	existing, err := st.ListPolicies(ctx)
	if err != nil {
		return false, err
	}
	if len(existing) > 0 {
		return false, nil
	}
	for _, s := range samples {
		body, err := data.ReadFile("data/" + s.file)
		if err != nil {
			return false, err
		}
		if s.fromPDF {
			body = []byte(extract.RepairPDFText(string(body)))
		}
		at := s.captured
		if at.IsZero() {
			at = now
		}
		if _, err := c.Import(ctx, track.ImportRequest{
			Platform: s.platform, Name: s.name, CapturedAt: at, FileName: s.file, Body: body,
		}); err != nil {
			return false, fmt.Errorf("demo %s: %w", s.file, err)
		}
	}
	return true, nil
}
