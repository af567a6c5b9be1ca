"""Restarting the office under an open page: nothing typed is lost, and the conversation goes on."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.harness import OfficeProcess

pytestmark = pytest.mark.slow

COMPOSER = 'textarea[data-composer="true"]'


def test_a_restart_keeps_the_draft_and_what_was_typed_offline(page: Page, office: OfficeProcess) -> None:
    agent = office.spawn("Ada")
    page.goto(f"{office.url}/#/agent/{agent['id']}")
    page.wait_for_selector('[data-connection="connected"]')
    box = page.locator(COMPOSER)
    box.fill("before the restart")
    box.press("Enter")
    expect(page.locator(".reply").last).to_contain_text("before the restart")

    office.stop()
    expect(page.locator("[data-connection]")).not_to_have_attribute("data-connection", "connected")

    # Sent while the office is down: kept, shown as waiting, delivered once it is back.
    box.fill("typed while the office was down")
    box.press("Enter")
    expect(page.locator(".queued--offline")).to_contain_text("typed while the office was down")
    box.fill("a half-written thought")

    office.restart()
    expect(page.locator('[data-connection="connected"]')).to_be_visible(timeout=30_000)
    expect(page.locator(".queued--offline")).to_have_count(0)
    expect(page.locator(".reply").last).to_contain_text("typed while the office was down")
    expect(box).to_have_value("a half-written thought")

    # The conversation goes on, and a reload still has the draft.
    page.reload()
    page.wait_for_selector('[data-connection="connected"]')
    expect(page.locator(COMPOSER)).to_have_value("a half-written thought")
    page.locator(COMPOSER).fill("after the restart")
    page.locator(COMPOSER).press("Enter")
    expect(page.locator(".reply").last).to_contain_text("after the restart")
    texts = [m["text"] for e in office.log_entries(agent["id"]) if e["type"] == "user_turn" for m in e["messages"]]
    assert texts == ["before the restart", "typed while the office was down", "after the restart"]
