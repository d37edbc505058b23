package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// The HTML report in a real browser: headless Chromium (Debian's chromium
// package) loads a compare report and a run report from disk; the test
// asserts on the DOM the browser built (--dump-dom) and that a screenshot
// is drawn. Without chromium (or with -short) the test skips, unless
// PCSSIM_BROWSER_TEST=1 (CI sets it: .ci/run installs chromium), where a
// missing chromium fails it.
// PCSSIM_SCREENSHOT names the screenshot's file (default: a temporary one).

// chromium returns the browser's path, or skips (fails under
// PCSSIM_BROWSER_TEST=1) when there is none.
func chromium(t *testing.T) string {
	t.Helper()
	if testing.Short() && os.Getenv("PCSSIM_BROWSER_TEST") != "1" {
		t.Skip("-short: no browser")
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("PCSSIM_BROWSER_TEST") == "1" {
		t.Fatal("PCSSIM_BROWSER_TEST=1 but no chromium in PATH (apt-get install chromium)")
	}
	t.Skip("no chromium in PATH (PCSSIM_BROWSER_TEST=1 makes this a failure)")
	return ""
}

// browse runs headless chromium on the file page with extra flags (its
// own profile in profile) and returns its stdout.
func browse(bin, profile, page string, flags ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	args := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=" + profile}, flags...)
	cmd := exec.CommandContext(ctx, bin, append(args, "file://"+page)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("chromium %v: %v\n%s", flags, err, errb.String())
	}
	return out.Bytes(), nil
}

func TestHTMLReportInBrowser(t *testing.T) {
	bin := chromium(t)
	dir := t.TempDir()
	strategies := []string{"module-ref", "phylink-notify", "phylink-notify-racy"}
	cmpPage, runPage := filepath.Join(dir, "compare.html"), filepath.Join(dir, "run.html")
	if code, _, errb := pcssim("compare", "rmk-2022-unbind", "--strategies", strings.Join(strategies, ","), "--seeds", "50", "--html", cmpPage); code != exitOK {
		t.Fatalf("compare exited %d: %s", code, errb)
	}
	if code, _, errb := pcssim("run", "rmk-2022-unbind", "--strategy", "module-ref", "--seeds", "20", "--html", runPage); code != exitViolation {
		t.Fatalf("run exited %d: %s", code, errb)
	}

	shot := os.Getenv("PCSSIM_SCREENSHOT")
	if shot == "" {
		shot = filepath.Join(dir, "pcssim-report.png")
	}
	os.Remove(shot)
	// The three loads run side by side: each browser takes seconds to start.
	var outs [3][]byte
	var errs [3]error
	var wg sync.WaitGroup
	for i, job := range [][]string{{cmpPage, "--dump-dom"}, {runPage, "--dump-dom"}, {cmpPage, "--screenshot=" + shot, "--window-size=1280,2000"}} {
		profile := t.TempDir()
		wg.Go(func() { outs[i], errs[i] = browse(bin, profile, job[0], job[1:]...) })
	}
	wg.Wait()
	if err := errors.Join(errs[:]...); err != nil {
		t.Fatal(err)
	}

	dom := string(outs[0])
	if n, want := strings.Count(dom, `<tr class="row-`), len(strategies); n != want {
		t.Errorf("heatmap: %d rows in the DOM, want %d", n, want)
	}
	if n, want := strings.Count(dom, `<td class="cell`), len(strategies)*10; n != want {
		t.Errorf("heatmap: %d cells in the DOM, want %d", n, want)
	}
	if n := strings.Count(dom, `<td class="expect ok">ok</td>`); n != len(strategies) {
		t.Errorf("heatmap: %d rows marked ok, want %d", n, len(strategies))
	}
	checkSections(t, "compare", dom, 3) // module-ref: uaf, link-without-pcs; racy: uaf

	checkSections(t, "run", string(outs[1]), 2)

	png, err := os.ReadFile(shot)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) || len(png) < 10_000 {
		t.Fatalf("%s: %d bytes, not a PNG of a drawn page", shot, len(png))
	}
	t.Logf("screenshot: %s (%d bytes)", shot, len(png))
}

// checkSections checks the violation sections of a report's DOM: n of
// them, each with its BUG title, one swimlane with one violating step, the
// object's life and the violating access, the report and the command.
func checkSections(t *testing.T, what, dom string, n int) {
	t.Helper()
	parts := strings.Split(dom, `<section class="violation"`)[1:]
	if len(parts) != n {
		t.Fatalf("%s: %d violation sections in the DOM, want %d", what, len(parts), n)
	}
	for i, p := range parts {
		for s, want := range map[string]int{
			`<h2 class="bug-title">BUG: `: 1, "<svg ": 1, `class="step bug"`: 1, `<pre class="report">`: 1, `<pre class="repro">pcssim replay `: 1,
		} {
			if got := strings.Count(p, s); got != want {
				t.Errorf("%s: section %d has %d of %q, want %d", what, i, got, s, want)
			}
		}
	}
	if !strings.Contains(dom, `<h2 class="bug-title">BUG: KASAN: slab-use-after-free in phylink_mac_pcs_get_state+0x0/0x0</h2>`) {
		t.Errorf("%s: no KASAN title in the DOM", what)
	}
	if !strings.Contains(dom, `class="mark bug-access"`) || !strings.Contains(dom, ">read after free</text>") {
		t.Errorf("%s: no highlighted access after free in the DOM", what)
	}
}
