"""What each person does in the browser, step by step, with what she should see along the way.

The test modules call these; the chain test (`test_chain.py`) runs them one after another. Selectors are
form-field ids, names and URLs (stable), not visible Dutch text (which the translators may still change);
where text is checked, the expected text is looked up in the message catalogue with `nl()`.
"""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from kansrijk.cases.models import Case, Status
from kansrijk.cases.selectors import nurse_caseloads
from kansrijk.referrals.models import VulnerabilityDomain

PLANNER_NAME = "Petra Planner"
NURSE_NAME = "Joke Jeugdverpleegkundige"


def nl(msgid) -> str:
    """The text a Dutch user sees for an English msgid (the msgid itself while it is untranslated)."""
    with translation.override("nl"):
        return gettext(str(msgid)) if isinstance(msgid, str) else str(msgid)


@dataclass
class Woman:
    """What the midwife types into the referral form."""

    first_name: str = "Noor"
    last_name: str = "Vermeulen"
    date_of_birth: str = "1997-03-14"
    street: str = "Boschstraat"
    house_number: str = "12a"
    postcode: str = "6211 AX"
    city: str = "Maastricht"
    phone: str = "0612345678"
    email: str = "noor.vermeulen@example.org"
    preferred_language: str = "en"
    weeks_pregnant: int = 20
    domains: list[str] = field(default_factory=lambda: ["financial", "housing"])
    reason: str = "Schulden en een te kleine woning.\nHaar moeder helpt veel."
    urgency: str = "2"
    screening_instrument: str = "r4u"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def due_date(self) -> date:
        return timezone.localdate() + timedelta(weeks=40 - self.weeks_pregnant)

    def domain_ids(self) -> list[str]:
        domains = VulnerabilityDomain.objects.filter(code__in=self.domains)
        return [str(pk) for pk in domains.values_list("pk", flat=True)]

    def case(self) -> Case:
        return Case.objects.get(client__first_name=self.first_name, client__last_name=self.last_name)


TEXT_FIELDS = ["first_name", "last_name", "street", "house_number", "postcode", "city", "phone", "email", "reason"]
SELECTS = ["preferred_language", "urgency", "screening_instrument"]


ANY_PK = 987654321


def url(name: str, *args) -> re.Pattern:
    """The named URL as a pattern for `to_have_url`/`wait_for_url`; pass ANY_PK for "any id"."""
    path = reverse(name, args=args)
    return re.compile(re.escape(path).replace(str(ANY_PK), r"\d+") + r"(\?.*)?$")


def action_form(woman: "Woman", transition: str) -> str:
    """CSS selector of the form on the case page that makes `transition`."""
    return f'form[action="{reverse("cases:action", args=[woman.case().pk, transition])}"]'


def nav_to(page, name: str):
    """Follow the main-menu link to the named page, as a user would click it."""
    page.locator(f'nav.site-nav a[href="{reverse(name)}"]').click()
    page.wait_for_url(url(name))


def fill_referral_form(page, woman: Woman, *, consent_contact: bool = True, consent_feedback: bool = True):
    """Fill the whole referral form; checks the weeks of pregnancy shown next to the due date."""
    for name in ["first_name", "last_name", "street", "house_number", "postcode", "city", "phone", "email"]:
        page.locator(f"#id_{name}").fill(getattr(woman, name))
    page.locator("#id_date_of_birth").fill(woman.date_of_birth)
    page.locator("#id_preferred_language").select_option(woman.preferred_language)

    weeks = page.locator("#due-date-weeks")
    page.locator("#id_due_date").fill(woman.due_date.isoformat())
    # referral-form.js writes "<label> 20+0" next to the due date while typing.
    assert_text(weeks, rf"\b{woman.weeks_pregnant}\+0\b")
    assert nl("Weeks of pregnancy today:") in weeks.inner_text()

    for pk in woman.domain_ids():
        page.locator(f'input[name="domains"][value="{pk}"]').check()
    page.locator("#id_reason").fill(woman.reason)
    page.locator("#id_urgency").select_option(woman.urgency)
    page.locator("#id_screening_instrument").select_option(woman.screening_instrument)
    page.locator("#id_consent_contact").set_checked(consent_contact)
    page.locator("#id_consent_feedback").set_checked(consent_feedback)


def assert_text(locator, pattern: str):
    expect(locator).to_have_text(re.compile(pattern))


def midwife_refers(page, woman: Woman, *, double_click: bool = True):
    """The midwife opens the new-referral form from the menu, fills it in and sends it."""
    nav_to(page, "referrals:new")
    expect(page.locator("h1")).to_have_text(nl("Refer a pregnant woman to the JGZ"))
    fill_referral_form(page, woman)
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    submit = page.locator("form.form button[type=submit]")
    if double_click:
        submit.dblclick()
    else:
        submit.click()
    page.wait_for_url(url("referrals:detail", ANY_PK))
    # forms.js (data-single-submit) lets the second click of a double click send nothing.
    assert [post for post in posts if post.endswith(reverse("referrals:new"))] == [
        page.url.split(reverse("referrals:list"))[0] + reverse("referrals:new")
    ]
    # One success message, not "this referral had already been sent".
    expect(page.locator(".messages .notice--success")).to_have_count(1)
    expect(page.locator(".messages .notice--info")).to_have_count(0)
    expect(page.locator("h1")).to_contain_text(woman.full_name)


def midwife_sees_it_in_my_referrals(page, woman: Woman):
    nav_to(page, "referrals:list")
    row = page.locator("table.data tbody tr", has_text=woman.full_name)
    expect(row).to_have_count(1)
    expect(row.get_by_role("link")).to_have_attribute("href", url("referrals:detail", ANY_PK))


def planner_assigns(page, woman: Woman, nurse_name: str = NURSE_NAME):
    """The planner finds the woman in the intake queue, checks the target group and assigns the nurse."""
    nav_to(page, "cases:intake")
    page.get_by_role("link", name=woman.full_name, exact=True).click()
    page.wait_for_url(url("cases:detail", woman.case().pk))
    expect(page.locator("h1")).to_contain_text(woman.full_name)

    form = page.locator(action_form(woman, "assign"))
    form.locator('input[name="target_group_checked"]').check()
    open_cases = {n.display_name: n.open_cases for n in nurse_caseloads(woman.case().organisation)}
    # Each nurse is offered with her caseload in the option text.
    option = form.locator("label", has_text=nurse_name)
    expect(option).to_have_count(1)
    expect(option).to_contain_text(str(open_cases[nurse_name]))
    option.locator("input[type=radio]").check()
    expect(form.get_by_label(re.compile(re.escape(nurse_name)))).to_be_checked()
    form.locator("button[type=submit]").click()

    page.wait_for_url(url("cases:intake"))
    expect(page.locator(".messages .notice--success")).to_have_count(1)
    expect(page.get_by_role("link", name=woman.full_name, exact=True)).to_have_count(0)


def nurse_records_first_contact(page, woman: Woman, note: str = "Gebeld, afspraak voor huisbezoek gemaakt."):
    """The nurse finds the case in "my cases", reads it and records the first contact."""
    nav_to(page, "cases:mine")
    page.get_by_role("link", name=woman.full_name, exact=True).click()
    page.wait_for_url(url("cases:detail", woman.case().pk))
    expect(page.locator("h1")).to_contain_text(woman.full_name)

    # The client, the referral and the timeline with the assignment.
    client = page.locator('section[aria-labelledby="client-h"]')
    expect(client).to_contain_text(woman.postcode)
    expect(client).to_contain_text(woman.phone)
    referrals = page.locator('section[aria-labelledby="refs-h"]')
    expect(referrals.locator("article.referral")).to_have_count(1)
    expect(referrals).to_contain_text("Verloskundigenpraktijk De Maas (demo)")
    expect(referrals).to_contain_text(woman.reason.splitlines()[0])
    timeline = page.locator("ol.timeline > li")
    assignment = timeline.filter(has_text=PLANNER_NAME)
    expect(assignment).to_have_count(1)
    expect(assignment).to_contain_text(nl(Status.ASSIGNED.label))

    form = page.locator(action_form(woman, "contact"))
    form.locator("textarea[name=note]").fill(note)
    form.locator("button[type=submit]").click()
    page.wait_for_url(url("cases:detail", woman.case().pk))
    expect(page.locator(".messages .notice--success")).to_have_count(1)
    expect(page.locator("ol.timeline > li", has_text=note)).to_have_count(1)
    expect(page.locator(action_form(woman, "contact"))).to_have_count(0)


def privacy_officer_opens_access_report(page, woman: Woman):
    """The privacy officer searches the client by last name and opens the report of who looked."""
    nav_to(page, "audit:search")
    search = page.locator("form", has=page.locator("#id_query"))
    search.locator("#id_query").fill(woman.last_name)
    search.locator("button[type=submit]").click()
    # The client search is POSTed: no name or BSN ends up in the address bar.
    expect(page.locator("#clients-h")).to_be_visible()
    expect(page).to_have_url(url("audit:search"))
    page.get_by_role("link", name=re.compile(re.escape(woman.full_name))).click()
    page.wait_for_url(url("audit:client_report", ANY_PK))
    expect(page.locator("h1")).to_contain_text(woman.full_name)
    return page.locator("table.data tbody tr")
