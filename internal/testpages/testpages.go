// Package testpages builds the web pages tests and benchmarks serve from the
// real policies in ../shared (the seeds and the CAPP-130 corpus, Zhu et al.,
// NeurIPS 2023, CC BY 4.0). It is test support: no product code imports it.
package testpages

import (
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
)

var (
	sharedOnce sync.Once
	sharedDir  string
	sharedErr  error
)

// SharedDir finds ../shared beside the module root (or $POLICYWATCH_SHARED).
func SharedDir() (string, error) {
	sharedOnce.Do(func() {
		if d := os.Getenv("POLICYWATCH_SHARED"); d != "" {
			sharedDir = d
			return
		}
		dir, err := os.Getwd()
		if err != nil {
			sharedErr = err
			return
		}
		for {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				sharedDir = filepath.Join(dir, "..", "shared")
				if _, err := os.Stat(sharedDir); err != nil {
					sharedErr = fmt.Errorf("shared data not found at %s (set POLICYWATCH_SHARED)", sharedDir)
				}
				return
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				sharedErr = fmt.Errorf("module root not found above the working directory")
				return
			}
			dir = parent
		}
	})
	return sharedDir, sharedErr
}

// Read returns a file under ../shared, e.g. "capp130/policies/QQ.txt".
func Read(rel string) (string, error) {
	dir, err := SharedDir()
	if err != nil {
		return "", err
	}
	b, err := os.ReadFile(filepath.Join(dir, rel))
	return string(b), err
}

// Seed returns the seed document whose file name starts with prefix ("000").
func Seed(prefix string) (string, error) {
	dir, err := SharedDir()
	if err != nil {
		return "", err
	}
	matches, _ := filepath.Glob(filepath.Join(dir, "seeds", prefix+"_*.txt"))
	if len(matches) == 0 {
		return "", fmt.Errorf("seed %s not found", prefix)
	}
	b, err := os.ReadFile(matches[0])
	return string(b), err
}

// PolicyNames lists the CAPP-130 policies (file names without .txt), sorted.
func PolicyNames() ([]string, error) {
	dir, err := SharedDir()
	if err != nil {
		return nil, err
	}
	matches, err := filepath.Glob(filepath.Join(dir, "capp130", "policies", "*.txt"))
	if err != nil || len(matches) == 0 {
		return nil, fmt.Errorf("no CAPP-130 policies under %s", dir)
	}
	names := make([]string, len(matches))
	for i, m := range matches {
		names[i] = strings.TrimSuffix(filepath.Base(m), ".txt")
	}
	sort.Strings(names)
	return names, nil
}

// Policy returns the text of one CAPP-130 policy.
func Policy(name string) (string, error) { return Read("capp130/policies/" + name + ".txt") }

// Options shape a generated page.
type Options struct {
	Title   string
	Charset string // declared in <meta>; "" declares nothing
	// Chrome surrounds the policy with a site header, navigation, a cookie
	// banner, a sidebar and a footer: what extraction must drop.
	Chrome bool
}

var (
	h2Line   = regexp.MustCompile(`^[一二三四五六七八九十]+[、.．]`)
	h3Line   = regexp.MustCompile(`^[（(][一二三四五六七八九十]+[)）]`)
	itemLine = regexp.MustCompile(`^\d+[.．、]\S`)
)

// HTML renders plain policy text as a policy web page: the first line is the
// title, numbered section lines become headings, runs of "1." lines become
// an ordered list, and the rest paragraphs.
func HTML(text string, opt Options) string {
	var b strings.Builder
	lines := nonBlankLines(text)
	title := opt.Title
	if title == "" && len(lines) > 0 {
		title = lines[0]
	}
	b.WriteString("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n")
	if opt.Charset != "" {
		fmt.Fprintf(&b, "<meta charset=\"%s\">\n", opt.Charset)
	}
	fmt.Fprintf(&b, "<title>%s</title>\n<style>body{font-family:sans-serif;max-width:50em;margin:auto}</style>\n</head>\n<body>\n", html.EscapeString(title))
	if opt.Chrome {
		b.WriteString(chromeTop)
	}
	b.WriteString("<main>\n<article class=\"policy\">\n")
	writeBody(&b, lines)
	b.WriteString("</article>\n</main>\n")
	if opt.Chrome {
		b.WriteString(chromeBottom)
	}
	b.WriteString("</body>\n</html>\n")
	return b.String()
}

// BodyHTML renders just the policy's blocks, for pages built around them.
func BodyHTML(text string) string {
	var b strings.Builder
	writeBody(&b, nonBlankLines(text))
	return b.String()
}

func writeBody(b *strings.Builder, lines []string) {
	inList := false
	for i, line := range lines {
		esc := html.EscapeString(line)
		isItem := itemLine.MatchString(line) && len([]rune(line)) < 80
		if inList && !isItem {
			b.WriteString("</ol>\n")
			inList = false
		}
		switch {
		case i == 0:
			fmt.Fprintf(b, "<h1>%s</h1>\n", esc)
		case h2Line.MatchString(line) && len([]rune(line)) < 60:
			fmt.Fprintf(b, "<h2>%s</h2>\n", esc)
		case h3Line.MatchString(line) && len([]rune(line)) < 60:
			fmt.Fprintf(b, "<h3>%s</h3>\n", esc)
		case isItem:
			if !inList {
				b.WriteString("<ol style=\"list-style:none\">\n")
				inList = true
			}
			fmt.Fprintf(b, "<li>%s</li>\n", esc)
		default:
			fmt.Fprintf(b, "<p>%s</p>\n", esc)
		}
	}
	if inList {
		b.WriteString("</ol>\n")
	}
}

func nonBlankLines(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(strings.TrimPrefix(l, "\uFEFF")); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// ChromeTexts are strings of the site chrome that must not reach a version.
var ChromeTexts = []string{"示例科技首页", "示例产品中心", "本网站使用Cookie以改善您的浏览体验", "示例科技有限公司版权所有", "示例热门文章"}

const chromeTop = `<header class="site-header"><div class="logo">示例科技</div>
<nav><ul><li><a href="/">示例科技首页</a></li><li><a href="/products">示例产品中心</a></li><li><a href="/about">关于我们</a></li></ul></nav>
</header>
<div id="cookie-banner" class="cookie-consent">本网站使用Cookie以改善您的浏览体验。<button>接受</button><button>拒绝</button></div>
<div class="breadcrumb"><a href="/">首页</a> &gt; 法律声明</div>
`

const chromeBottom = `<aside class="sidebar"><h4>示例热门文章</h4><ul><li><a href="/n/1">新品发布会圆满举行</a></li><li><a href="/n/2">公司荣获行业大奖</a></li></ul></aside>
<footer><p>© 2025 示例科技有限公司版权所有</p><p><a href="/icp">京ICP备00000000号</a></p></footer>
<script>window.analytics=function(){};</script>
`
