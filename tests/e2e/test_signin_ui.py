"""Signing in and out in a real browser: the join page, the signed-out screen, hostile names."""

from __future__ import annotations

import base64
import re

import httpx
import pytest
from playwright.sync_api import Browser, Dialog, FilePayload, Page, WebSocket, expect

from tests.e2e.harness import OfficeProcess, join, new_context, screenshot, sign_in

pytestmark = pytest.mark.slow

COMPOSER = 'textarea[data-composer="true"]'
HOSTILE = "<img src=x onerror=alert(1)>"
# The smallest valid PNG: one transparent pixel.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def test_join_with_an_invite_then_the_invite_is_spent(browser: Browser, office: OfficeProcess) -> None:
    link = office.invite(name="Bob")
    first = new_context(browser)
    second = new_context(browser)
    try:
        bob = first.new_page()
        bob.goto(link)
        expect(bob.get_by_role("heading", name="Join the office")).to_be_visible()
        screenshot(bob, "join")
        # The invite already names Bob: the device is enough.
        sign_in(bob, link, name=None, device="Phone")
        expect(bob).to_have_url(re.compile(r"/(#/)?$"))
        assert "ixi_" not in bob.url
        expect(bob.locator(".tb-you")).to_have_attribute("data-me", "Bob")
        # Members do not manage people.
        expect(bob.get_by_role("button", name="People")).to_have_count(0)

        # Someone else opening the same link is told why it does not work, in the office's words.
        other = second.new_page()
        join(other, link, name="Mallory", device="Laptop")
        expect(other.get_by_role("alert")).to_contain_text("this invite is not valid: it was already used")
        expect(other.locator('[data-page="join"]')).to_be_visible()
        jar = {c["name"]: c["value"] for c in second.cookies()}
        assert httpx.get(office.url + "/api/me", cookies=jar, timeout=10).status_code == 401
    finally:
        first.close()
        second.close()


def test_the_office_asks_for_a_name_when_the_invite_has_none(browser: Browser, office: OfficeProcess) -> None:
    context = new_context(browser)
    try:
        page = context.new_page()
        link = office.invite()
        join(page, link, name=None, device="Laptop")
        expect(page.get_by_role("alert")).to_contain_text("tell the office your name")
        # The same invite still works once the name is given.
        page.get_by_label("Your name").fill("Cleo")
        page.get_by_role("button", name="Join the office").click()
        expect(page.locator(".tb-you")).to_have_attribute("data-me", "Cleo")
    finally:
        context.close()


def test_a_browser_that_is_not_signed_in_is_told_how_to_get_in(browser: Browser, office: OfficeProcess) -> None:
    context = new_context(browser)
    try:
        page = context.new_page()
        sockets: list[WebSocket] = []
        page.on("websocket", lambda ws: sockets.append(ws))
        page.goto(office.url)
        signed_out = page.locator('[data-page="signed-out"]')
        expect(signed_out).to_contain_text("You are not signed in")
        expect(signed_out).to_contain_text("isomux invite")
        page.wait_for_timeout(2000)
        # One refused attempt, then quiet: no storm of reconnects while nobody is signed in.
        assert len(sockets) == 1
        screenshot(page, "signed-out")

        # In another tab, pasting an invite link leads to the join page, and in; the first tab follows.
        other = context.new_page()
        other.goto(office.url)
        other.get_by_label("Paste the invite link you were sent").fill(office.invite(name="Dee"))
        other.get_by_role("button", name="Open").click()
        other.get_by_label("This device").fill("Tablet")
        other.get_by_role("button", name="Join the office").click()
        expect(other.locator(".tb-you")).to_have_attribute("data-me", "Dee")
        expect(page.locator(".tb-you")).to_have_attribute("data-me", "Dee")
        expect(page.locator('[data-connection="connected"]')).to_be_visible()
    finally:
        context.close()


def test_signing_out_closes_the_connection_and_shows_the_signed_out_screen(page: Page, office: OfficeProcess) -> None:
    agent = office.spawn("Ada")
    second_tab = page.context.new_page()
    second_tab.goto(office.url)
    second_tab.wait_for_selector('[data-connection="connected"]')
    sockets: list[WebSocket] = []
    page.on("websocket", lambda ws: sockets.append(ws))
    page.goto(f"{office.url}/#/agent/{agent['id']}")
    page.reload()  # a fresh page, so its one connection is the one watched
    page.wait_for_selector('[data-connection="connected"]')
    page.locator(COMPOSER).fill("a private draft")
    assert len(sockets) == 1
    live = sockets[0]
    assert not live.is_closed()

    page.locator(".tb-you").click()
    page.get_by_role("menuitem", name="Sign out").click()
    expect(page.locator('[data-page="signed-out"]')).to_be_visible()
    for _ in range(100):  # Playwright learns of the close only while the page is being waited on
        if live.is_closed():
            break
        page.wait_for_timeout(100)
    assert live.is_closed()
    page.wait_for_timeout(1500)
    assert len(sockets) == 1  # no new connection after signing out
    # The other tab shared the sign-in, so it is signed out too.
    expect(second_tab.locator('[data-page="signed-out"]')).to_be_visible()
    # The sign-in is gone for good: a reload stays signed out, and the draft was forgotten.
    page.reload()
    expect(page.locator('[data-page="signed-out"]')).to_be_visible()
    assert page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('isomux:draft:'))") == []


def test_hostile_names_in_a_task_and_an_uploaded_file_are_inert(page: Page, office: OfficeProcess) -> None:
    dialogs: list[str] = []

    def note(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", note)
    agent = office.spawn("Ada")
    office.rest("POST", "/tasks", {"title": f"{HOSTILE} fix the build", "description": HOSTILE}, expect=201)
    page.goto(f"{office.url}/#/agent/{agent['id']}")
    page.wait_for_selector('[data-connection="connected"]')
    name = f"{HOSTILE}.png"
    page.locator('.composer input[type="file"]').set_input_files(
        files=[FilePayload(name=name, mimeType="image/png", buffer=PIXEL)]
    )
    expect(page.locator(".staged-file--ready")).to_contain_text(name)
    page.locator(COMPOSER).fill("a picture")
    page.locator(COMPOSER).press("Enter")
    chip = page.locator(".bubble--mine .attachment")
    # The office keeps a cleaned-up name for the stored file; either way it is only ever text.
    expect(chip.locator(".attachment-name")).to_have_text(re.compile(r"img.*onerror.*\.png$"))
    link = chip.locator("a.attachment-link")
    expect(link).to_have_attribute("href", re.compile(rf"^/api/files/{agent['id']}/[0-9a-f]{{16}}-"))
    thumb = chip.locator("img.attachment-thumb")
    expect(thumb).to_have_count(1)
    # The thumbnail is the real image, served by the office from the same origin.
    page.wait_for_function("el => el.complete && el.naturalWidth === 1", arg=thumb.element_handle())

    page.get_by_role("button", name=re.compile("^Tasks")).click()
    expect(page.locator("li.task")).to_contain_text(f"{HOSTILE} fix the build")
    page.wait_for_timeout(300)
    handlers = page.evaluate(
        "() => [...document.querySelectorAll('*')].filter(el =>"
        " [...el.attributes].some(a => a.name.startsWith('on'))).length"
    )
    assert handlers == 0
    assert page.locator("[onerror]").count() == 0
    assert dialogs == []
