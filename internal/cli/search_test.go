package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/policywatch/policywatch/internal/testpages"
)

// search finds a phrase at the line `show` prints it on, says where it
// first appeared, searches history on request, and refuses an empty phrase.
func TestSearchCommand(t *testing.T) {
	e := newEnv(t)
	dir, err := testpages.SharedDir()
	if err != nil {
		t.Skip(err)
	}
	var first, second map[string]any
	e.runJSON(&first, "import", "--name", "极氪个人信息保护政策", "--platform", "极氪", "--date", "2025-11-10T21:38",
		filepath.Join(dir, "fixtures", "zeekr", "zeekr-2025-11-10.txt"))
	e.runJSON(&second, "import", "--name", "极氪个人信息保护政策", "--platform", "极氪", "--date", "2025-12-31",
		filepath.Join(dir, "fixtures", "zeekr", "zeekr-2025-12-31.txt"))

	var hits []map[string]any
	if code := e.runJSON(&hits, "search", "浙江吉利汽车备件有限公司"); code != 0 || len(hits) == 0 {
		t.Fatalf("exit %d, hits %v", code, hits)
	}
	_, shown, _ := e.run("show", second["version_id"].(string))
	lines := strings.Split(shown, "\n")
	for _, h := range hits {
		if h["version_id"] != second["version_id"] || h["policy"] != "极氪个人信息保护政策" || h["platform"] != "极氪" ||
			h["policy_id"] != second["policy_id"] {
			t.Errorf("hit %v", h)
		}
		if n := int(h["line"].(float64)); lines[n-1] != h["text"] || !strings.Contains(h["text"].(string), "浙江吉利汽车备件有限公司") {
			t.Errorf("line %d is %q, hit says %q", n, lines[n-1], h["text"])
		}
		if h["first_version_id"] != second["version_id"] || h["continuous"] != true {
			t.Errorf("first appearance: %v", h)
		}
	}
	if hits[0]["line"].(float64) != 147 {
		t.Errorf("first hit on line %v, want 147", hits[0]["line"])
	}

	// A phrase of both versions: current only, or both with --all-versions.
	var now, all []map[string]any
	e.runJSON(&now, "search", "极氪")
	e.runJSON(&all, "search", "极氪", "--all-versions")
	if len(now) == 0 || len(all) <= len(now) || all[0]["version_id"] != first["version_id"] || all[0]["first_version_id"] != first["version_id"] {
		t.Errorf("极氪: %d current hits, %d in history (first %v)", len(now), len(all), all[0])
	}
	var page []map[string]any
	_, _, stderr := e.run("search", "极氪", "--limit", "2", "--format", "json")
	e.runJSON(&page, "search", "极氪", "--limit", "2", "--offset", "2")
	if !strings.Contains(stderr, "--offset 2") || len(page) != 2 || page[0]["line"] != now[2]["line"] {
		t.Errorf("paging: stderr %q, page %v", stderr, page)
	}

	code, out, _ := e.run("search", "极氪")
	if code != 0 || !strings.Contains(out, "极氪 · 极氪个人信息保护政策") {
		t.Errorf("text output (exit %d):\n%.300s", code, out)
	}
	if code, _, stderr := e.run("search", " "); code != 2 || !strings.Contains(stderr, "enter a word") {
		t.Errorf("empty phrase: exit %d, %s", code, stderr)
	}
}
