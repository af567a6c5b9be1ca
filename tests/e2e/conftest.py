"""Browser tests: a real ``isomux serve`` subprocess, driven through Debian's Chromium.

Chromium is the system one (``/usr/bin/chromium``, or ``$CHROMIUM``); Playwright never downloads
a browser here. The app must be built (``web/dist``) first, as ``make test`` does. The office lets
nobody in without signing in: ``page`` is its owner, signed in through the first-start owner link.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.chromium import CHROMIUM, CHROMIUM_FLAGS
from tests.e2e.harness import WEB_DIST, OfficeProcess, new_context, sign_in


@pytest.fixture(scope="session")
def chromium() -> Path:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests use Debian's Chromium; `make test` installs it "
            "(or set CHROMIUM to another Chromium binary)"
        )
    if not (WEB_DIST / "index.html").is_file():
        pytest.fail("web/dist is missing: build the browser app first (`make web`, or `cd web && npm run build`)")
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium: Path) -> Iterator[Browser]:
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def office(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[OfficeProcess]:
    """An office with a demo agent that types fast; parametrize it (indirectly) with a slower delay."""
    home = tmp_path / "home"
    home.mkdir()
    server = OfficeProcess(home, tmp_path / "office.log", demo_delay=getattr(request, "param", 0.01))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    made = new_context(browser)
    try:
        yield made
    finally:
        made.close()


@pytest.fixture
def page(office: OfficeProcess, context: BrowserContext) -> Page:
    """Nil, signed in on their laptop as the office's owner (through the first-start owner link)."""
    # The office comes first so that it is stopped last, after the browser has left.
    opened = context.new_page()
    sign_in(opened, office.owner_link(), name="Nil", device="Laptop")
    return opened
