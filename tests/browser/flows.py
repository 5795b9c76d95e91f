"""What each person does in the browser, step by step, with what she should see along the way.

The test modules call these; the chain test (`test_chain.py`) runs them one after another. Selectors are
form-field ids, names and URLs (stable), not visible Dutch text (which the translators may still change);
where text is checked, the expected text is looked up in the message catalogue with `nl()`.
"""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext, ngettext
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from kansrijk.care.models import SupportNeeded, VisitForm, VisitStatus
from kansrijk.cases.models import Case, CloseReason, Status
from kansrijk.cases.selectors import nurse_caseloads
from kansrijk.followup.models import FollowUpStatus
from kansrijk.referrals.models import VulnerabilityDomain
from kansrijk.socialmap.models import Offer

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


# --- Issue 3: the nurse's work on a case, follow-up, the provider, feedback and closing -------------------------

MIDWIFE_NAME = "Sanne Verloskundige"
PROVIDER_ORGANISATION = "Stichting Steunouders Limburg (demo)"
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def nl_plural(singular: str, plural: str, count: int) -> str:
    """The Dutch text of an ngettext/blocktranslate-count message, with `count` filled in."""
    with translation.override("nl"):
        return ngettext(singular, plural, count)


def arrive(page, pattern):
    """Wait for the page the last click leads to; if it does not come, say what the page showed instead."""
    if isinstance(pattern, re.Pattern) and pattern.pattern.endswith("$"):
        pattern = re.compile(pattern.pattern[:-1] + r"(#[\w-]*)?$")  # forms lead back to a section of the page
    try:
        page.wait_for_url(pattern)
    except PlaywrightTimeoutError:
        problems = page.locator(".errorlist li, .notice--error").all_inner_texts()
        raise AssertionError(f"still on {page.url}, expected {pattern}; the page says: {problems}") from None


def nl_date(day) -> str:
    """A date as the Dutch pages show it ("3 juni 2025")."""
    with translation.override("nl"):
        return formats.date_format(day, "j F Y")


def success(page):
    """Exactly one success message and no error on the page just loaded."""
    expect(page.locator(".messages .notice--success")).to_have_count(1)
    expect(page.locator(".messages .notice--error")).to_have_count(0)


def case_badge(page):
    return page.locator("h1 .badge")


def case_timeline_entry(page, from_status, to_status, who: str = NURSE_NAME):
    text = f"{nl(from_status.label)} → {nl(to_status.label)}"
    return page.locator("ol.timeline > li").filter(has_text=text).filter(has_text=who)


def submit_form_page(page):
    """The one form of a plain form page (care/form_page.html): press its submit button."""
    page.locator("main form[data-single-submit] button[type=submit]").click()


def nurse_opens_case(page, woman: Woman):
    """From "my cases" to the case page, as the nurse would."""
    nav_to(page, "cases:mine")
    page.get_by_role("link", name=woman.full_name, exact=True).click()
    arrive(page, url("cases:detail", woman.case().pk))
    expect(page.locator("h1")).to_contain_text(woman.full_name)


def nurse_records_contact_attempt(page, woman: Woman, *, method: str, reached: bool, note: str):
    """On the case page: "Record a contact attempt", fill in how and whether she was reached."""
    case = woman.case()
    page.locator(f'#care-contacts a[href="{reverse("care:contact_new", args=[case.pk])}"]').click()
    arrive(page, url("care:contact_new", case.pk))
    # "When" is filled in with the current time.
    expect(page.locator("#id_at")).to_have_value(re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d"))
    page.locator(f'input[name="method"][value="{method}"]').check()
    page.locator(f'input[name="reached"][value="{"yes" if reached else "no"}"]').check()
    page.locator("#id_note").fill(note)
    submit_form_page(page)
    arrive(page, url("cases:detail", case.pk))
    success(page)
    row = page.locator("#care-contacts tbody tr", has_text=note)
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(2)).to_have_text(nl("Reached") if reached else nl("Not reached"))


def nurse_plans_visit(page, woman: Woman, *, when, form: str):
    """Plan a visit from the case page; it shows on the case and on her agenda. Returns the visit page URL."""
    case = woman.case()
    page.locator(f'#care-visits a[href="{reverse("care:visit_plan", args=[case.pk])}"]').click()
    arrive(page, url("care:visit_plan", case.pk))
    page.locator("#id_scheduled_at").fill(when.strftime(DATETIME_LOCAL))
    page.locator(f'input[name="form"][value="{form}"]').check()
    submit_form_page(page)
    arrive(page, url("cases:detail", case.pk))
    success(page)
    planned = page.locator("#care-visits tbody tr", has_text=nl("Planned"))
    expect(planned).to_have_count(1)
    expect(planned).to_contain_text(nl(dict(VisitForm.choices)[form]))

    # The agenda lists it on its day, with the client.
    nav_to(page, "care:agenda")
    day = page.locator("main section.panel", has=page.locator(f'time[datetime="{when.date().isoformat()}"]'))
    row = day.locator("tbody tr", has_text=woman.full_name)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(when.strftime("%H:%M"))
    expect(row).to_contain_text(nl(dict(VisitForm.choices)[form]))
    visit = case.visits.get(status=VisitStatus.PLANNED)
    row.locator(f'a[href="{reverse("care:visit_detail", args=[visit.pk])}"]').click()
    arrive(page, url("care:visit_detail", visit.pk))
    expect(page.locator("#visit-h")).to_have_text(nl("Planned"))


def nurse_records_visit_held(page, woman: Woman, *, held_at, minutes: int, others: str, notes: str):
    """On the visit page: "Record as held", with when it actually took place, who was there, an interpreter."""
    visit = woman.case().visits.get(status=VisitStatus.PLANNED)
    page.locator(f'.actions a[href="{reverse("care:visit_report", args=[visit.pk])}"]').click()
    arrive(page, url("care:visit_report", visit.pk))
    page.locator("#id_scheduled_at").fill(held_at.strftime(DATETIME_LOCAL))
    page.locator("#id_duration_minutes").fill(str(minutes))
    page.locator("#id_partner_present").check()
    page.locator("#id_others_present").fill(others)
    page.locator("#id_interpreter_used").check()
    page.locator("#id_notes").fill(notes)
    submit_form_page(page)
    arrive(page, url("care:visit_detail", visit.pk))
    success(page)
    expect(page.locator("#visit-h")).to_have_text(nl("Held"))
    facts = page.locator("#visit-h + dl.facts")
    expect(facts).to_contain_text(str(minutes))
    expect(facts).to_contain_text(others)
    expect(facts).to_contain_text(notes)

    page.locator(f'.actions a[href^="{woman.case().get_absolute_url()}"]').click()
    arrive(page, url("cases:detail", woman.case().pk))
    held = page.locator("#care-visits tbody tr", has_text=nl("Held"))
    expect(held).to_have_count(1)
    expect(held).to_contain_text(nl("interpreter"))
    expect(page.locator("#care-visits tbody tr", has_text=nl("Planned"))).to_have_count(0)


def nurse_records_assessment(page, woman: Woman, *, domain_code: str, parts: dict, questions: str, support: str):
    """Record the assessment with the family: one domain described, their questions, the support needed."""
    case = woman.case()
    domain = VulnerabilityDomain.objects.get(region=case.region, code=domain_code)
    page.locator(f'#care-assessment a[href="{reverse("care:assessment_new", args=[case.pk])}"]').click()
    arrive(page, url("care:assessment_new", case.pk))
    group = page.locator("details", has=page.locator(f"#domain-{domain.pk}"))
    expect(group).to_have_attribute("open", "")  # signalled in the referral: opened already
    for part, text in parts.items():
        page.locator(f"#id_d{domain.pk}_{part}").fill(text)
    page.locator("#id_family_questions").fill(questions)
    page.locator(f'input[name="support_needed"][value="{support}"]').check()
    page.locator("main form[data-single-submit] button[type=submit]").click()
    arrive(page, url("care:assessment", case.pk))
    success(page)
    recorded = page.locator("article.referral", has=page.locator("h3", has_text=domain.name))
    for text in parts.values():
        expect(recorded).to_contain_text(text)
    expect(page.locator("#assessment-h + p + dl.facts")).to_contain_text(questions)

    page.locator(f'.page-header a[href="{case.get_absolute_url()}"]').click()
    arrive(page, url("cases:detail", case.pk))
    section = page.locator("#care-assessment")
    expect(section).to_contain_text(nl(dict(SupportNeeded.choices)[support]))
    expect(section).to_contain_text(parts["risk_factors"])


def nurse_adds_goal_with_action(page, woman: Woman, *, goal: str, domain_code: str, action: str, who: str, by):
    """Add a goal to the plan in the family's words, then an action to it: who does what, by when."""
    case = woman.case()
    domain = VulnerabilityDomain.objects.get(region=case.region, code=domain_code)
    page.locator(f'#care-plan a[href="{reverse("care:goal_new", args=[case.pk])}"]').click()
    arrive(page, url("care:goal_new", case.pk))
    page.locator("#id_goal").fill(goal)
    page.locator("#id_domain").select_option(str(domain.pk))
    submit_form_page(page)
    arrive(page, url("cases:detail", case.pk))
    success(page)
    article = page.locator("#care-plan article.referral", has_text=goal)
    expect(article).to_have_count(1)
    expect(article.locator("h3")).to_contain_text(domain.name)

    plan_goal = case.plan_goals.get(goal=goal)
    article.locator(f'a[href="{reverse("care:action_new", args=[plan_goal.pk])}"]').click()
    arrive(page, url("care:action_new", plan_goal.pk))
    page.locator("#id_action").fill(action)
    page.locator("#id_responsible").fill(who)
    page.locator("#id_due_date").fill(by.isoformat())
    submit_form_page(page)
    arrive(page, url("cases:detail", case.pk))
    success(page)
    row = page.locator("#care-plan article.referral", has_text=goal).locator("tbody tr", has_text=action)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(who)
    expect(row.locator(f'time[datetime="{by.isoformat()}"]')).to_have_count(1)


def follow_up_section(page):
    return page.locator('section[aria-labelledby="followup-h"]')


def follow_up_row(page, offer_name: str):
    """The row of the case page's follow-up table for this offer (the provider's name may contain it too)."""
    link = page.get_by_role("link", name=offer_name, exact=True)
    return follow_up_section(page).locator("tbody tr").filter(has=link)


def nurse_refers_to_offer(page, woman: Woman, offer_name: str, *, shared: str, phase: str = ""):
    """From the case: choose an offer on the social map, refer in one step, then send it with consent."""
    case = woman.case()
    offer = Offer.objects.get(region=case.region, name=offer_name)
    follow_up_section(page).locator(f'a[href="{reverse("followup:pick", args=[case.pk])}"]').click()
    arrive(page, url("followup:pick", case.pk))
    # Show offers of either phase (Steunouders is for after the birth).
    page.locator("#id_phase").select_option(phase)
    page.locator("form.filters button[type=submit]").click()
    arrive(page, re.compile(r"\?.*phase="))
    article = page.locator(f'article[aria-labelledby="offer-{offer.pk}"]')
    expect(article).to_have_count(1)
    expect(article.locator("h3")).to_contain_text(PROVIDER_ORGANISATION)
    expect(article.locator(".notice--warning")).to_have_count(0)  # it serves her municipality
    article.locator("form button[type=submit]").click()

    arrive(page, url("followup:detail", case.pk, ANY_PK))
    success(page)
    expect(page.locator("h1")).to_contain_text(offer_name)
    expect(page.locator("h1 .badge")).to_have_text(nl(FollowUpStatus.PROPOSED.label))
    follow_up = case.follow_ups.get(offer=offer)
    send = page.locator(f'form[action="{reverse("followup:send", args=[case.pk, follow_up.pk])}"]')
    send.locator("#id_shared_with_provider").fill(shared)
    send.locator("#id_share_phone").check()
    send.locator("#id_consent").check()
    send.locator("button[type=submit]").click()

    arrive(page, url("followup:detail", case.pk, ANY_PK))
    success(page)
    expect(page.locator("h1 .badge")).to_have_text(nl(FollowUpStatus.SENT.label))
    history = page.locator("ol.timeline > li")
    expect(history).to_have_count(2)
    expect(history.last).to_contain_text(f"{nl(FollowUpStatus.PROPOSED.label)} → {nl(FollowUpStatus.SENT.label)}")
    page.locator(f'.page-header a[href="{case.get_absolute_url()}"]').click()
    arrive(page, url("cases:detail", case.pk))
    expect(follow_up_row(page, offer_name).locator(".badge")).to_have_text(nl(FollowUpStatus.SENT.label))


def provider_answers(page, woman: Woman, offer_name: str, *, change: str, note: str, expected_start=None, hidden=()):
    """The provider opens the referral from her list and records her answer. She sees only what was shared."""
    nav_to(page, "followup:provider_list")
    offer_cell = page.locator("td").filter(has_text=re.compile(rf"^{re.escape(offer_name)}$"))
    row = page.locator("table.data tbody tr", has_text=woman.full_name).filter(has=offer_cell)
    expect(row).to_have_count(1)
    expect(row.locator(".badge")).to_have_text(nl(FollowUpStatus.SENT.label))
    row.get_by_role("link", name=woman.full_name).click()
    arrive(page, url("followup:provider_detail", ANY_PK))
    shared = page.locator('section[aria-labelledby="shared-h"]')
    expect(shared).to_contain_text(woman.phone)  # the nurse ticked "share her phone number"
    main = page.locator("main")
    for text in hidden:
        expect(main).not_to_contain_text(text)

    page.locator(f'input[name="change"][value="{change}"]').check()
    if expected_start is not None:
        page.locator("#id_expected_start").fill(expected_start.isoformat())
    page.locator("#id_note").fill(note)
    page.locator("main form[data-single-submit] button[type=submit]").click()
    arrive(page, url("followup:provider_detail", ANY_PK))
    success(page)
    target = {"accept": FollowUpStatus.ACCEPTED, "waiting_list": FollowUpStatus.WAITING_LIST}[change]
    expect(page.locator("h1 .badge")).to_have_text(nl(target.label))
    if expected_start is not None:
        expect(page.locator('section[aria-labelledby="referral-h"]')).to_contain_text(nl_date(expected_start))


def nurse_sends_feedback(page, woman: Woman, *, moment: str, addition: str):
    """On the case page: write the feedback that is due, add a line to the drafted text and send it."""
    case = woman.case()
    section = page.locator('section[aria-labelledby="feedback-h"]')
    due = section.locator(f'form[action="{reverse("feedback:draft", args=[case.pk])}"]').filter(
        has=page.locator(f'input[name="moment"][value="{moment}"]')
    )
    expect(due).to_have_count(1)
    expect(due).to_contain_text(MIDWIFE_NAME)
    due.locator("button[type=submit]").click()
    arrive(page, url("feedback:edit", case.pk, ANY_PK))
    text = page.locator("#id_text")
    drafted = text.input_value()
    assert drafted.strip(), "the application drafts the message"
    text.fill(f"{drafted.rstrip()}\n\n{addition}")
    page.locator('main form button[name="send"]').click()
    arrive(page, url("cases:detail", case.pk))
    success(page)
    row = page.locator('section[aria-labelledby="feedback-h"] table.data tbody tr')
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(2)).to_contain_text(nl("Sent"))
    expect(row.locator("td").nth(3)).to_have_text(nl("not yet"))


def midwife_reads_feedback(page, woman: Woman, *, moment_label, addition: str):
    """The midwife sees the unread marker in "my referrals", opens the referral and reads the feedback."""
    nav_to(page, "referrals:list")
    row = page.locator("table.data tbody tr", has_text=woman.full_name)
    expect(row.locator(".badge")).to_have_text(nl_plural("%(n)s new message", "%(n)s new messages", 1) % {"n": 1})
    row.get_by_role("link", name=woman.full_name).click()
    arrive(page, url("referrals:detail", ANY_PK))
    article = page.locator('section[aria-labelledby="feedback-h"] article')
    expect(article).to_have_count(1)
    expect(article.locator("h3")).to_contain_text(nl(moment_label))
    expect(article.locator("h3 .badge")).to_have_text(nl("New"))
    expect(article).to_contain_text(NURSE_NAME)
    expect(article).to_contain_text(addition)

    # Read now: the marker is gone from the list.
    nav_to(page, "referrals:list")
    row = page.locator("table.data tbody tr", has_text=woman.full_name)
    expect(row).to_have_count(1)
    expect(row.locator(".badge")).to_have_count(0)


def nurse_records_birth(page, woman: Woman, born):
    case = woman.case()
    form = page.locator(f'form[action="{reverse("feedback:birth", args=[case.pk])}"]')
    form.locator("#id_birth_date").fill(born.isoformat())
    form.locator("button[type=submit]").click()
    arrive(page, url("cases:detail", case.pk))
    success(page)
    section = page.locator('section[aria-labelledby="feedback-h"]')
    expect(section.locator(f'a[href="{reverse("feedback:handover", args=[case.pk])}"]')).to_have_count(1)


def nurse_closes_case(page, woman: Woman, *, reason: str, note: str):
    case = woman.case()
    form = page.locator(action_form(woman, "close"))
    form.locator('select[name="reason"]').select_option(reason)
    form.locator('textarea[name="note"]').fill(note)
    form.locator("button[type=submit]").click()
    arrive(page, url("cases:detail", case.pk))
    success(page)
    expect(case_badge(page)).to_have_text(nl(Status.CLOSED.label))
    expect(page.locator(".page-header")).to_contain_text(nl(dict(CloseReason.choices)[reason]))
    expect(page.locator("ol.timeline > li", has_text=note)).to_have_count(1)
    # Closed: nothing can be recorded any more.
    expect(page.locator(f'a[href="{reverse("care:contact_new", args=[case.pk])}"]')).to_have_count(0)


def nurse_prints_handover_and_downloads_pdf(page, woman: Woman) -> bytes:
    """Open the printable handover summary, print it, and download it as PDF. Returns the PDF."""
    case = woman.case()
    section = page.locator('section[aria-labelledby="feedback-h"]')
    section.locator(f'a[href="{reverse("feedback:handover", args=[case.pk])}"]').click()
    arrive(page, url("feedback:handover", case.pk))
    expect(page.locator("h1")).to_have_text(nl("Handover summary for the regular JGZ care"))
    expect(page.locator(".page-header")).to_contain_text(woman.full_name)

    # "Print this summary" opens the browser's print dialog (forms.js); count the calls instead of printing.
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    page.locator("[data-print]").click()
    printed = page.evaluate("window.__printed")
    assert printed == 1, printed

    pdf_link = page.locator(f'.page-header a[href="{reverse("feedback:handover_pdf", args=[case.pk])}"]')
    with page.expect_download() as download_info:
        pdf_link.click()
    download = download_info.value
    assert download.suggested_filename == f"overdracht-{case.pk}.pdf"  # no client name in the file name
    body = Path(download.path()).read_bytes()
    assert body.startswith(b"%PDF")

    response = page.request.get(reverse("feedback:handover_pdf", args=[case.pk]))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    return body
