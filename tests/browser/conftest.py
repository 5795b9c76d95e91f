"""Fixtures for the browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

- `browser` is launched once per test session (headless, no sandbox, nothing phoning home).
- `demo` loads the demo region (`manage.py load_demo`) into the live server's (transactional) database.
- `log_in("planner")` opens a fresh browser context (own cookies), logs the demo user in through the real
  login form and returns the page. JavaScript errors and CSP violations on any page fail the test.

Run them with `make browser-test`; they are marked `browser` and left out of `pytest -m "not browser"`.
"""

import os
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in the test thread; Django would refuse ORM calls from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PASSWORD = "kansrijk-demo"
DEMO_DOMAIN = "demo.kansrijk.nl"
TIMEOUT_MS = 10_000


def demo_email(local: str) -> str:
    return f"{local}@{DEMO_DOMAIN}"


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists() or shutil.which("chromium"):
        return
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo(live_server):
    """The demo region, loaded into the database the live server reads."""
    call_command("load_demo", stdout=StringIO())
    return live_server


class PageProblems:
    """JavaScript errors and console errors (CSP violations show up there) seen while a test ran."""

    def __init__(self):
        self.seen: list[str] = []

    def watch(self, page):
        def on_console(message):
            if message.type == "error":
                self.seen.append(f"{page.url}: console error: {message.text}")

        page.on("pageerror", lambda error: self.seen.append(f"{page.url}: JavaScript error: {error}"))
        page.on("console", on_console)


@pytest.fixture
def new_page(browser, live_server):
    """`new_page()` gives a page in a fresh browser context (its own cookies) pointed at the live server."""
    contexts = []
    problems = PageProblems()

    def _new_page(**context_options):
        options = {"locale": "nl-NL", "timezone_id": "Europe/Amsterdam", "viewport": {"width": 1280, "height": 900}}
        context = browser.new_context(base_url=live_server.url, **(options | context_options))
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        problems.watch(page)
        return page

    yield _new_page
    for context in contexts:
        context.close()
    assert not problems.seen, "\n".join(problems.seen)


def log_in_on(page, local: str):
    """Log a demo user in through the login form, like a person would."""
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(demo_email(local))
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page


@pytest.fixture
def log_in(demo, new_page):
    """`log_in("verloskundige")` returns a page in a fresh context with that demo user logged in."""

    def _log_in(local: str):
        return log_in_on(new_page(), local)

    return _log_in
