"""The public desk as people use it: a visitor finds support by postcode, a professional asks a question
and the JGZ answers it, a woman registers herself in Turkish on her phone and the planner finds her.

Selectors are field names, ids and URLs; visible text is looked up in the catalogues (`nl()`), or
read from the database, never typed into the test as Dutch.
"""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from kansrijk.desk.models import ContactChannel, Question, QuestionStatus, SelfRegistration
from kansrijk.socialmap.models import Offer

from .flows import nav_to, nl, url

pytestmark = pytest.mark.browser


def test_a_visitor_finds_an_offer_by_postcode(demo, new_page):
    page = new_page()
    page.goto("/")
    page.locator(f'nav.desk-nav a[href="{reverse("desk:support")}"]').click()
    expect(page).to_have_url(url("desk:support"))

    page.locator("#id_postcode").fill("6211 AB")
    page.locator("#id_subject").select_option("financial")
    page.locator("form.support-search button[type=submit]").click()

    debt_help = Offer.objects.get(name="Schuldhulpverlening")
    card = page.locator(f"#offer-{debt_help.pk}")
    expect(card).to_be_visible()
    # Only offers for money matters that serve Maastricht are listed.
    for offer in Offer.objects.filter(is_active=True).exclude(domains__code="financial"):
        expect(page.locator(f"#offer-{offer.pk}")).to_have_count(0)

    card.locator("a").click()
    expect(page).to_have_url(re.compile(reverse("desk:support_offer", args=[debt_help.pk])))
    expect(page.locator("h1")).to_have_text(debt_help.name)
    dial = "".join(ch for ch in debt_help.phone if ch.isdigit() or ch == "+")
    expect(page.locator(f'a[href="tel:{dial}"]').first).to_be_visible()


def test_a_professional_asks_a_question_and_the_jgz_answers_it(demo, new_page, log_in):
    visitor = new_page()
    visitor.goto(reverse("desk:ask"))
    visitor.locator('input[name="asker_kind"][value="professional"]').check()
    visitor.locator("#id_name").fill("Ilse Kraamzorg")
    visitor.locator('input[name="channel"][value="email"]').check()
    visitor.locator("#id_email").fill("ilse@example.org")
    visitor.locator("#id_text").fill("Mag ik een cliënt aanmelden die nog twijfelt over het huisbezoek?")
    visitor.locator("#id_municipality").select_option(label="Maastricht")
    button = visitor.locator("form.ask-form button[type=submit]")
    button.dblclick()  # an impatient double click stores the question once
    expect(visitor).to_have_url(re.compile(r"/vraag-stellen/ontvangen/"))
    reference = visitor.locator(".ask-reference").inner_text().strip()

    question = Question.objects.get(reference=reference)
    assert Question.objects.filter(email="ilse@example.org").count() == 1
    assert question.organisation.name == "JGZ Zuid-Limburg (demo)"
    assert [m.to for m in mail.outbox] == [["ilse@example.org"]]  # the receipt

    planner = log_in("planner")
    nav_to(planner, "desk:question_queue")
    planner.locator(f'a[href="{reverse("desk:question_detail", args=[question.pk])}"]').click()
    expect(planner.locator("main")).to_contain_text("Mag ik een cliënt aanmelden")
    answer = "Ja, met haar toestemming om contact op te nemen. Twijfel is geen bezwaar."
    planner.locator("#id_answer-answer").fill(answer)
    planner.locator("form:has(input[name=action][value=answer]) button[type=submit]").click()

    expect(planner.locator(".notice--success").first).to_be_visible()
    question.refresh_from_db()
    assert question.status == QuestionStatus.ANSWERED
    assert question.answered_by.email == "planner@demo.kansrijk.nl"
    assert question.time_to_answer is not None
    answer_mail = mail.outbox[-1]
    assert answer_mail.to == ["ilse@example.org"]
    assert "Twijfel is geen bezwaar." in answer_mail.body


def focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def tab(page, expected_id: str):
    """Press Tab once; focus must land on the expected field (the form's order works with the keyboard)."""
    page.keyboard.press("Tab")
    assert focused_id(page) == expected_id


def test_a_woman_registers_herself_in_turkish_on_her_phone_with_the_keyboard_and_the_planner_finds_her(
    demo, new_page, log_in
):
    phone = new_page(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)
    phone.goto("/")
    phone.locator("#desk-language-select").select_option("tr")
    phone.locator("form.desk-language button[type=submit]").click()
    expect(phone.locator("html")).to_have_attribute("lang", "tr")
    phone.locator(f'nav.desk-nav a[href="{reverse("desk:register")}"]').click()
    expect(phone).to_have_url(url("desk:register"))
    expect(phone.locator("html")).to_have_attribute("lang", "tr")  # remembered on the next page

    # From here on only the keyboard: Tab from the top of the page to the first field, then field by field.
    for _ in range(40):
        phone.keyboard.press("Tab")
        if focused_id(phone) == "id_first_name":
            break
    assert focused_id(phone) == "id_first_name"
    keys = phone.keyboard
    keys.type("Elif")
    tab(phone, "id_last_name")
    keys.type("Yıldız")
    tab(phone, "id_date_of_birth_0")
    keys.type("12")
    tab(phone, "id_date_of_birth_1")
    keys.type("4")
    tab(phone, "id_date_of_birth_2")
    keys.type("1996")
    tab(phone, "id_postcode")
    keys.type("6411 AB")
    tab(phone, "id_contact_channel_0")
    keys.press("ArrowDown")  # the second choice: a text message
    assert focused_id(phone) == "id_contact_channel_1"
    tab(phone, "id_phone")
    keys.type("06 12345678")
    tab(phone, "id_email")
    tab(phone, "id_contact_times_0")
    tab(phone, "id_contact_times_1")
    tab(phone, "id_contact_times_2")
    keys.press("Space")  # early evening
    tab(phone, "id_contact_note")
    tab(phone, "id_language")
    assert phone.locator("#id_language").input_value() == "tr"  # her language is the page's
    tab(phone, "id_interpreter_needed_0")
    keys.press("Space")  # yes, an interpreter
    due = timezone.localdate() + timedelta(weeks=18)
    tab(phone, "id_due_date_0")
    keys.type(str(due.day))
    tab(phone, "id_due_date_1")
    keys.type(str(due.month))
    tab(phone, "id_due_date_2")
    keys.type(str(due.year))
    tab(phone, "id_worries")
    keys.type("Burada ailem yok, kendimi yalnız hissediyorum.")
    phone.keyboard.press("Tab")  # the link to the privacy page, in the consent explanation
    assert phone.evaluate("document.activeElement.getAttribute('href')") == reverse("desk:page", args=["privacy"])
    tab(phone, "id_consent")
    keys.press("Space")
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.type") == "submit"
    keys.press("Enter")

    expect(phone).to_have_url(re.compile(r"/zelf-aanmelden/ontvangen/"))
    expect(phone.locator("html")).to_have_attribute("lang", "tr")
    reference = phone.locator(".register-reference").inner_text().strip()
    registration = SelfRegistration.objects.select_related("referral__case__client").get(reference=reference)
    case = registration.referral.case
    assert (case.client.first_name, case.client.last_name) == ("Elif", "Yıldız")
    assert case.client.preferred_language == "tr" and case.client.interpreter_needed
    assert registration.contact_channel == ContactChannel.TEXT and registration.contact_times == ["evening"]
    assert case.due_date == due and case.municipality.name == "Heerlen"
    assert SelfRegistration.objects.filter(referral__case__client__first_name="Elif").count() == 1
    assert mail.outbox == []  # she gave no e-mail address

    planner = log_in("planner")
    nav_to(planner, "cases:intake")
    row = planner.locator("tbody tr", has=planner.locator(f'a[href="{case.get_absolute_url()}"]'))
    expect(row).to_contain_text("Elif Yıldız")
    expect(row.locator(".badge--assigned")).to_have_text(nl("Self-registered"))
    row.locator(f'a[href="{case.get_absolute_url()}"]').click()
    section = planner.locator("section[aria-labelledby=self-registration-h]")
    expect(section).to_contain_text(reference)
    expect(section).to_contain_text("06 12345678")
