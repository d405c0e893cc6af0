"""The managers' web view in a real browser: Debian's Chromium driven by Playwright, against
central served by uvicorn on PostgreSQL. Sign in with password and TOTP, the service page,
drill down to a child, download the CSV, sign out; keyboard only; headings, labels and table
headers; a North manager turned away from South. With HOMEVISIT_MANAGE_SCREENSHOTS=DIR, a
PNG of each page is saved there (docs/screenshots/manage-*.png)."""

from __future__ import annotations

import csv
import io
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from central.app import create_app
from central.core.config import Settings
from tests.central.harness import Central
from tests.central.manage_world import PASSWORD, Managers, manage_world

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.parametrize("database_url", ["postgresql"], indirect=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists() and os.environ.get("CI") != "true",
                       reason="Debian's chromium is not installed (make test installs it)"),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def served(central: Central, settings: Settings) -> Iterator[tuple[str, Managers]]:
    managers = manage_world(central)
    app = create_app(settings, engine=central.engine, clock=central.clock)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "central did not start"
        time.sleep(0.02)
    try:
        # localhost: a secure context, so Chromium keeps the Secure cookie over plain HTTP.
        yield f"http://localhost:{port}", managers
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM)
        try:
            yield launched
        finally:
            launched.close()


def _shot(page: object, name: str) -> None:
    folder = os.environ.get("HOMEVISIT_MANAGE_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"manage-{name}.png"),  # type: ignore[attr-defined]
                        full_page=True)


def _accessible(page: object) -> None:
    """One h1; every form field labelled; every table with a caption and column headers."""
    # A click on a link returns once the next page's navigation has begun: wait for that
    # page to load before reading it (read too soon, it has no document element yet).
    page.wait_for_load_state()  # type: ignore[attr-defined]
    check = page.evaluate("""() => {  // type: ignore
        const unlabelled = [...document.querySelectorAll('input:not([type=hidden]), select')]
            .filter(e => !e.labels || e.labels.length === 0).map(e => e.name);
        const tables = [...document.querySelectorAll('table')].map(t => ({
            caption: !!t.querySelector('caption'),
            headers: t.querySelectorAll('thead th[scope=col]').length}));
        return {h1: document.querySelectorAll('h1').length, unlabelled, tables,
                lang: document.documentElement.lang};
    }""")  # type: ignore[attr-defined]
    assert check["h1"] == 1 and check["lang"] == "en-GB"
    assert check["unlabelled"] == []
    assert all(t["caption"] and t["headers"] > 0 for t in check["tables"]), check["tables"]


def test_a_manager_signs_in_drills_to_a_child_downloads_the_csv_and_signs_out(
        served: tuple[str, Managers], browser: object, central: Central) -> None:
    base, managers = served
    context = browser.new_context(viewport={"width": 1280, "height": 900},  # type: ignore[attr-defined]
                                  accept_downloads=True, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base}/manage/")
    assert page.url.endswith("/manage/login")
    _accessible(page)
    _shot(page, "login")
    # Keyboard only: the username field has focus; Tab moves through the form; Enter submits.
    page.keyboard.type("head")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    page.keyboard.type(managers.code("head", central.clock()))
    page.keyboard.press("Enter")
    page.wait_for_url("**/manage/service")
    assert page.locator("h1").inner_text() == "Service: have all children been seen?"
    assert page.locator("table.figures tbody tr").count() == 2
    _accessible(page)
    _shot(page, "service")

    page.get_by_role("link", name="North", exact=True).click()
    page.wait_for_url("**/manage/teams/North")
    _accessible(page)
    _shot(page, "team")
    page.get_by_role("link", name="north1").click()
    _accessible(page)
    _shot(page, "worker")
    page.get_by_role("link", name="Ana Nowak").click()
    assert page.locator("h1").inner_text() == "Ana Nowak"
    _accessible(page)
    assert page.get_by_text("fell off the sofa").count() == 0
    _shot(page, "child")
    page.get_by_role("button", name="Show the record of 2 Nov 2026").click()
    assert page.get_by_text("fell off the sofa", exact=False).count() == 1
    _shot(page, "record")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Lists").click()
    _accessible(page)
    _shot(page, "lists")
    page.get_by_role("link", name="Overdue now", exact=True).click()
    _accessible(page)
    _shot(page, "list-overdue")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Lists").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV of every child").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text("utf-8"))))
    assert {r["child"] for r in rows} == {"Ana Nowak", "Yusuf Begum", "Mia Hughes"}

    page.get_by_role("button", name="Sign out").click()
    assert page.locator("h1").inner_text() == "You are signed out"
    page.goto(f"{base}/manage/service")
    assert page.url.endswith("/manage/login")
    context.close()


def test_a_north_manager_is_refused_south_in_the_browser_and_with_the_keyboard(
        served: tuple[str, Managers], browser: object, central: Central) -> None:
    base, managers = served
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(f"{base}/manage/login")
    page.fill("#username", "northmgr")
    page.fill("#password", PASSWORD)
    page.fill("#code", "000000")
    page.keyboard.press("Enter")
    assert page.get_by_role("alert").inner_text().startswith("Not signed in")
    _shot(page, "login-refused")
    page.fill("#password", PASSWORD)
    page.fill("#code", managers.code("northmgr", central.clock()))
    page.click("text=Sign in >> nth=-1")
    page.wait_for_url("**/manage/service")
    assert page.get_by_role("link", name="South").count() == 0
    answer = page.goto(f"{base}/manage/teams/South")
    assert answer is not None and answer.status == 403
    assert page.locator("h1").inner_text() == "Not one of your teams"
    _shot(page, "refused")
    csv_answer = page.request.get(f"{base}/manage/children.csv?team=South")
    assert csv_answer.status == 403
    # The skip link is the first stop of the keyboard, and it leads to the content.
    page.goto(f"{base}/manage/service")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the page's content"
