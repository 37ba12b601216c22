"""Headless Chromium for the report: a hermetic driver and the in-page layout measurements.

Shared by ``test_report_in_browser.py`` and ``scripts/report_screenshots.py`` so the screenshots
in ``docs/images`` come from exactly the browser set-up the test measures.

Hermetic: Chromium and chromedriver are the Debian packages (``/usr/bin``), started through
``Service(executable_path=...)`` so Selenium never runs Selenium Manager (which would download a
driver); Chromium gets the flags that stop its background traffic, and a host-resolver rule that
makes every name but localhost unresolvable, so even a stray ``https://`` in the page cannot
leave the machine. The page is opened as a ``file://`` URL.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
INSTALL_HINT = "run `make test` as root or scripts/ensure_test_system_packages.sh"

FLAGS = (
    "--headless",
    "--no-sandbox",  # root in a container: Chromium's sandbox needs user namespaces
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",  # small /dev/shm in containers crashes renderers
    "--hide-scrollbars",  # the viewport is exactly the width asked for
    "--force-device-scale-factor=1",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost",
)


def unavailable_reason() -> str | None:
    """Why the browser test cannot run here, or None when it can."""
    for binary, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not os.access(binary, os.X_OK):
            return f"{binary} missing (Debian package {package}); {INSTALL_HINT}"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (dev dependency); run `make setup`"
    return None


@contextmanager
def headless_chromium(width: int = 1280, height: int = 900) -> Iterator[Any]:
    """A Selenium Chrome driver on the Debian Chromium, viewport ``width``×``height`` CSS px."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    # Belt and braces: Selenium Manager is never called with a driver path, and offline if it were.
    os.environ.setdefault("SE_OFFLINE", "true")
    profile = Path(tempfile.mkdtemp(prefix="report-chromium-"))
    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}"):
        options.add_argument(flag)
    service = Service(executable_path=str(CHROMEDRIVER), log_output=subprocess.DEVNULL)
    driver = webdriver.Chrome(service=service, options=options)
    try:
        set_viewport(driver, width, height)
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def set_viewport(driver: Any, width: int, height: int) -> None:
    """Exact CSS viewport (a window size leaves the viewport a few pixels off in some modes)."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )


def open_report(driver: Any, path: Path) -> None:
    """Load the report and wait until fonts and layout are final."""
    driver.get(path.resolve().as_uri())
    driver.execute_async_script("const done = arguments[0]; document.fonts.ready.then(done);")


def full_page_png(driver: Any, width: int) -> bytes:
    """A screenshot of the whole page (not just the viewport) at ``width`` CSS px."""
    height = int(driver.execute_script("return document.documentElement.scrollHeight"))
    set_viewport(driver, width, height)
    try:
        return driver.get_screenshot_as_png()  # type: ignore[no-any-return]
    finally:
        set_viewport(driver, width, 900)


def pdf_page_png(driver: Any, pdf: Path, page: int, width: int = 900, height: int = 1250) -> bytes:
    """One page of a PDF as Chromium's built-in viewer shows it (no toolbar, page fitted)."""
    import time

    set_viewport(driver, width, height)
    driver.get("about:blank")  # a new fragment alone does not make the viewer turn the page
    driver.get(f"{pdf.resolve().as_uri()}#page={page}&toolbar=0&navpanes=0&view=FitH")
    time.sleep(3)  # the viewer renders asynchronously and offers no ready signal
    try:
        return driver.get_screenshot_as_png()  # type: ignore[no-any-return]
    finally:
        set_viewport(driver, width, 900)


# Measured in the page. Each check returns human-readable problems, so a failing test says which
# element and how, e.g. 'th "Maßnahme": word "Maßnahme" broken mid-word'.
LAYOUT_CHECKS_JS = r"""
const tol = 1;  // sub-pixel rounding
const problems = [];
const describe = (el) => {
  const id = el.id ? '#' + el.id : '';
  const text = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 50);
  return `${el.tagName.toLowerCase()}${id} "${text}"`;
};
const viewport = document.documentElement.clientWidth;
if (document.documentElement.scrollWidth > viewport + tol) {
  problems.push(`page scrolls sideways: ${document.documentElement.scrollWidth}px > ${viewport}px`);
}
const inSvg = (el) => el instanceof SVGElement && el.tagName.toLowerCase() !== 'svg';
const blockAncestor = (el) => {
  for (let p = el.parentElement; p; p = p.parentElement) {
    const display = getComputedStyle(p).display;
    if (display !== 'inline' && display !== 'contents') return p;
  }
  return null;
};
for (const el of document.body.querySelectorAll('*')) {
  if (inSvg(el)) continue;
  const style = getComputedStyle(el);
  if (style.display === 'none') continue;
  // 1. Content wider than its box (scrollbars, or text spilling over a cell's border).
  if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + tol) {
    problems.push(`${describe(el)}: content ${el.scrollWidth}px > box ${el.clientWidth}px`);
  }
  // 2. Box outside its container or the viewport (inline boxes have no clientWidth for case 1).
  const box = el.getBoundingClientRect();
  if (box.width === 0 && box.height === 0) continue;
  if (box.left < -tol || box.right > viewport + tol) {
    problems.push(`${describe(el)}: outside the viewport (${box.left}..${box.right})`);
  }
  const container = blockAncestor(el);
  if (container && container !== document.documentElement) {
    const outer = container.getBoundingClientRect();
    if (box.left < outer.left - tol || box.right > outer.right + tol) {
      problems.push(`${describe(el)}: sticks out of ${describe(container)} ` +
                    `(${box.left}..${box.right} vs ${outer.left}..${outer.right})`);
    }
  }
}
// 3. No word broken mid-word (the old overflow-wrap:anywhere fault in narrow table columns).
// Per character: inside a word (no whitespace between), a change of line is legitimate only
// after a hyphen, soft hyphen, dash or slash. <wbr> ends a text node, so an identifier broken
// there continues in a new node and counts as a new word.
const breakAfter = new Set(['-', '\u00ad', '\u2010', '\u2013', '/']);
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
const range = document.createRange();
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  const parent = node.parentElement;
  if (!parent || parent.closest('svg, title, style')) continue;
  const text = node.data;
  let previous = null;  // [character, line top] of the previous character of this word
  for (let i = 0; i < text.length; i++) {
    if (/\s/.test(text[i])) { previous = null; continue; }
    range.setStart(node, i);
    range.setEnd(node, i + 1);
    // The last box is the character itself (a soft hyphen's glyph may precede it).
    const boxes = [...range.getClientRects()].filter((r) => r.width > 0);
    if (boxes.length === 0) continue;
    const top = Math.round(boxes[boxes.length - 1].top);
    if (previous && previous[1] !== top && !breakAfter.has(previous[0])) {
      const start = text.lastIndexOf(' ', i) + 1, stop = text.indexOf(' ', i);
      const word = text.slice(start, stop < 0 ? text.length : stop);
      problems.push(`${describe(parent)}: word "${word}" broken mid-word`);
    }
    previous = [text[i], top];
  }
}
// 4. Charts: rendered with a size; images decoded.
const charts = [...document.querySelectorAll('svg.chart, img')];
for (const chart of charts) {
  const box = chart.getBoundingClientRect();
  if (box.width < 1 || box.height < 1) {
    problems.push(`${describe(chart)}: chart rendered ${box.width}x${box.height}`);
  }
  if (chart.tagName.toLowerCase() === 'img' && !(chart.complete && chart.naturalWidth > 0)) {
    problems.push(`${describe(chart)}: image did not load`);
  }
}
// 5. SVG labels inside the viewBox (SVG clips silently) and not on top of each other.
const corners = (b, m) => {
  const pts = [[b.x, b.y], [b.x + b.width, b.y], [b.x, b.y + b.height],
               [b.x + b.width, b.y + b.height]]
    .map(([x, y]) => new DOMPoint(x, y).matrixTransform(m));
  const xs = pts.map((p) => p.x), ys = pts.map((p) => p.y);
  return {l: Math.min(...xs), r: Math.max(...xs), t: Math.min(...ys), b: Math.max(...ys)};
};
let labels = 0;
for (const svg of document.querySelectorAll('svg')) {
  const vb = svg.viewBox.baseVal;
  const name = svg.getAttribute('aria-label');
  const texts = [...svg.querySelectorAll('text')];
  labels += texts.length;
  for (const t of texts) {
    // In viewBox units, after the label's own transform (slanted axis labels are rotated).
    const r = corners(t.getBBox(), svg.getScreenCTM().inverse().multiply(t.getScreenCTM()));
    if (r.l < vb.x - tol || r.r > vb.x + vb.width + tol ||
        r.t < vb.y - tol || r.b > vb.y + vb.height + tol) {
      problems.push(`svg "${name}": label "${t.textContent}" (${r.l.toFixed(1)}..` +
                    `${r.r.toFixed(1)}, ${r.t.toFixed(1)}..${r.b.toFixed(1)}) outside viewBox ` +
                    `${vb.width}x${vb.height}`);
    }
  }
  // Overlap in the first label's own frame, so two parallel slanted labels are compared as the
  // rectangles they are; the boxes are shrunk a little (the em box is taller than the ink).
  for (let i = 0; i < texts.length; i++) {
    const a = texts[i].getBBox();
    const toA = texts[i].getScreenCTM().inverse();
    for (let j = i + 1; j < texts.length; j++) {
      const q = corners(texts[j].getBBox(), toA.multiply(texts[j].getScreenCTM()));
      if (a.x + 1 < q.r - 1 && q.l + 1 < a.x + a.width - 1 &&
          a.y + 3 < q.b - 3 && q.t + 3 < a.y + a.height - 3) {
        problems.push(`svg "${name}": labels "${texts[i].textContent}" and ` +
                      `"${texts[j].textContent}" overlap`);
      }
    }
  }
}
// 6. What each chart says, for the caller to compare with the data (a cut label is a fault
// no geometry shows: "Religiöse oder weltanschauliche Üb" fitted its box perfectly).
const chartLabels = [...document.querySelectorAll('svg.chart')].map((svg) => ({
  title: svg.getAttribute('aria-label'),
  labels: [...svg.querySelectorAll('text')].map((t) => {
    const spans = t.querySelectorAll('tspan');
    return spans.length ? [...spans].map((s) => s.textContent).join(' ') : t.textContent;
  }),
}));
return {problems: problems, charts: charts.length, labels: labels, viewport: viewport,
        chartLabels: chartLabels};
"""


def layout_report(driver: Any) -> dict[str, Any]:
    """Run the layout checks in the loaded page.

    Returns ``problems`` (one sentence each), ``charts`` and ``labels`` (how many were measured,
    so a test can tell "no problems" from "nothing checked"), ``viewport`` and ``chartLabels``
    (per chart its ``title`` and the full text of every label).
    """
    return driver.execute_script(LAYOUT_CHECKS_JS)  # type: ignore[no-any-return]
