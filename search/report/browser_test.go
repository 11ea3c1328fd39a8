package report_test

import (
	"context"
	"math"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/zeronas/zeronas/search/export"
	"github.com/zeronas/zeronas/search/report"
	"github.com/zeronas/zeronas/space"
)

// chromium finds Debian's chromium (which .ci/run installs). Outside CI a machine without
// it skips the browser tests; in CI (CI=true) a missing browser is a failure.
func chromium(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no chromium on PATH: .ci/run installs it (apt-get install -y chromium)")
	}
	t.Skip("no chromium on PATH (apt-get install -y chromium)")
	return ""
}

// tab starts a headless Chromium with a new empty profile and no network use, and returns
// a tab of it at 1280x800 and the console messages the tab has received so far.
func tab(t testing.TB) (context.Context, func() []chromedp.ConsoleMessage) {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 800),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() { cancelTime(); cancelTab(); cancelAlloc() })
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	var mu sync.Mutex
	var msgs []chromedp.ConsoleMessage
	console := chromedp.Console(ctx)
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			mu.Lock()
			msgs = append(msgs, m)
			mu.Unlock()
		}
	}()
	return ctx, func() []chromedp.ConsoleMessage {
		time.Sleep(50 * time.Millisecond) // let the last events arrive
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(msgs)
	}
}

// open writes the page of dirs and loads it, waiting until its script has drawn.
func open(t testing.TB, ctx context.Context, dirs ...string) (*report.Page, string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "report.html")
	p, err := report.Write(dirs, out, false, report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	u := (&url.URL{Scheme: "file", Path: out}).String()
	if err := chromedp.Do(ctx, chromedp.Navigate(u), chromedp.WaitReady(chromedp.CSS("body[data-ready]"))); err != nil {
		t.Fatalf("load %s: %v", out, err)
	}
	return p, out
}

func eval[T any](t testing.TB, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// noErrors fails on any console error or uncaught exception.
func noErrors(t *testing.T, msgs []chromedp.ConsoleMessage) {
	t.Helper()
	for _, m := range msgs {
		if m.Type == chromedp.ConsoleError || m.IsException() || m.Type == chromedp.ConsoleWarning {
			t.Errorf("console %s: %s", m.Type, m)
		}
	}
}

type point struct {
	ID string  `json:"id"`
	X  float64 `json:"x"`
	Y  float64 `json:"y"`
}

// frontPoints returns the drawn front points with their centres in page coordinates.
func frontPoints(t *testing.T, ctx context.Context) []point {
	return eval[[]point](t, ctx, `Array.from(document.querySelectorAll('#scatter .front-pt')).map(e => {
		const r = e.getBoundingClientRect(); return {id: e.dataset.id, x: r.x + r.width / 2 + scrollX, y: r.y + r.height / 2 + scrollY};
	})`)
}

// TestBrowserReport drives the report page of each kind of run in Chromium.
func TestBrowserReport(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	for _, name := range []string{"nsga2", "infeasible", "exact", "two"} {
		t.Run(name, func(t *testing.T) {
			ctx, console := tab(t)
			dir := fixture(t, name)
			_, out := open(t, ctx, dir)
			er, err := readFront(dir)
			if err != nil {
				t.Fatal(err)
			}
			pts := frontPoints(t, ctx)
			if len(pts) != len(er.Front) {
				t.Fatalf("%d front points drawn, front.json has %d", len(pts), len(er.Front))
			}
			// Hover: the tooltip names the member under the mouse, or one drawn at the very
			// same spot. A member with another near but not on it is ambiguous: skipped.
			hovered := 0
			for i, p := range pts {
				if hovered == 5 {
					break
				}
				var same []string
				near := false
				for _, q := range pts {
					switch d := math.Hypot(q.X-p.X, q.Y-p.Y); {
					case d < 0.5:
						same = append(same, q.ID)
					case d < 12:
						near = true
					}
				}
				if near {
					continue
				}
				if err := chromedp.Do(ctx, chromedp.ScrollIntoView(chromedp.CSS("#scatter"))); err != nil {
					t.Fatal(err)
				}
				p = frontPoints(t, ctx)[i]
				sy := eval[float64](t, ctx, `scrollY`)
				if err := chromedp.Do(ctx, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, p.X, p.Y-sy)); err != nil {
					t.Fatal(err)
				}
				tip := eval[string](t, ctx, `document.getElementById('tooltip').hidden ? '' : document.getElementById('tooltip').textContent`)
				if !slices.ContainsFunc(same, func(id string) bool { return strings.Contains(tip, id) }) {
					t.Errorf("hovering %s at (%.0f, %.0f): tooltip %q", p.ID, p.X, p.Y, tip)
				}
				hovered++
			}
			if hovered == 0 {
				t.Error("no front point stands apart to hover")
			}
			// Click a point: the panel shows its layers and its export configuration.
			p := pts[len(pts)/2]
			sy := eval[float64](t, ctx, `scrollY`)
			if err := chromedp.Do(ctx, chromedp.MouseClickXY(p.X, p.Y-sy)); err != nil {
				t.Fatal(err)
			}
			cfg := eval[string](t, ctx, `(document.getElementById('config') || {}).textContent || ''`)
			clicked := eval[string](t, ctx, `document.querySelector('#detail h3 .id').textContent`)
			if want := hfConfig(t, dir, clicked); cfg != want || !strings.Contains(eval[string](t, ctx, `document.getElementById('detail').textContent`), "Layers") {
				t.Errorf("clicked %s (%s): config\n%.300s\nwant the export's config.json\n%.300s", p.ID, clicked, cfg, want)
			}
			// Copy the configuration (the clipboard may be refused headless: no error either way).
			if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#copy-config"))); err != nil {
				t.Fatal(err)
			}
			// Sorting by the first objective orders the rows by it, descending on a second click.
			if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#front-table th[data-key="v0"] button`)),
				chromedp.Click(chromedp.CSS(`#front-table th[data-key="v0"] button`))); err != nil {
				t.Fatal(err)
			}
			order := eval[[]int](t, ctx, `Array.from(document.querySelectorAll('#front-table tbody tr')).map(tr => +tr.dataset.index)`)
			if !slices.IsSortedFunc(order, func(a, b int) int {
				va, vb := er.Front[a].Values[er.Objectives[0].Name], er.Front[b].Values[er.Objectives[0].Name]
				if va > vb {
					return -1
				} else if va < vb {
					return 1
				}
				return 0
			}) || len(order) != len(er.Front) {
				t.Errorf("rows sorted by %s, descending: %v", er.Objectives[0].Name, order)
			}
			screenshot(t, ctx, name)
			filterAndDownload(t, ctx, dir, er)
			noErrors(t, console())
			t.Logf("%s: %d front points, %d hovered; page %s", name, len(pts), hovered, out)
		})
	}
}

// filterAndDownload types budgets into the page and checks the rows left and the CSV
// downloaded against the export of the same members.
func filterAndDownload(t *testing.T, ctx context.Context, dir string, er *frontOf) {
	t.Helper()
	params := make([]int64, len(er.Front))
	for i, m := range er.Front {
		params[i] = space.Params(m.Arch, space.Faithful)
	}
	sorted := slices.Clone(params)
	slices.Sort(sorted)
	lats := make([]float64, len(er.Front))
	_, hasLatency := er.Front[0].Values["latency"]
	for i, m := range er.Front {
		lats[i] = m.Values["latency"] // 0 without a latency objective: no filter
	}
	sl := slices.Clone(lats)
	slices.Sort(sl)
	maxP, maxL := sorted[len(sorted)*2/3], sl[len(sl)/2]
	var want []int
	for i := range er.Front {
		if params[i] <= maxP && lats[i] <= maxL {
			want = append(want, i)
		}
	}
	lstr := strconv.FormatFloat(maxL, 'f', -1, 64)
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#max-params"), strconv.FormatInt(maxP, 10))); err != nil {
		t.Fatal(err)
	}
	if hasLatency {
		if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#max-latency"), lstr)); err != nil {
			t.Fatal(err)
		}
	} else if !eval[bool](t, ctx, `document.getElementById('max-latency').disabled`) {
		t.Error("a run without latency offers a latency filter")
	}
	got := eval[[]int](t, ctx, `Array.from(document.querySelectorAll('#front-table tbody tr')).filter(tr => !tr.hidden).map(tr => +tr.dataset.index).sort((a, b) => a - b)`)
	if !slices.Equal(got, want) {
		t.Errorf("max params %d, max latency %s: rows %v, want %v", maxP, lstr, got, want)
	}
	// The download is the export's header and its rows of those members, byte for byte.
	lines := exportCSV(t, dir)
	wantCSV := lines[0] + "\n"
	for _, i := range want {
		wantCSV += lines[i+1] + "\n"
	}
	downloads := t.TempDir()
	progress := chromedp.BrowserEvents(ctx, browser.DownloadProgress)
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
			Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: downloads, EventsEnabled: ptr(true)})
		return err
	}), chromedp.Click(chromedp.CSS("#download"))); err != nil {
		t.Fatal(err)
	}
	for ev, err := range progress {
		if err != nil {
			t.Fatal(err)
		}
		if ev.State == browser.DownloadProgressStateCanceled {
			t.Fatal("download cancelled")
		}
		if ev.State != browser.DownloadProgressStateCompleted {
			continue
		}
		data, err := os.ReadFile(filepath.Join(downloads, ev.GUID))
		if err != nil {
			t.Fatal(err)
		}
		if string(data) != wantCSV {
			t.Errorf("downloaded CSV:\n%s\nwant the export's rows:\n%s", data, wantCSV)
		}
		break
	}
}

func ptr[T any](v T) *T { return &v }

// hfConfig returns the config.json that 'zeronas export --format hf' writes for member id.
func hfConfig(t *testing.T, dir, id string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "hf")
	if _, err := export.Write(context.Background(), dir, export.Options{Format: export.HF, Out: out, AllowInfeasible: true}); err != nil {
		t.Fatal(err)
	}
	matches, _ := filepath.Glob(filepath.Join(out, "*-"+id, "config.json"))
	if len(matches) != 1 {
		t.Fatalf("export of %s: %d folders for %s", dir, len(matches), id)
	}
	data, err := os.ReadFile(matches[0])
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// screenshot writes the visible page (1280x800) and the whole page to $ZERONAS_SCREENSHOTS (default: a folder in the
// temporary directory) for a person to look at.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("ZERONAS_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "zeronas-report-screenshots")
	}
	eval[int](t, ctx, `scrollTo(0, 0), 0`)
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	full, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	for suffix, data := range map[string][]byte{"": png, "-full": full} {
		path := filepath.Join(dir, name+suffix+".png")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", path)
	}
}

// TestBrowserCompare loads a comparison page.
func TestBrowserCompare(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	ctx, console := tab(t)
	p, _ := open(t, ctx, fixture(t, "nsga2"), fixture(t, "random"))
	want := len(p.Runs[0].Front) + len(p.Runs[1].Front)
	if n := len(frontPoints(t, ctx)); n != want {
		t.Errorf("%d front points drawn, want %d", n, want)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('#charts path[stroke]').length`); n < 2*3 {
		t.Errorf("%d curves drawn, want one per run in each of 3 charts", n)
	}
	screenshot(t, ctx, "compare")
	noErrors(t, console())
}

// TestBrowserWithoutScript: the tables and the settings are there without JavaScript.
func TestBrowserWithoutScript(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	ctx, _ := tab(t)
	dir := fixture(t, "nsga2")
	out := filepath.Join(t.TempDir(), "report.html")
	p, err := report.Write([]string{dir}, out, false, report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	}), chromedp.Navigate((&url.URL{Scheme: "file", Path: out}).String())); err != nil {
		t.Fatal(err)
	}
	rows := eval[int](t, ctx, `Array.from(document.querySelectorAll('#front-table tbody tr')).filter(tr => tr.offsetParent !== null).length`)
	settings := eval[string](t, ctx, `document.getElementById('settings-table').innerText`)
	hidden := eval[bool](t, ctx, `document.getElementById('explore').offsetParent === null`)
	if rows != len(p.Runs[0].Front) || !strings.Contains(settings, "alpha source") || !hidden {
		t.Errorf("without script: %d visible rows (want %d), settings %.60q, charts hidden %v", rows, len(p.Runs[0].Front), settings, hidden)
	}
}
