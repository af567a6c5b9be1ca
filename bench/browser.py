"""Opening the office in Debian's Chromium (through Playwright) and timing what a person waits for.

Every time is measured inside the page, from the start of navigation (``performance.now()``):

- ``load``: the page's ``load`` event;
- ``welcome``: the first WebSocket frame carrying the snapshot (``WebSocket`` is wrapped by an
  init script, so this works whatever the app does with the frame);
- ``interactive``: ``document.body.dataset.ready`` if the app sets it; otherwise the moment the
  connection indicator says ``connected`` and at least one agent's desk is drawn (a mutation
  observer watches for both). ``how`` says which rule applied.

Each run uses a fresh browser profile (nothing cached: a first visit), then reloads the page in
the same profile (the app's files cached: a return visit).
"""

from __future__ import annotations

import contextlib
import math
from pathlib import Path
from typing import Any

import attrs
from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.chromium import CHROMIUM, CHROMIUM_FLAGS

INIT_SCRIPT = """
(() => {
  try {
    if (!localStorage.getItem('isomux:name')) {
      localStorage.setItem('isomux:name', 'Bench'); localStorage.setItem('isomux:device', 'Bench');
    }
  } catch (e) {}
  const marks = (window.__bench = {});
  const Native = window.WebSocket;
  class Watched extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        if (marks.welcome !== undefined || typeof e.data !== 'string') return;
        const ends = e.data.slice(0, 40) + e.data.slice(-40);
        if (ends.includes('"type":"welcome"')) marks.welcome = performance.now();
      });
    }
  }
  window.WebSocket = Watched;
  const check = () => {
    const now = performance.now();
    if (marks.ready === undefined && document.body && document.body.dataset.ready) marks.ready = now;
    if (marks.connected === undefined && document.querySelector('[data-connection="connected"]')) {
      marks.connected = now;
    }
    if (marks.drawn === undefined && document.querySelector('.desk[data-desk]')) marks.drawn = now;
    if (marks.interactive === undefined) {
      if (marks.ready !== undefined) { marks.interactive = marks.ready; marks.how = 'body.dataset.ready'; }
      else if (marks.connected !== undefined && marks.drawn !== undefined) {
        marks.interactive = Math.max(marks.connected, marks.drawn); marks.how = 'connected + desks drawn';
      }
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
})();
"""

READ_MARKS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  return { ...window.__bench, load: nav ? nav.loadEventStart : undefined };
}"""


@attrs.frozen
class Visit:
    load_ms: float
    welcome_ms: float
    interactive_ms: float
    how: str


def _visit(page: Page, url: str, *, reload: bool, timeout_ms: int) -> Visit:
    if reload:
        page.reload(wait_until="load")
    else:
        page.goto(url, wait_until="load")
    # If the app never becomes interactive, what it reached is still recorded.
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function("() => window.__bench && window.__bench.interactive !== undefined", timeout=timeout_ms)
    marks: dict[str, Any] = page.evaluate(READ_MARKS)

    def get(key: str) -> float:
        value = marks.get(key)
        return float(value) if isinstance(value, int | float) else math.nan

    return Visit(get("load"), get("welcome"), get("interactive"), str(marks.get("how") or "not reached"))


def visits(url: str, headers: dict[str, str], runs: int, timeout_ms: int = 20_000) -> list[tuple[Visit, Visit]]:
    """``runs`` pairs of (first visit, return visit)."""
    found = []
    with sync_playwright() as p:
        browser: Browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        try:
            for _ in range(runs):
                context = browser.new_context(viewport={"width": 1280, "height": 820}, extra_http_headers=headers)
                try:
                    context.add_init_script(INIT_SCRIPT)
                    page = context.new_page()
                    first = _visit(page, url, reload=False, timeout_ms=timeout_ms)
                    again = _visit(page, url, reload=True, timeout_ms=timeout_ms)
                    found.append((first, again))
                finally:
                    context.close()
        finally:
            browser.close()
    return found


def available() -> str:
    """Empty if the browser measurement can run, else why not."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing"
    dist = Path(__file__).resolve().parents[1] / "web" / "dist" / "index.html"
    if not dist.is_file():
        return "web/dist is not built"
    return ""
