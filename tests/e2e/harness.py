"""What the browser tests stand on: an office in a subprocess, signed-in browser profiles, small helpers.

The office runs as its own process (``python -m isomux serve``) on a port it picks itself,
with a temporary home, so a test can stop it and start it again on the same home and port.
Nothing in it answers without a credential: the harness calls the REST API as the owner's
command line does (a bearer token derived from the office's secret), and browsers sign in
through the join page with an invite link, like people do. Screenshots go to
``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from isomux.tokens import admin_token

REPO = Path(__file__).resolve().parents[2]
WEB_DIST = REPO / "web" / "dist"
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
READY = re.compile(r"Isomux is running at (http://127\.0\.0\.1:(\d+))")
TIMEOUT_MS = 20_000
expect.set_options(timeout=15_000)


class OfficeProcess:
    """One office on disk, served by a subprocess that can be stopped and started again."""

    def __init__(self, home: Path, log: Path, demo_delay: float = 0.01) -> None:
        self.home = home
        self.log = log
        self.demo_delay = demo_delay
        self.port = 0
        self.url = ""
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30) -> None:
        args = [
            sys.executable,
            "-m",
            "isomux",
            "serve",
            "--home",
            str(self.home),
            "--port",
            str(self.port),
            "--demo-delay",
            str(self.demo_delay),
        ]
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, cwd=REPO, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"the office exited with {self.proc.returncode}:\n{self.output()}")
            if not self.url:
                found = READY.findall(self.output())
                if found:
                    self.url, port = found[-1]
                    self.port = int(port)
            if self.url:
                try:
                    if httpx.get(self.url + "/api/health", timeout=1).status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
            time.sleep(0.05)
        raise AssertionError(f"the office did not answer within {timeout} s:\n{self.output()}")

    def stop(self) -> None:
        proc = self.proc
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)

    def restart(self) -> None:
        """Stop, then serve the same home on the same port again."""
        self.stop()
        self.url = f"http://127.0.0.1:{self.port}"
        self.start()

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def admin_token(self) -> str:
        """The owner's command-line credential, derived from the office's secret like ``isomux`` does."""
        return admin_token((self.home / "secret").read_bytes())

    def owner_link(self, timeout: float = 10) -> str:
        """The first-start link that makes its opener the office's owner (written into ``server.json``)."""

        def found() -> str | None:
            try:
                info = json.loads((self.home / "server.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                return None
            link = info.get("ownerLink")
            return link if isinstance(link, str) else None

        link: str = self.wait_for(found, timeout=timeout)
        return link

    def invite(self, name: str | None = None, role: str = "member", rooms: list[str] | None = None) -> str:
        """A fresh single-use invite link, made with the owner's credential."""
        body = {"role": role, "rooms": rooms, "name": name, "expiresInHours": 1}
        link: str = self.rest("POST", "/api/invites", body, expect=201)["link"]
        return link

    def rest(self, method: str, path: str, body: Any = None, expect: int | None = None) -> Any:
        headers = {"Authorization": f"Bearer {self.admin_token()}"}
        response = httpx.request(method, self.url + path, json=body, headers=headers, timeout=30)
        if expect is not None:
            assert response.status_code == expect, (response.status_code, response.text)
        return response.json() if response.content else None

    def spawn(self, name: str, **extra: Any) -> dict[str, Any]:
        body = {"name": name, "cwd": str(self.home), "backend": "demo", **extra}
        return self.rest("POST", "/api/agents", body, expect=201)  # type: ignore[no-any-return]

    def message(self, agent_id: str, text: str) -> None:
        self.rest("POST", f"/api/agents/{agent_id}/messages", {"text": text}, expect=200)

    def log_entries(self, agent_id: str) -> list[dict[str, Any]]:
        return self.rest("GET", f"/api/agents/{agent_id}/log?limit=200", expect=200)["entries"]  # type: ignore[no-any-return]

    def wait_for(self, check: Any, timeout: float = 20) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = check()
            if result:
                return result
            time.sleep(0.1)
        raise AssertionError(f"timed out after {timeout} s waiting for {check}")


def new_context(browser: Browser, *, width: int = 1280, height: int = 820) -> BrowserContext:
    """A fresh browser profile in day mode, not signed in to anything."""
    context = browser.new_context(viewport={"width": width, "height": height})
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(
        "try { if (!localStorage.getItem('isomux:theme')) localStorage.setItem('isomux:theme', 'light'); } catch (e) {}"
    )
    return context


def join(page: Page, link: str, *, name: str | None, device: str) -> None:
    """Open an invite link and fill in the join page, as a person does (the name only if asked for)."""
    page.goto(link)
    if name is not None:
        page.get_by_label("Your name").fill(name)
    page.get_by_label("This device").fill(device)
    page.get_by_role("button", name="Join the office").click()


def sign_in(page: Page, link: str, *, name: str | None, device: str) -> None:
    """Join with an invite link and wait until the office is live in the page (the cookie stays in the profile)."""
    join(page, link, name=name, device=device)
    page.wait_for_selector('[data-connection="connected"]')
    expect(page.locator(".tb-you")).to_have_attribute("data-me", re.compile(".+"))


def signed_in_context(
    browser: Browser,
    office: OfficeProcess,
    *,
    name: str,
    device: str,
    role: str = "member",
    rooms: list[str] | None = None,
    width: int = 1280,
    height: int = 820,
) -> tuple[BrowserContext, Page]:
    """Another person (their own profile), invited by the owner and signed in; returns the profile and its page."""
    context = new_context(browser, width=width, height=height)
    page = context.new_page()
    sign_in(page, office.invite(role=role, rooms=rooms), name=name, device=device)
    return context, page


def desk_focus(page: Page, desk: int) -> Locator:
    """A desk's keyboard stand-in (0-based): its label names the agent and what it is doing."""
    return page.locator(f'g.desk-focus[data-focus-desk="{desk}"]')


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(400)  # let entrance animations settle
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
