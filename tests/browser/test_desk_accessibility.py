"""axe-core (from the npm registry, see package.json) finds no WCAG 2.1 A/AA violation on any public page,
in Dutch, English and Arabic (right to left), at desktop and at phone width — including forms showing their
errors and the confirmation pages.

`make browser-test` installs axe-core with `npm ci` first; without it this test fails rather than skips.
"""

from pathlib import Path

import pytest
from django.core import signing
from django.urls import reverse
from playwright.sync_api import expect

from kansrijk.desk.models import Question, SelfRegistration
from kansrijk.socialmap.models import Offer

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def public_urls() -> list[str]:
    offer = Offer.objects.filter(is_active=True).order_by("name").first()
    registration = SelfRegistration.objects.order_by("pk").first()
    question = Question.objects.order_by("pk").first()
    return [
        "/",
        reverse("desk:home"),
        reverse("desk:page", args=["about"]),
        reverse("desk:page", args=["privacy"]),
        reverse("desk:faq"),
        reverse("desk:professionals"),
        reverse("desk:leaflet", args=["nl"]),
        reverse("desk:leaflet", args=["ar"]),
        reverse("desk:register"),
        reverse("desk:register_done", args=[signing.dumps(registration.reference, salt="kansrijk.desk.register")]),
        reverse("desk:support"),
        reverse("desk:support") + "?postcode=6211",
        reverse("desk:support") + "?postcode=9999",  # unknown postcode: the message
        reverse("desk:support_offer", args=[offer.pk]),
        reverse("desk:ask"),
        reverse("desk:ask_done", args=[signing.dumps(question.reference, salt="kansrijk.desk.ask")]),
    ]


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


@pytest.mark.parametrize("language", ["nl", "en", "ar"])
@pytest.mark.parametrize("width", [1280, 375])
def test_every_public_page_has_no_axe_violations(demo, browser, live_server, language, width):
    assert AXE.exists(), "axe-core is missing: run `npm ci` (make browser-test does)"
    # axe is injected as a script: the page's own content security policy would refuse it.
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900}, bypass_csp=True)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    problems = {}
    try:
        for path in public_urls():
            page.goto(path)
            expect(page.locator("html")).to_have_attribute("lang", language)
            found = axe_violations(page)
            if found:
                problems[path] = found
        # The forms as they come back with errors.
        for path in (reverse("desk:register"), reverse("desk:ask")):
            page.goto(path)
            page.locator("main form[method=post] button[type=submit]").last.click()
            page.wait_for_load_state()
            expect(page.locator(".errorlist").first).to_be_visible()
            found = axe_violations(page)
            if found:
                problems[path + " (with errors)"] = found
    finally:
        context.close()
    assert not problems, "\n".join(f"{path}: {v}" for path, vs in problems.items() for v in vs)
