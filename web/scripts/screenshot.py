"""Screenshots of the office preview page, for looking at the drawing by eye.

Serves the built ``web/dist`` with ``python -m http.server`` on a free 127.0.0.1 port (or uses
``--url``), opens ``preview.html`` in Debian's Chromium through Playwright and writes PNGs into
the given directory: day, night, both side by side, phone width, portraits, close-ups and a
drag onto a door. It builds nothing itself: run ``npm run build`` first.

    python scripts/screenshot.py OUT_DIR [--url http://127.0.0.1:5173] [--chromium PATH]
"""

from __future__ import annotations

import argparse
import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from playwright.sync_api import Browser, FloatRect, Page, sync_playwright

WEB_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(WEB_DIR.parent))  # the repository, for the browser tests' Chromium settings
from tests.chromium import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402

# A fixed moment keeps the clock, timers and moon the same from run to run.
FIXED_NOW_MS = int(datetime(2026, 11, 24, 10, 9).timestamp() * 1000)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextlib.contextmanager
def serve_dist(dist: Path) -> Iterator[str]:
    """Serve ``dist`` on a free local port for the duration of the block."""
    if not (dist / "preview.html").exists():
        sys.exit(f"{dist / 'preview.html'} is missing: run `npm run build` first")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(dist)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
            if time.monotonic() > deadline:
                sys.exit("the static file server did not start")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(5)


def open_preview(browser: Browser, url: str, width: int, height: int, scale: float = 1) -> Page:
    page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=scale)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(url)
    page.wait_for_selector(".office-svg")
    # Let entrance transitions and a few animation frames settle.
    page.wait_for_timeout(700)
    if errors:
        raise RuntimeError(f"errors on {url}: {errors}")
    return page


def desk_center(page: Page, desk: int) -> tuple[float, float]:
    box = page.locator(f'[data-testid="scene"] [data-desk="{desk}"]').first.bounding_box()
    if box is None:
        raise RuntimeError(f"desk {desk} is not on the page")
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def shoot(browser: Browser, base: str, out: Path) -> list[Path]:
    written: list[Path] = []
    q = f"now={FIXED_NOW_MS}"

    def save(page: Page, name: str, *, full: bool = False) -> None:
        path = out / name
        page.screenshot(path=str(path), full_page=full)
        written.append(path)

    page = open_preview(browser, f"{base}/preview.html?{q}&portraits=0", 1400, 1000)
    save(page, "light.png")
    page.close()

    page = open_preview(browser, f"{base}/preview.html?{q}&portraits=0&dark=1", 1400, 1000)
    save(page, "dark.png")
    page.close()

    page = open_preview(browser, f"{base}/preview.html?{q}&portraits=0&empty=1", 1400, 1000)
    save(page, "empty.png")
    page.close()

    page = open_preview(browser, f"{base}/preview.html?{q}&portraits=0&both=1", 2000, 900)
    save(page, "both.png")
    page.close()

    page = open_preview(browser, f"{base}/preview.html?{q}&portraits=0", 390, 844, scale=2)
    save(page, "phone.png")
    page.close()

    page = open_preview(browser, f"{base}/preview.html?{q}&w=390", 390, 844, scale=2)
    save(page, "phone-full.png", full=True)
    page.close()

    page = open_preview(browser, f"{base}/preview.html?{q}&portraits=1", 1400, 1000)
    page.locator(".preview-portrait-section").screenshot(path=str(out / "portraits.png"))
    written.append(out / "portraits.png")
    page.close()

    for dark in (False, True):
        theme = "&dark=1" if dark else ""
        page = open_preview(browser, f"{base}/preview.html?{q}&portraits=0{theme}", 1400, 1000, scale=2)
        scene = page.locator('[data-testid="scene"]').bounding_box()
        if scene is None:
            raise RuntimeError("scene is not on the page")
        w, h = scene["width"], scene["height"]
        for name, (fx, fy, fw, fh) in {
            "back": (0.3, 0.0, 0.45, 0.5),
            "left": (0.0, 0.2, 0.45, 0.5),
            "front": (0.25, 0.45, 0.45, 0.55),
        }.items():
            path = out / f"closeup-{name}{'-dark' if dark else ''}.png"
            clip: FloatRect = {"x": scene["x"] + fx * w, "y": scene["y"] + fy * h, "width": fw * w, "height": fh * h}
            page.screenshot(path=str(path), clip=clip)
            written.append(path)
        page.close()

    written.extend(drag_checks(browser, base, q, out))
    return written


def expect_log(page: Page, expected: str) -> str:
    """The preview logs the last scene callback; fail loudly when the gesture did not produce it."""
    text = page.get_by_test_id("event-log").inner_text()
    if not text.startswith(expected):
        raise RuntimeError(f"expected {expected!r}, the preview logged {text!r}")
    return text


def drag_checks(browser: Browser, base: str, q: str, out: Path) -> list[Path]:
    """Drive the scene like a person: drags (with mid-drag screenshots), clicks, right-click, keyboard, long-press."""
    page = open_preview(browser, f"{base}/preview.html?{q}&portraits=0", 1400, 1000)
    door = page.locator('[data-testid="scene"] .door--next').bounding_box()
    if door is None:
        raise RuntimeError("next door is not on the page")
    x, y = desk_center(page, 1)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 20, y - 10, steps=4)
    page.mouse.move(door["x"] + door["width"] / 2, door["y"] + door["height"] / 2, steps=12)
    drag_door = out / "drag-door.png"
    page.screenshot(path=str(drag_door))
    page.mouse.up()
    results = [expect_log(page, "onDropOnDoor(a-bruno, next)")]

    x, y = desk_center(page, 0)
    page.mouse.move(x, y)
    page.mouse.down()
    tx, ty = desk_center(page, 5)
    page.mouse.move(tx, ty, steps=12)
    drag_desk = out / "drag-desk.png"
    page.screenshot(path=str(drag_desk))
    page.mouse.up()
    results.append(expect_log(page, "onSwapDesks(0, 5)"))

    x, y = desk_center(page, 3)
    page.mouse.click(x, y)
    results.append(expect_log(page, "onAgent(a-dana)"))
    page.mouse.click(x, y, button="right")
    results.append(expect_log(page, "onAgentMenu(a-dana, "))
    page.locator('[data-testid="scene"] [data-focus-desk="4"]').first.focus()
    page.keyboard.press("Enter")
    results.append(expect_log(page, "onAgent(a-eli)"))
    page.locator('[data-testid="scene"] .corkboard').click()
    results.append(expect_log(page, "onCorkboard()"))
    page.locator('[data-testid="scene"] .door--prev').click()
    results.append(expect_log(page, "onDoor(prev)"))
    page.close()

    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    touch = context.new_page()
    touch.goto(f"{base}/preview.html?{q}&portraits=0")
    touch.wait_for_selector(".office-svg")
    x, y = desk_center(touch, 2)
    cdp = context.new_cdp_session(touch)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    touch.wait_for_timeout(700)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    results.append(expect_log(touch, "onAgentMenu(a-chen, "))
    context.close()

    print("\n".join(f"ok: {line}" for line in results))
    return [drag_door, drag_desk]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--url", help="use a running server instead of serving web/dist")
    parser.add_argument("--chromium", default=str(CHROMIUM))
    args = parser.parse_args()
    out: Path = args.out_dir
    out.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        base = args.url.rstrip("/") if args.url else stack.enter_context(serve_dist(WEB_DIR / "dist"))
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium, headless=True, args=CHROMIUM_FLAGS)
            try:
                written = shoot(browser, base, out)
            finally:
                browser.close()
    for path in written:
        print(path)


if __name__ == "__main__":
    main()
