package web

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// phoneWidth is the narrowest phone the layout is held to: 390 CSS
// pixels, an iPhone 12 to 15.
const phoneWidth = 390

// newPhone drives the UI fixture's server in Chromium as a phone of
// phoneWidth: a mobile viewport, so the page's viewport meta applies.
func newPhone(t *testing.T) (*e2e, *uiFixture) {
	t.Helper()
	skipWithoutChromium(t)
	f := newUIFixture(t)
	e := newE2EWith(t, f.fixture)
	e.do(chromedp.EmulateViewport(phoneWidth, 844, chromedp.EmulateMobile))
	return e, f
}

// overflow lists the elements that reach past the right edge of the
// viewport, for the failure message.
const overflow = `(() => {
  const w = document.documentElement.clientWidth, out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > w + 0.5 && r.width > 0) {
      let inScroller = false;
      for (let p = el.parentElement; p; p = p.parentElement) {
        const s = getComputedStyle(p);
        if (s.overflowX === 'auto' || s.overflowX === 'scroll' || s.overflowX === 'hidden') { inScroller = true; break; }
      }
      if (!inScroller) out.push(el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : '') + ' ' + Math.round(r.right));
    }
  }
  return out.slice(0, 8).join(', ');
})()`

// evalInt is the number a script gives.
func (e *e2e) evalInt(js string) int {
	e.t.Helper()
	var n int
	fmt.Sscan(e.eval(`String(`+js+`)`), &n)
	return n
}

func TestPhoneLayoutsDoNotScrollSideways(t *testing.T) {
	e, f := newPhone(t)
	zeekr, _ := f.store.FindVersion(t.Context(), f.zeekrTo)
	pages := []string{
		"/", "/matrix", "/changes", "/platforms/" + url.PathEscape("极氪"), fmt.Sprintf("/policies/%d", zeekr.PolicyID), fmt.Sprintf("/policies/%d", f.gone),
		fmt.Sprintf("/policies/%d", f.wall), fmt.Sprintf("/policies/%d/profile", zeekr.PolicyID),
		f.compareURL(f.zeekrFrom, f.zeekrTo, "&view=side"), f.compareURL(f.zeekrFrom, f.zeekrTo, "&view=inline"),
		f.compareURL(f.manyFrom, f.manyTo, "&view=side"), f.compareURL(f.headingsFrom, f.headingsTo, "&view=side"),
		f.compareURL(f.headingsFrom, f.headingsTo, "&view=inline"), f.compareURL(f.zeekrTo, f.zeekrTo, ""),
		fmt.Sprintf("/versions/%d", f.zeekrTo), fmt.Sprintf("/versions/%d", f.headingsTo), "/login", "/no/such/page",
	}
	e.allow("status of 404") // the last page
	var all []string
	for _, lang := range []string{"zh", "en"} {
		for _, path := range pages {
			all = append(all, withLang(path, lang))
		}
	}
	pages = all
	for i, path := range pages {
		if strings.HasPrefix(path, "/compare") {
			path += "#diff" // the screenshot shows the table
		}
		e.open(path)
		e.screenshot(fmt.Sprintf("phone-%02d", i))
		if width := e.evalInt(`document.documentElement.scrollWidth`); width > phoneWidth {
			t.Errorf("%s scrolls sideways at %d px: %d px wide; past the edge: %s", path, phoneWidth, width, e.eval(overflow))
		}
	}
}

// TestPhoneAdminPages: logged in, the nav has more items and the pages
// have forms; still nothing scrolls sideways and the nav wraps by item.
func TestPhoneAdminPages(t *testing.T) {
	e, f := newPhone(t)
	e.open("/login?lang=zh")
	e.do(chromedp.SendKeys(chromedp.CSS(`input[name=token]`), testToken),
		chromedp.Submit(chromedp.CSS(`form.login`)), chromedp.WaitReady(chromedp.CSS("header.top form.inline")))
	for _, lang := range []string{"zh", "en"} {
		for _, path := range []string{"/", "/policies/new", "/policies/import", "/subscriptions", "/deliveries",
			fmt.Sprintf("/policies/%d", f.wall), fmt.Sprintf("/policies/%d/edit", f.wall), fmt.Sprintf("/policies/%d/delete", f.wall)} {
			path = withLang(path, lang)
			e.open(path)
			if width := e.evalInt(`document.documentElement.scrollWidth`); width > phoneWidth {
				t.Errorf("%s scrolls sideways at %d px: %d px wide; past the edge: %s", path, phoneWidth, width, e.eval(overflow))
			}
			if broken := e.eval(navBrokenInside); broken != "" {
				t.Errorf("%s: nav items broken across lines: %s", path, broken)
			}
		}
	}
}

// TestPhoneImportResults: the import's results, long URLs in the reasons
// included, fit a phone's width.
func TestPhoneImportResults(t *testing.T) {
	e, _ := newPhone(t)
	e.open("/login?lang=zh")
	e.do(chromedp.SendKeys(chromedp.CSS(`input[name=token]`), testToken),
		chromedp.Submit(chromedp.CSS(`form.login`)), chromedp.WaitReady(chromedp.CSS("header.top form.inline")))
	rows := "url,name,platform\n" +
		"https://www.example.com/a/very/long/path/to/the/privacy/policy/of/an/app/that/never/ends.html,甲,导入\n" +
		"ftp://www.example.com/another/long/path/that/is/not/http/at/all/and/goes/on/and/on.html,乙,导入\n" +
		"https://www.example.com/a/very/long/path/to/the/privacy/policy/of/an/app/that/never/ends.html,丙,导入\n"
	e.open("/policies/import?lang=zh")
	e.do(chromedp.SetValue(chromedp.CSS(`textarea[name=text]`), rows),
		chromedp.Submit(chromedp.CSS(`form.policy-form`)), chromedp.WaitReady(chromedp.CSS(".import-problems")))
	if width := e.evalInt(`document.documentElement.scrollWidth`); width > phoneWidth {
		t.Errorf("import results scroll sideways at %d px: %d px wide; past the edge: %s", phoneWidth, width, e.eval(overflow))
	}
}

// navBrokenInside lists the nav items that take more than one line.
const navBrokenInside = `Array.from(document.querySelectorAll('header.top nav > a, header.top nav button')).filter(a => a.getClientRects().length > 1 || a.getBoundingClientRect().height > 1.8 * parseFloat(getComputedStyle(a).fontSize)).map(a => a.textContent).join('|')`

// TestPhonePolicyPageKeepsItsCompareLinks: on a phone every version's
// compare link is on screen (the versions table stacks, no column is
// dropped), and the nav wraps between its items, never inside one.
func TestPhonePolicyPageKeepsItsCompareLinks(t *testing.T) {
	e, f := newPhone(t)
	for _, lang := range []string{"zh", "en"} {
		e.open(fmt.Sprintf("/policies/%d?lang=%s", f.policyOf(f.headingsTo), lang))
		links := e.evalInt(`document.querySelectorAll('table.versions a.compare').length`)
		if links != 1 {
			t.Fatalf("%s: %d compare links, want 1", lang, links)
		}
		shown := e.eval(`(() => {
		  const a = document.querySelector('table.versions a.compare'), r = a.getBoundingClientRect();
		  const visible = getComputedStyle(a).display !== 'none' && getComputedStyle(a.closest('td')).display !== 'none';
		  return String(visible && r.width > 0 && r.left >= 0 && r.right <= document.documentElement.clientWidth);
		})()`)
		if shown != "true" {
			t.Errorf("%s: the compare link is not on screen at %d px", lang, phoneWidth)
		}
		// Each nav item on one line: none is taller than one line of text.
		broken := e.eval(navBrokenInside)
		if broken != "" {
			t.Errorf("%s: nav items broken across lines: %s", lang, broken)
		}
	}
}

// TestPhoneMatrixKeepsEveryColumn: the matrix shows all its columns on a
// phone, scrolling inside its own box, not the page.
func TestPhoneMatrixKeepsEveryColumn(t *testing.T) {
	e, _ := newPhone(t)
	e.open("/matrix?lang=zh")
	hidden := e.evalInt(`Array.from(document.querySelectorAll('table.matrix thead th')).filter(th => getComputedStyle(th).display === 'none' || th.getBoundingClientRect().width === 0).length`)
	columns := e.evalInt(`document.querySelectorAll('table.matrix thead th').length`)
	if columns < 13 || hidden != 0 {
		t.Errorf("%d of %d matrix columns hidden", hidden, columns)
	}
	if e.evalInt(`document.documentElement.scrollWidth`) > phoneWidth {
		t.Error("the matrix scrolls the page sideways")
	}
	// The last column is reached by scrolling the matrix itself.
	reached := e.eval(`(() => {
	  const th = document.querySelector('table.matrix thead th:last-child');
	  let box = th.parentElement; while (box && box.scrollWidth <= box.clientWidth) box = box.parentElement;
	  if (!box || box === document.documentElement || box === document.body) return 'no scroll box';
	  box.scrollLeft = box.scrollWidth;
	  const r = th.getBoundingClientRect();
	  return String(r.right <= document.documentElement.clientWidth + 1 && r.left >= 0);
	})()`)
	if reached != "true" {
		t.Errorf("the matrix's last column cannot be scrolled to: %s", reached)
	}
}

// TestPhoneInlineViewHeaders: a phone gets the inline view, its column
// heads in the page's language, and no key.
func TestPhoneInlineViewHeaders(t *testing.T) {
	e, f := newPhone(t)
	for lang, want := range map[string]string{"zh": "旧|新", "en": "old|new"} {
		e.open(f.compareURL(f.zeekrFrom, f.zeekrTo, "&view=inline&lang="+lang))
		got := e.eval(`Array.from(document.querySelectorAll('table.diff.inline thead th')).map(th => th.textContent).filter(s => s).join('|')`)
		if got != want {
			t.Errorf("%s: inline view headers %q, want %q", lang, got, want)
		}
		if e.evalInt(`document.documentElement.scrollWidth`) > phoneWidth {
			t.Errorf("%s: the inline view scrolls sideways", lang)
		}
	}
}
