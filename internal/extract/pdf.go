package extract

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/normalize"
)

// pdfTimeout bounds pdftotext on hostile or huge files.
const pdfTimeout = 60 * time.Second

// PDFToTextPath is the pdftotext binary (poppler-utils); POLICYWATCH_PDFTOTEXT
// overrides the one found on PATH.
func PDFToTextPath() (string, error) {
	if p := os.Getenv("POLICYWATCH_PDFTOTEXT"); p != "" {
		return p, nil
	}
	return exec.LookPath("pdftotext")
}

// extractPDF runs pdftotext and repairs the page debris it leaves.
func extractPDF(ctx context.Context, body []byte) (Result, error) {
	bin, err := PDFToTextPath()
	if err != nil {
		return Result{}, policywatch.Errorf(policywatch.ErrUnsupported,
			"reading PDF needs pdftotext, which was not found: install poppler-utils (and poppler-data for Chinese)")
	}
	f, err := os.CreateTemp("", "policywatch-*.pdf")
	if err != nil {
		return Result{}, policywatch.Errorf(policywatch.ErrInternal, "cannot write temporary PDF: %v", err)
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(body); err != nil {
		f.Close()
		return Result{}, policywatch.Errorf(policywatch.ErrInternal, "cannot write temporary PDF: %v", err)
	}
	f.Close()

	ctx, cancel := context.WithTimeout(ctx, pdfTimeout)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "-enc", "UTF-8", "-eol", "unix", f.Name(), "-")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return Result{}, policywatch.Errorf(policywatch.ErrExtract, "pdftotext took longer than %v", pdfTimeout)
		}
		return Result{}, policywatch.Errorf(policywatch.ErrExtract, "pdftotext failed: %s", firstLine(stderr.String(), err))
	}
	return Result{Text: normalize.Clean(RepairPDFText(stdout.String())), Format: FormatPDF, Charset: "utf-8"}, nil
}

func firstLine(s string, fallback error) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return fallback.Error()
	}
	line, _, _ := strings.Cut(s, "\n")
	return line
}
