package cli

import (
	"context"
	"io"
	"os"
	"strings"
	"testing"
)

func BenchmarkDiffCommandJSON(b *testing.B) {
	dir := os.Getenv("PAIR")
	if dir == "" {
		b.Skip("PAIR not set")
	}
	for b.Loop() {
		if code := run(context.Background(), []string{"diff", dir + "/old.txt", dir + "/new.txt", "--format", "json"}, strings.NewReader(""), io.Discard, io.Discard); code != 0 {
			b.Fatal(code)
		}
	}
}
