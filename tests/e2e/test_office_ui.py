"""The office in a real browser: hiring at a desk, rooms and doors, the task board, night, a phone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.harness import OfficeProcess, desk_focus, screenshot, signed_in_context

pytestmark = pytest.mark.slow


def test_hire_an_agent_by_clicking_an_empty_desk(page: Page, office: OfficeProcess, tmp_path: Path) -> None:
    workdir = tmp_path / "project"
    workdir.mkdir()
    page.locator('g.empty-desk[data-desk="2"]').click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Hire an agent at desk 3")
    demo = dialog.locator(".backend-card", has_text="Demo (scripted")
    expect(demo.locator(".badge--demo")).to_be_visible()
    demo.click()
    expect(dialog.get_by_label("Model", exact=True)).to_have_value("demo-scripted")
    dialog.get_by_label("Name").fill("Ada")
    dialog.get_by_label("Working directory").fill(str(tmp_path / "missing"))
    expect(dialog.locator(".field-error")).to_contain_text("does not exist")
    dialog.get_by_label("Working directory").fill(str(workdir))
    expect(dialog.locator(".field-hint .ok")).to_contain_text(str(workdir))
    dialog.get_by_role("button", name="Randomize").click()
    dialog.get_by_role("button", name="Hire", exact=True).click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(desk_focus(page, 2)).to_have_attribute("aria-label", re.compile(r"^Ada, desk 3"))
    hired = office.rest("GET", "/api/agents", expect=200)
    assert [(a["name"], a["backend"], a["cwd"]) for a in hired] == [("Ada", "demo", str(workdir))]

    # A second agent with the same name is refused, and the dialog says why.
    page.locator('g.empty-desk[data-desk="3"]').click()
    dialog = page.get_by_role("dialog")
    dialog.locator(".backend-card", has_text="Demo (scripted").click()
    dialog.get_by_label("Name").fill("Ada")
    dialog.get_by_label("Working directory").fill(str(workdir))
    dialog.get_by_role("button", name="Hire", exact=True).click()
    expect(dialog.locator(".field-error")).to_contain_text("already works here")
    dialog.get_by_role("button", name="Cancel").click()


def drag(page: Page, source: str, target: str, target_y: float = 0.5) -> None:
    """Drag with the mouse, in small steps, from the middle of one element onto another."""
    a = page.locator(source).bounding_box()
    b = page.locator(target).bounding_box()
    assert a is not None
    assert b is not None
    x0, y0 = a["x"] + a["width"] / 2, a["y"] + a["height"] / 2
    x1, y1 = b["x"] + b["width"] / 2, b["y"] + b["height"] * target_y
    page.mouse.move(x0, y0)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(x0 + (x1 - x0) * step / 10, y0 + (y1 - y0) * step / 10)
    page.mouse.up()


def test_move_an_agent_through_a_door_to_a_new_room(page: Page, office: OfficeProcess) -> None:
    agent = office.spawn("Ada")
    drag(page, 'g.desk[data-desk="0"]', 'g.empty-desk[data-desk="2"]')
    expect(page.locator('g.desk[data-desk="2"]')).to_have_count(1)
    assert office.rest("GET", "/api/agents", expect=200)[0]["desk"] == 2
    page.get_by_role("button", name="New room").click()
    expect(page.get_by_role("tab")).to_have_count(2)
    second = page.get_by_role("tab").nth(1)
    expect(second).to_have_attribute("aria-selected", "true")
    page.get_by_role("tab").first.click()
    expect(page.locator("g.door--next")).to_contain_text("Room 2")

    drag(page, 'g.desk[data-desk="2"]', "g.door--next", target_y=0.6)
    expect(page.locator(".notice")).to_contain_text("Ada moved to Room 2")
    expect(page.locator("g.desk")).to_have_count(0)
    rooms = office.rest("GET", "/api/rooms", expect=200)
    moved = office.rest("GET", "/api/agents", expect=200)[0]
    assert (moved["id"], moved["roomId"]) == (agent["id"], rooms[1]["id"])

    # The door leads there too; the room cannot be closed while Ada works in it.
    page.locator("g.door--next").click()
    expect(desk_focus(page, 0)).to_have_attribute("aria-label", re.compile(r"^Ada"))
    expect(second).to_contain_text("1/8")


def test_rename_and_close_rooms(page: Page, office: OfficeProcess) -> None:
    page.get_by_role("button", name="New room").click()
    tab = page.get_by_role("tab").nth(1)
    tab.dblclick()
    page.get_by_label("Room name").fill("Lab")
    page.get_by_label("Room name").press("Enter")
    expect(tab).to_contain_text("Lab")
    page.get_by_role("button", name="New room").click()
    page.get_by_role("tab").nth(2).dblclick()
    page.get_by_label("Room name").fill("Lab")
    page.get_by_label("Room name").press("Enter")
    expect(page.locator(".notice--error")).to_contain_text("already a room called Lab")
    page.keyboard.press("Escape")

    # Drag the last room to the front.
    page.locator(".roomtab").nth(2).drag_to(page.locator(".roomtab").nth(0))
    expect(page.get_by_role("tab").nth(0)).to_contain_text("Room 2")
    assert [r["name"] for r in office.rest("GET", "/api/rooms", expect=200)] == ["Room 2", "Room 1", "Lab"]

    page.get_by_role("tab", name=re.compile("Lab")).click()
    page.get_by_role("button", name="Close Lab").click()
    expect(page.get_by_role("tab")).to_have_count(2)


def test_task_board_create_claim_done_delete(page: Page, office: OfficeProcess) -> None:
    office.spawn("Ada")
    page.locator("g.corkboard").click()
    expect(page.get_by_role("heading", name="Task board")).to_be_visible()
    page.get_by_role("button", name="New task").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Title").fill("Fix the flaky login test")
    dialog.get_by_role("radio", name="P1").click()
    dialog.get_by_role("button", name="Create task").click()
    row = page.locator("li.task").filter(has_text="Fix the flaky login test")
    expect(row).to_contain_text("Open")
    expect(row).to_contain_text("P1")
    row.get_by_role("button", name="Claim").click()
    expect(row).to_contain_text("In progress")
    expect(row.locator(".col-assignee")).to_have_text("Nil")

    # Assigned to an agent, the assignee links to its chat.
    row.get_by_role("button", name="Edit Fix the flaky login test").click()
    page.get_by_role("dialog").locator(".chip", has_text="Ada").click()
    page.get_by_role("dialog").get_by_role("button", name="Save").click()
    expect(row.locator(".col-assignee button")).to_have_text("Ada")
    screenshot(page, "task-board")

    row.get_by_role("button", name="Done").click()
    expect(row).to_have_count(0)
    page.get_by_role("radio", name=re.compile("^Done")).click()
    row = page.locator("li.task").filter(has_text="Fix the flaky login test")
    expect(row).to_contain_text("Done")
    row.get_by_role("button", name="Delete Fix the flaky login test").click()
    expect(row).to_contain_text("Delete for good?")
    row.get_by_role("button", name="Delete", exact=True).click()
    expect(page.locator("li.task")).to_have_count(0)
    assert office.rest("GET", "/tasks?status=all", expect=200) == []

    # Back in the office, the corkboard counts open tasks.
    page.get_by_role("button", name="New task").click()
    page.get_by_role("dialog").get_by_label("Title").fill("Write the docs")
    page.get_by_role("dialog").get_by_role("button", name="Create task").click()
    page.keyboard.press("Escape")
    expect(page.locator(".tb-count")).to_have_text("1")


def test_office_rules_show_the_env_file_key_count(page: Page, office: OfficeProcess, tmp_path: Path) -> None:
    env = tmp_path / "office.env"
    env.write_text("A=1\nB=2\n# comment\nC=3\n", encoding="utf-8")
    page.locator("g.rules-sign").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Rules").fill("Run the tests before you say you are done.")
    dialog.get_by_label("Env file").fill(str(tmp_path / "nope.env"))
    expect(dialog.locator(".field-error")).to_be_visible()
    dialog.get_by_label("Env file").fill(str(env))
    expect(dialog.locator(".field-hint").filter(has_text="Loaded")).to_contain_text("Loaded 3 variables")
    dialog.get_by_role("button", name="Save rules").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    assert office.rest("GET", "/api/office", expect=200) == {
        "prompt": "Run the tests before you say you are done.",
        "envFile": str(env),
    }


@pytest.mark.parametrize("office", [0.05], indirect=True)  # Grace keeps typing while we look
def test_night_mode_from_the_window_is_remembered(page: Page, office: OfficeProcess) -> None:
    ada = office.spawn("Ada")
    grace = office.spawn("Grace", desk=2)
    linus = office.spawn("Linus", desk=5)
    office.spawn("Hedy", desk=6)
    office.rest("POST", "/tasks", {"title": "Write the docs"}, expect=201)
    office.rest("POST", "/tasks", {"title": "Fix the build", "priority": "P0"}, expect=201)
    office.message(ada["id"], "Say hi")
    office.message(grace["id"], "Refactor the parser [[demo:slow]]")
    office.message(linus["id"], "Clean up, with permission")
    expect(page.locator("g.desk.desk--waiting")).to_have_count(2)
    expect(page.locator("g.desk.desk--thinking, g.desk.desk--tool")).to_have_count(1)
    screenshot(page, "office-light")

    page.locator("g.window").click()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    expect(page.locator(".office-scene--dark")).to_have_count(1)
    page.reload()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    page.wait_for_selector('[data-connection="connected"]')
    screenshot(page, "office-dark")


def test_a_phone_sized_screen(browser: Browser, office: OfficeProcess) -> None:
    agent = office.spawn("Ada")
    context, phone = signed_in_context(browser, office, name="Nil", device="Phone", width=390, height=844)
    try:

        def fits() -> bool:
            return bool(phone.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"))

        assert fits()
        scene = phone.locator("svg.office-svg").bounding_box()
        assert scene is not None
        assert scene["width"] <= 390
        screenshot(phone, "phone-office")
        phone.locator('g.empty-desk[data-desk="1"]').click()
        dialog = phone.get_by_role("dialog").bounding_box()
        assert dialog is not None
        assert 0 <= dialog["x"] <= dialog["x"] + dialog["width"] <= 390
        screenshot(phone, "phone-spawn")
        phone.keyboard.press("Escape")
        phone.goto(f"{office.url}/#/agent/{agent['id']}")
        box = phone.locator('textarea[data-composer="true"]')
        expect(box).to_be_in_viewport()
        box.fill("hello from my phone")
        phone.get_by_role("button", name="Send").click()
        expect(phone.locator(".reply").last).to_contain_text("hello from my phone")
        assert fits()
        screenshot(phone, "phone-chat")
    finally:
        context.close()
