"""The figures in a real browser: a municipality officer reads her dashboard, picks a quarter, downloads the
Excel file and the yearly report; a region coordinator compares municipalities; axe finds no WCAG violation."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import log_in_on
from .test_desk_accessibility import AXE, axe_violations

pytestmark = pytest.mark.browser


def test_the_officer_reads_her_figures_and_takes_them_to_the_council(log_in):
    page = log_in("gemeente")
    assert page.url.endswith("/monitoring/")  # her start page
    expect(page.locator("h1")).to_contain_text("Maastricht")
    # Every chart has its table behind it, and no small number is shown as itself.
    for figure in page.locator("section.figure").all():
        expect(figure.locator("table")).to_have_count(1)
    expect(page.locator("#funnel svg[role=img]")).to_have_count(1)

    today = timezone.localdate()
    quarter = f"{today.year}-K{(today.month - 1) // 3 + 1}"
    page.locator("#id_periode").select_option(quarter)
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url(f"**periode={quarter}**")
    expect(page.locator("#id_periode")).to_have_value(quarter)

    with page.expect_download() as excel:
        page.locator("a[href*='export/alles.xlsx']").click()
    assert excel.value.suggested_filename.endswith(".xlsx")

    with page.expect_download() as csv:
        page.locator("#referrals_by_source a[href*='.csv']").click()
    assert csv.value.suggested_filename.endswith("referrals_by_source.csv")

    with page.expect_download() as pdf:
        page.locator("a[href*='jaarrapport']").click()
    assert pdf.value.suggested_filename.endswith(".pdf")


def test_the_region_coordinator_compares_municipalities(log_in):
    page = log_in("regio")
    page.goto("/monitoring/regio/")
    rows = page.locator("#region_overview tbody th[scope=row]")
    expect(rows).to_have_text(["Beek", "Heerlen", "Maastricht", "Totaal"])
    page.goto("/monitoring/?gemeente=GM0917")
    expect(page.locator("h1")).to_contain_text("Heerlen")


@pytest.mark.parametrize("width", [1280, 375])
def test_the_figures_pages_have_no_axe_violations(demo, browser, live_server, width):
    assert AXE.exists(), "axe-core is missing: run `npm ci` (make browser-test does)"
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    problems = {}
    try:
        log_in_on(page, "regio")
        year = timezone.localdate().year
        for path in (
            "/monitoring/",
            "/monitoring/?gemeente=GM0935",
            "/monitoring/regio/",
            "/monitoring/definities/",
            "/monitoring/planning/",
            f"/monitoring/planning/GM0935/{year}/",
            f"/monitoring/planning/GM0935/{year}/wijzigen/",
            "/afspraken/",
            "/afspraken/nieuw/",
            "/evaluatie/resultaten/",
        ):
            page.goto(path)
            found = axe_violations(page)
            if found:
                problems[path] = found
        # A form as it comes back with errors.
        page.goto("/afspraken/nieuw/")
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        found = axe_violations(page)
        if found:
            problems["/afspraken/nieuw/ (with errors)"] = found
    finally:
        context.close()
    assert not problems, "\n".join(f"{path}: {v}" for path, vs in problems.items() for v in vs)
