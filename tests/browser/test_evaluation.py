"""A nurse hands a family the evaluation card after a held visit; the mother answers on her phone in Arabic."""

import pytest
from playwright.sync_api import expect

from kansrijk.care.models import Visit
from kansrijk.evaluation.models import Response

from .conftest import demo_email
from .test_desk_accessibility import AXE, axe_violations

pytestmark = pytest.mark.browser


def test_the_family_answers_the_evaluation_in_arabic(log_in, browser, live_server):
    visit = (
        Visit.objects.filter(status="held", nurse__email=demo_email("jvp1"), case__status__in=["visited", "follow_up"])
        .order_by("pk")
        .first()
    )
    assert visit is not None, "the demo has a held visit of jvp1 on an open case"
    page = log_in("jvp1")
    page.goto(f"/zorg/bezoek/{visit.pk}/")
    page.locator("a[href*='/evaluatie/uitnodigen/']").click()
    page.locator("#id_language").select_option("ar")
    page.locator("main form button[type=submit]").click()
    link = page.locator(".evaluation-card__url a").get_attribute("href")
    expect(page.locator(".evaluation-card")).to_have_attribute("lang", "ar")

    phone = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 800}, bypass_csp=True)
    try:
        mother = phone.new_page()
        mother.goto(link)
        expect(mother.locator("html")).to_have_attribute("dir", "rtl")
        if AXE.exists():
            assert not axe_violations(mother)
        mother.locator("main form button[type=submit]").click()  # nothing chosen yet
        expect(mother.locator(".error-summary")).to_be_visible()
        for key in ("listened", "clear", "helped"):
            mother.locator(f"input[name={key}][value='5']").check()
        mother.locator("input[name=language][value=yes]").check()
        mother.locator("input[name=recommend][value=yes]").check()
        mother.locator("main form button[type=submit]").click()
        expect(mother.locator(".notice--success")).to_be_visible()
        mother.goto(link)  # the link works once
        expect(mother.locator("form")).to_have_count(1)  # only the language switch, no questionnaire
    finally:
        phone.close()
    assert Response.objects.filter(questionnaire="parent", municipality=visit.case.municipality).exists()
