// Command makepdf prints a CAPP-130 policy to PDF with headless Chromium,
// with a running header, page-number footers and a letter-spaced title: the
// debris PDF extraction must repair. It made
// internal/extract/testdata/zhongguoyidong.pdf:
//
//	go run ./scripts/makepdf -policy 中国移动 -out internal/extract/testdata/zhongguoyidong.pdf
package main

import (
	"context"
	"encoding/base64"
	"flag"
	"log"
	"os"
	"strings"

	"github.com/chromedp/chromedp"

	"github.com/policywatch/policywatch/internal/browser"
	"github.com/policywatch/policywatch/internal/testpages"
)

func main() {
	name := flag.String("policy", "中国移动", "CAPP-130 policy name")
	out := flag.String("out", "policy.pdf", "output file")
	flag.Parse()

	text, err := testpages.Policy(*name)
	if err != nil {
		log.Fatal(err)
	}
	page := testpages.HTML(text, testpages.Options{Charset: "utf-8"})
	// Letter-spaced headings come out of pdftotext as spaced-out text.
	page = strings.Replace(page, "<style>", "<style>h1{letter-spacing:0.6em}p{line-height:1.6;font-size:15px}", 1)

	path, err := browser.Find()
	if err != nil {
		log.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU)
	alloc, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()

	dataURL := "data:text/html;charset=utf-8;base64," + base64.StdEncoding.EncodeToString([]byte(page))
	if err := chromedp.Do(ctx, chromedp.Navigate(dataURL)); err != nil {
		log.Fatal(err)
	}
	header := `<div style="font-size:9px;width:100%;text-align:center;font-family:sans-serif">` + *name + `隐私政策</div>`
	footer := `<div style="font-size:9px;width:100%;text-align:center;font-family:sans-serif">第 <span class="pageNumber"></span> 页 / 共 <span class="totalPages"></span> 页</div>`
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(
		chromedp.PDFHeaderTemplate(header),
		chromedp.PDFFooterTemplate(footer),
		chromedp.PDFMargins(0.8, 0.8, 0.8, 0.8),
		chromedp.PDFPageRanges("1-3"), // keeps the fixture small
	))
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, pdf, 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %s (%d bytes)", *out, len(pdf))
}
