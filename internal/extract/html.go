package extract

import (
	"bytes"
	"net/url"
	"strings"
	"sync"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/base"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/commonmark"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/table"
	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/lazyregexp"
)

// markdown is safe for concurrent use: the converter keeps no per-call state
// outside the context it creates for each conversion. It is made on first use.
var markdown = sync.OnceValue(func() *converter.Converter {
	return converter.NewConverter(
		converter.WithPlugins(
			base.NewBasePlugin(),
			commonmark.NewCommonmarkPlugin(
				commonmark.WithHeadingStyle(commonmark.HeadingStyleATX),
				commonmark.WithBulletListMarker("-"),
				commonmark.WithListEndComment(false),
			),
			table.NewTablePlugin(
				// Aligned padding would rewrite every row of a column when one
				// cell grows: a diff must show only the cell that changed.
				table.WithCellPaddingBehavior(table.CellPaddingBehaviorMinimal),
				table.WithSpanCellBehavior(table.SpanBehaviorMirror),
				table.WithSkipEmptyRows(true),
				table.WithHeaderPromotion(true), // else headerless tables get an empty header row
			),
		),
		// Escaping would litter Chinese text with backslashes ("1\. 我们…").
		converter.WithEscapeMode(converter.EscapeModeDisabled),
	)
})

// dropped elements never hold policy text.
const droppedSelector = "script, style, noscript, template, head, svg, canvas, iframe, frame, object, embed, " +
	"img, picture, video, audio, map, input, button, select, textarea, option, dialog[aria-modal]"

// chrome is the site's navigation, headers and footers around the content.
// It is removed only when it holds a small share of the page's text, so a
// page that wraps its whole policy in, say, a <header> loses nothing.
var chrome = sync.OnceValue(func() cascadia.Selector {
	return cascadia.MustCompile(
		"nav, aside, [role=navigation], [role=banner], [role=contentinfo], [role=complementary], " +
			"[role=search], header, footer, [class*=breadcrumb], [class*=sidebar], [id*=sidebar], .skip-link")
})

// banners are cookie and consent pop-ups. Matching by name would also catch
// a policy's own section on cookies, so only short ones go.
var banners = sync.OnceValue(func() cascadia.Selector {
	return cascadia.MustCompile(
		"[role=dialog], [role=alertdialog], #onetrust-consent-sdk, .cc-window, [id*=cookie], [class*=cookie], " +
			"[id*=consent], [class*=consent], [class*=gdpr], [id*=gdpr]")
})

const (
	chromeMaxShare = 0.3 // of the page's text
	bannerMaxRunes = 500
)

// unwrapped inline elements keep their text but lose their markup: link
// targets, emphasis and font changes are not words, and Markdown markers for
// them would show up as changes when only the styling changed.
var unwrapped = map[atom.Atom]bool{
	atom.A: true, atom.B: true, atom.Strong: true, atom.Em: true, atom.I: true, atom.U: true,
	atom.Span: true, atom.Font: true, atom.Small: true, atom.Big: true, atom.Mark: true,
	atom.Abbr: true, atom.Cite: true, atom.Code: true, atom.Kbd: true, atom.Samp: true,
	atom.Var: true, atom.Sup: true, atom.Sub: true, atom.Ins: true, atom.Del: true, atom.S: true,
	atom.Strike: true, atom.Time: true, atom.Label: true, atom.Tt: true, atom.Q: true, atom.Dfn: true,
}

// mainCandidates are the containers that name themselves the content.
var mainCandidates = sync.OnceValue(func() cascadia.Selector {
	return cascadia.MustCompile("main, [role=main], article, #content, #main, .content, .main, " +
		".article, .policy, #policy, .privacy, #privacy, .agreement, .protocol")
})

// htmlPage is a parsed HTML document and what was learned while reading it.
type htmlPage struct {
	doc      *goquery.Document
	title    string
	signals  ShellSignals
	pageURL  *url.URL
	selector string
	remove   []string
}

// extractHTML reduces an HTML document to structured text.
func extractHTML(src string, in Input) (Result, error) {
	root, err := html.Parse(strings.NewReader(src))
	if err != nil {
		return Result{}, policywatch.Errorf(policywatch.ErrExtract, "cannot parse HTML: %v", err)
	}
	page := &htmlPage{
		doc:      goquery.NewDocumentFromNode(root),
		selector: in.Select,
		remove:   in.Remove,
	}
	page.pageURL, _ = url.Parse(in.URL)
	page.title = collapse(page.doc.Find("title").First().Text())
	page.signals = readShellSignals(page.doc)

	content, err := page.content()
	if err != nil {
		return Result{}, err
	}
	text, err := toMarkdown(content)
	if err != nil {
		return Result{}, err
	}
	return Result{Text: text, Format: FormatHTML, Title: page.title, Shell: page.signals}, nil
}

// content returns the nodes that hold the policy: those the user selected,
// or else the main content found on the page.
func (p *htmlPage) content() ([]*html.Node, error) {
	p.doc.Find(droppedSelector).Remove()
	for _, sel := range p.remove {
		m, err := cascadia.Compile(sel)
		if err != nil {
			return nil, policywatch.Errorf(policywatch.ErrInvalid, "bad --remove selector %q: %v", sel, err)
		}
		p.doc.FindMatcher(m).Remove()
	}
	if p.selector != "" {
		m, err := cascadia.Compile(p.selector)
		if err != nil {
			return nil, policywatch.Errorf(policywatch.ErrInvalid, "bad --select selector %q: %v", p.selector, err)
		}
		found := p.doc.FindMatcher(m)
		if found.Length() == 0 {
			return nil, policywatch.Errorf(policywatch.ErrExtract, "selector %q matched nothing on the page", p.selector)
		}
		return topmost(found.Nodes), nil
	}
	body := p.doc.Find("body")
	if body.Length() == 0 {
		body = p.doc.Selection
	}
	p.removeBoilerplate(body)
	return []*html.Node{p.mainContent(body)}, nil
}

// removeBoilerplate drops navigation, headers, footers and cookie banners
// that hold little of the page's text.
func (p *htmlPage) removeBoilerplate(body *goquery.Selection) {
	total := float64(textLen(body.Nodes[0]))
	removeWhere(body, banners(), func(n *html.Node) bool { return textLen(n) < bannerMaxRunes })
	removeWhere(body, chrome(), func(n *html.Node) bool {
		return float64(textLen(n)) < chromeMaxShare*total && !insideContent(n)
	})
}

// removeWhere removes the matches of m under sel for which remove says so.
func removeWhere(sel *goquery.Selection, m goquery.Matcher, remove func(*html.Node) bool) {
	for _, n := range sel.FindMatcher(m).Nodes {
		if n.Parent != nil && attached(n) && remove(n) {
			n.Parent.RemoveChild(n)
		}
	}
}

// attached reports whether n is still in the document (an ancestor may have
// been removed already).
func attached(n *html.Node) bool {
	for ; n.Parent != nil; n = n.Parent {
	}
	return n.Type == html.DocumentNode
}

// insideContent reports a node within an <article> or <main>: a header or
// footer there belongs to the document (title, dates), not the site.
func insideContent(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.DataAtom == atom.Article || p.DataAtom == atom.Main {
			return true
		}
	}
	return false
}

// mainContent picks the node that holds the policy: a container that names
// itself the content, else Readability's choice, provided either keeps most
// of the page's text; otherwise the whole (cleaned) body, because dropping
// policy text is worse than keeping a little chrome.
func (p *htmlPage) mainContent(body *goquery.Selection) *html.Node {
	bodyNode := body.Nodes[0]
	total := textLen(bodyNode)
	if total == 0 {
		return bodyNode
	}
	var best *html.Node
	bestLen := 0
	for _, n := range body.FindMatcher(mainCandidates()).Nodes {
		if l := textLen(n); l > bestLen {
			best, bestLen = n, l
		}
	}
	if best != nil && float64(bestLen) >= 0.6*float64(total) {
		return best
	}
	parser := readability.NewParser()
	parser.CharThresholds = 200
	article, err := parser.ParseDocument(bodyNode, p.pageURL)
	if err == nil && article.Node != nil && float64(textLen(article.Node)) >= 0.75*float64(total) {
		return article.Node
	}
	return bodyNode
}

// toMarkdown renders content nodes as Markdown-like structured text.
func toMarkdown(nodes []*html.Node) (string, error) {
	var out bytes.Buffer
	for _, n := range nodes {
		simplify(n)
		md, err := markdown().ConvertNode(n)
		if err != nil {
			return "", policywatch.Errorf(policywatch.ErrExtract, "cannot convert HTML to text: %v", err)
		}
		if out.Len() > 0 {
			out.WriteString("\n\n")
		}
		out.Write(md)
	}
	return tidyMarkdown(out.String()), nil
}

// simplify rewrites the subtree into the shapes the converter renders well:
// inline markup unwrapped, table cells flattened to one line, preformatted
// text split into one block per line.
func simplify(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode {
			switch {
			case c.DataAtom == atom.Td || c.DataAtom == atom.Th:
				flattenCell(c)
			case c.DataAtom == atom.Pre:
				splitPre(c)
			case c.DataAtom == atom.Ol && itemsNumberThemselves(c):
				// "1. 1.我们如何…" would repeat the number, and a renumbered
				// list would show every item as changed.
				c.DataAtom, c.Data = atom.Ul, "ul"
				simplify(c)
			default:
				simplify(c)
				if unwrapped[c.DataAtom] {
					unwrap(c)
				}
			}
		} else if c.Type == html.CommentNode {
			n.RemoveChild(c)
		}
		c = next
	}
}

// unwrap replaces n by its children.
func unwrap(n *html.Node) {
	parent := n.Parent
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		n.RemoveChild(c)
		parent.InsertBefore(c, n)
		c = next
	}
	parent.RemoveChild(n)
}

// flattenCell turns a table cell's content into one line: Markdown table
// rows cannot span lines, and a cell's line breaks are layout.
func flattenCell(cell *html.Node) {
	var parts []string
	var walk func(*html.Node)
	var cur strings.Builder
	flush := func() {
		if s := collapse(cur.String()); s != "" {
			parts = append(parts, s)
		}
		cur.Reset()
	}
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			cur.WriteString(n.Data)
			return
		case html.ElementNode:
			if n.DataAtom == atom.Br || isBlock(n.DataAtom) {
				flush()
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if n.Type == html.ElementNode && isBlock(n.DataAtom) {
			flush()
		}
	}
	walk(cell)
	flush()
	for c := cell.FirstChild; c != nil; {
		next := c.NextSibling
		cell.RemoveChild(c)
		c = next
	}
	cell.AppendChild(&html.Node{Type: html.TextNode, Data: strings.ReplaceAll(strings.Join(parts, " "), "|", "｜")})
}

// splitPre turns preformatted text into one paragraph per line so that its
// line structure survives the converter's whitespace collapsing.
func splitPre(pre *html.Node) {
	var text strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			text.WriteString(n.Data)
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Br {
			text.WriteByte('\n')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(pre)
	div := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	for line := range strings.Lines(text.String()) {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		p := &html.Node{Type: html.ElementNode, Data: "p", DataAtom: atom.P}
		p.AppendChild(&html.Node{Type: html.TextNode, Data: line})
		div.AppendChild(p)
	}
	pre.Parent.InsertBefore(div, pre)
	pre.Parent.RemoveChild(pre)
}

func isBlock(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Li, atom.Ul, atom.Ol, atom.Dl, atom.Dt, atom.Dd, atom.Section,
		atom.Article, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Table, atom.Tr,
		atom.Blockquote, atom.Pre, atom.Hr, atom.Header, atom.Footer, atom.Figure:
		return true
	}
	return false
}

// ownNumber matches list text that carries its own number: 1. 1、 (1) （一） 一、 a)
var ownNumber = lazyregexp.New(`^\s*(\d+[.、．)）]|[（(]\s*[\d一二三四五六七八九十]+\s*[)）]|[一二三四五六七八九十]+、|[a-zA-Z][.)])`)

// itemsNumberThemselves reports an <ol> whose first item starts with its own
// number.
func itemsNumberThemselves(ol *html.Node) bool {
	for c := ol.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.DataAtom == atom.Li {
			return ownNumber.MatchString(nodeText(c))
		}
	}
	return false
}

func nodeText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil && b.Len() < 64; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// markdownEntities undoes the only escaping the converter does with escaping
// disabled: angle brackets in text.
var markdownEntities = strings.NewReplacer("&lt;", "<", "&gt;", ">")

// tidyMarkdown removes what the converter adds that is not text: hard-break
// backslashes, entity-escaped angle brackets and trailing blanks.
func tidyMarkdown(s string) string {
	s = markdownEntities.Replace(s)
	var b strings.Builder
	b.Grow(len(s))
	for line := range strings.Lines(s) {
		line = strings.TrimRight(line, " \t\n")
		line = strings.TrimSuffix(line, "\\")
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.String()
}

// textLen counts the non-space runes of a subtree's text.
func textLen(n *html.Node) int {
	count := 0
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			for _, r := range n.Data {
				if r > ' ' && r != '\u00A0' && r != '\u3000' {
					count++
				}
			}
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return count
}

// topmost drops nodes nested inside other selected nodes, so a selector
// matching both a section and its parent does not repeat text.
func topmost(nodes []*html.Node) []*html.Node {
	selected := make(map[*html.Node]bool, len(nodes))
	for _, n := range nodes {
		selected[n] = true
	}
	var out []*html.Node
	for _, n := range nodes {
		nested := false
		for p := n.Parent; p != nil; p = p.Parent {
			if selected[p] {
				nested = true
				break
			}
		}
		if !nested {
			out = append(out, n)
		}
	}
	return out
}

// collapse trims s and collapses its whitespace runs.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// runeCount is utf8.RuneCountInString, named for readability at call sites.
func runeCount(s string) int { return utf8.RuneCountInString(s) }

// challengeMarkup names the widgets and scripts of captchas and anti-bot
// challenges: reCAPTCHA, hCaptcha, Cloudflare Turnstile and its challenge
// platform, GeeTest, Alibaba's no-captcha slider, NetEase Yidun, Tencent
// captcha, Baidu and generic slide-to-verify widgets.
var challengeMarkup = lazyregexp.New(`(?i)captcha|geetest|turnstile|challenge-platform|cf-chl|__cf_chl|nc_wrapper|nc-container|noCaptcha|yidun|tcaptcha|turing\.captcha|slide-?verify|slider-?verify|verify-?slider|waf_captcha|punish`)

// appRoots are the mount points of common script frameworks.
var appRoots = sync.OnceValue(func() cascadia.Selector {
	return cascadia.MustCompile("#app, #root, #__next, #__nuxt, #___gatsby, [data-reactroot], [ng-version], [ng-app], [data-v-app]")
})

// readShellSignals looks for the marks of a script-rendered page. It runs on
// the document as fetched, before anything is removed.
func readShellSignals(doc *goquery.Document) ShellSignals {
	s := ShellSignals{
		Scripts: doc.Find("script").Length(),
		AppRoot: doc.FindMatcher(appRoots()).Length() > 0,
	}
	doc.Find("script[src], iframe[src], div[id], div[class], form[action]").Each(func(_ int, n *goquery.Selection) {
		for _, attr := range []string{"src", "id", "class", "action"} {
			if v, ok := n.Attr(attr); ok && challengeMarkup.MatchString(v) {
				s.Challenge++
				return
			}
		}
	})
	doc.Find("noscript").EachWithBreak(func(_ int, n *goquery.Selection) bool {
		t := strings.ToLower(n.Text())
		if strings.Contains(t, "javascript") || strings.Contains(t, "js") {
			s.NoScriptWarning = true
			return false
		}
		return true
	})
	return s
}
