package textdiff

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/policywatch/policywatch/internal/normalize"
	"github.com/policywatch/policywatch/internal/testpages"
)

func TestTextShowsChangedCharacters(t *testing.T) {
	a, b := zeekr(t)
	var out bytes.Buffer
	WriteText(&out, Compare(a, b), TextOptions{})
	text := out.String()
	if !strings.Contains(text, "极物商城由关联方浙江[-浩物网络科技-]{+吉利汽车备件+}有限公司负责运营") {
		t.Errorf("changed characters not marked:\n%s", text)
	}
	if !strings.Contains(text, "~   147   147 │") || !strings.Contains(text, "1 modified") {
		t.Errorf("row mark or stats missing:\n%s", text)
	}
	if strings.Contains(text, "\x1b[") {
		t.Error("colour codes without Color")
	}
	out.Reset()
	WriteText(&out, Compare(a, b), TextOptions{Color: true})
	if !strings.Contains(out.String(), "\x1b[41;97m[-浩物网络科技-]") {
		t.Errorf("no colour with Color:\n%q", out.String())
	}
}

func TestJSONShape(t *testing.T) {
	res := Compare("甲。\n乙是一句话。\n", "乙是一句新话。\n丙。\n")
	b, err := json.Marshal(res.JSON())
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Stats map[string]int
		Rows  []map[string]any
	}
	json.Unmarshal(b, &got)
	for _, k := range []string{"added", "removed", "modified", "moved", "unchanged"} {
		if _, ok := got.Stats[k]; !ok {
			t.Errorf("stats lacks %q", k)
		}
	}
	for _, r := range got.Rows {
		for _, k := range []string{"op", "old_no", "new_no", "old", "new", "spans"} {
			if _, ok := r[k]; !ok {
				t.Errorf("row lacks %q: %v", k, r)
			}
		}
		if r["op"] == "insert" && r["old_no"] != nil {
			t.Errorf("insert row has an old line: %v", r)
		}
	}
}

// TestPatchApplies checks WritePatch against GNU patch on real policies
// with random edits, moves included.
func TestPatchApplies(t *testing.T) {
	if _, err := exec.LookPath("patch"); err != nil {
		t.Skip("patch(1) not installed")
	}
	names, err := testpages.PolicyNames()
	if err != nil {
		t.Skip(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	dir := t.TempDir()
	for _, name := range names[:12] {
		src := normalize.Text(policy(t, name))
		edited := strings.Join(editLines(rng, Lines(src), 0.3), "\n") + "\n"
		var p bytes.Buffer
		WritePatch(&p, Compare(src, edited), "a/policy.txt", "b/policy.txt", 3)
		target := filepath.Join(dir, "policy.txt")
		os.WriteFile(target, []byte(src), 0o644)
		cmd := exec.Command("patch", "--quiet", "--forward", "--no-backup-if-mismatch", "-r", "-", target)
		cmd.Stdin = &p
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: patch failed: %v\n%s\n%.2000s", name, err, out, p.String())
		}
		got, _ := os.ReadFile(target)
		if string(got) != normalize.Text(edited) {
			t.Fatalf("%s: patched text differs from the new version", name)
		}
	}
}

// TestWriteJSONMatchesEncodingJSON: the streaming writer says exactly what
// encoding/json says of JSON(), including escapes and invalid UTF-8.
func TestWriteJSONMatchesEncodingJSON(t *testing.T) {
	cases := [][2]string{
		{"甲。\n乙\"引号\"\\反斜杠\t制表。\n</script>&<>\n", "甲。\n乙\"引号\"\\反斜杠 制表符。\n丙\u2028\x01\n"},
		{"bad \xff utf-8\n", "good\n"},
		{"", ""},
	}
	a, b := zeekr(t)
	cases = append(cases, [2]string{a, b})
	for _, c := range cases {
		res := Compare(c[0], c[1])
		var got bytes.Buffer
		if err := res.WriteJSON(&got); err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.Encode(res.JSON())
		var g, w any
		if err := json.Unmarshal(got.Bytes(), &g); err != nil {
			t.Fatalf("invalid JSON: %v\n%s", err, got.String())
		}
		json.Unmarshal(want.Bytes(), &w)
		if fmt.Sprint(g) != fmt.Sprint(w) {
			t.Errorf("streamed JSON differs:\n%s\n%s", got.String(), want.String())
		}
	}
}
