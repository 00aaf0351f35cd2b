package cli

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestAllowPrivateSetting(t *testing.T) {
	tests := []struct {
		value             string
		private, loopback bool
		bad               bool
	}{
		{"", false, false, false},
		{"0", false, false, false},
		{"1", true, false, false},
		{"true", true, false, false},
		{"loopback", false, true, false},
		{" Loopback ", false, true, false},
		{"yes", false, false, true},
		{"127.0.0.1", false, false, true},
	}
	for _, tt := range tests {
		c, err := loadConfig(func(k string) string {
			if k == "POLICYWATCH_ALLOW_PRIVATE" {
				return tt.value
			}
			return ""
		})
		if tt.bad {
			if err == nil || !strings.Contains(err.Error(), "loopback") {
				t.Errorf("%q: got %v, want an error naming the values", tt.value, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%q: %v", tt.value, err)
		}
		o := c.fetchOptions()
		if c.AllowPrivate != tt.private || c.AllowLoopback != tt.loopback || o.AllowPrivate != tt.private || o.AllowLoopback != tt.loopback {
			t.Errorf("%q: private %v loopback %v (fetch options %v %v)", tt.value, c.AllowPrivate, c.AllowLoopback, o.AllowPrivate, o.AllowLoopback)
		}
	}
	if !strings.Contains(envHelp(), "loopback only 127.0.0.0/8 and ::1") {
		t.Error("--help does not document POLICYWATCH_ALLOW_PRIVATE=loopback")
	}
}

// TestAllowPrivateLoopbackCheck checks a policy on a loopback server with
// POLICYWATCH_ALLOW_PRIVATE=loopback, and sees it refused without.
func TestAllowPrivateLoopbackCheck(t *testing.T) {
	e := newEnv(t)
	e.page = "<html><head><title>隐私政策</title></head><body><h1>隐私政策</h1><p>" +
		strings.Repeat("我们会收集您的手机号码，用于账号注册和登录。", 20) + "</p></body></html>"
	var added map[string]any
	if code := e.runJSON(&added, "add", e.srv.URL+"/privacy", "--name", "隐私政策", "--platform", "示例"); code != 0 {
		t.Fatalf("add exit %d", code)
	}
	id, _ := added["id"].(string)

	t.Setenv("POLICYWATCH_ALLOW_PRIVATE", "0")
	var checks []map[string]any
	if code := e.runJSON(&checks, "check", id); code != 1 || len(checks) != 1 || checks[0]["result"] != "failed" ||
		!strings.Contains(fmt.Sprint(checks[0]["error"]), "loopback") {
		t.Fatalf("strict: exit %d %v", code, checks)
	}
	t.Setenv("POLICYWATCH_ALLOW_PRIVATE", "loopback")
	if code := e.runJSON(&checks, "check", id); code != 0 || len(checks) != 1 || checks[0]["result"] != "first" {
		t.Fatalf("loopback: exit %d %v", code, checks)
	}
}

// TestEveryVariableInHelp: every POLICYWATCH_ variable the program's own
// code reads is in the --help table; variables of tests only are not.
func TestEveryVariableInHelp(t *testing.T) {
	root := filepath.Join("..", "..")
	named := regexp.MustCompile(`"(POLICYWATCH_[A-Z_]+)"`)
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || d.Name() == ".git") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range named.FindAllStringSubmatch(string(src), -1) {
			if testOnly[m[1]] {
				continue
			}
			if !strings.Contains(envHelp(), m[1]) {
				t.Errorf("%s reads %s, which --help does not list", path, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// testOnly are variables read by test helpers and scripts, not by the program.
var testOnly = map[string]bool{
	"POLICYWATCH_SHARED": true, "POLICYWATCH_TEST_AS_CLI": true, "POLICYWATCH_TEST_DB": true,
	"POLICYWATCH_TEST_POSTGRES": true, "POLICYWATCH_TEST_WORKER": true, "POLICYWATCH_WRITE_PAIR": true,
	"POLICYWATCH_SCREENSHOTS": true,
}
