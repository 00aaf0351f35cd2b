package main

import (
	"encoding/json"
	"errors"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestBinary builds the program as the contract says and drives it the way
// outside programs do.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "policywatch")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	db := filepath.Join(dir, "pw.db")
	run := func(args ...string) (int, []byte) {
		cmd := exec.Command(bin, append([]string{"--db", db}, args...)...)
		out, err := cmd.Output()
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return exit.ExitCode(), out
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0, out
	}
	code, out := run("add", "https://www.example.com/privacy", "--name", "隐私政策", "--platform", "示例", "--format", "json")
	var added map[string]any
	if code != 0 || json.Unmarshal(out, &added) != nil || added["id"] == "" {
		t.Fatalf("add: exit %d, %s", code, out)
	}
	code, out = run("list", "--format", "json")
	var list []map[string]any
	if code != 0 || json.Unmarshal(out, &list) != nil || len(list) != 1 {
		t.Fatalf("list: exit %d, %s", code, out)
	}
	if code, _ := run("add"); code != 2 {
		t.Errorf("bad usage exited %d, want 2", code)
	}
	if code, _ := run("show", "99"); code != 1 {
		t.Errorf("missing version exited %d, want 1", code)
	}
}
