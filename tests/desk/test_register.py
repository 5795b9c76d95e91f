"""Self-registration at the public desk.

A woman fills in a short form (no login, six languages); it becomes a referral with source "self"
in the intake queue of the JGZ that serves her postcode (or of the region's administrators),
marked as self-registered, with a section on the case page telling how and when to reach her.
She sees her reference and, when she gave an e-mail address, gets it by e-mail without any health
content. Every validation brings the form back filled in; double submits, the honeypot, the rate
limit and the size limit store nothing extra.
"""

import re
import uuid
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core import mail, signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from kansrijk.audit.models import Action, AuditEntry
from kansrijk.cases.models import Case, Status
from kansrijk.clients.models import Client as ClientRecord
from kansrijk.desk import services_register
from kansrijk.desk.demo_register import REGISTRATIONS as DEMO_REGISTRATIONS
from kansrijk.desk.demo_register import load as load_demo_registrations
from kansrijk.desk.models import ContactChannel, ContactTime, Page, PageText, SelfRegistration
from kansrijk.desk.public import HONEYPOT_MESSAGE, RATE_LIMIT_MESSAGE
from kansrijk.desk.views_register import done_token
from kansrijk.feedback.selectors import feedback_due
from kansrijk.referrals.models import Referral, ReferralSource

from ..conftest import World, refer
from ..translated import nt, t

REGISTER = reverse("desk:register")
INTAKE = reverse("cases:intake")


def by_text(language: str, days: int = 5) -> str:
    """The text-message promise ("A nurse … within N working days.") in `language`."""
    return nt(
        "A nurse from the JGZ sends you a text message or WhatsApp message within %(days)s working day.",
        "A nurse from the JGZ sends you a text message or WhatsApp message within %(days)s working days.",
        days,
        language,
        days=days,
    )


@pytest.fixture
def staff():
    """A professional logged in, reading the staff pages in English (the source strings)."""

    def _staff(user) -> Client:
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _staff


@pytest.fixture
def visitor():
    """An anonymous visitor reading the desk in a language (English: the source strings)."""

    def _visitor(language: str = "en") -> Client:
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return _visitor


def _date_parts(prefix: str, value) -> dict:
    return {f"{prefix}_day": str(value.day), f"{prefix}_month": str(value.month), f"{prefix}_year": str(value.year)}


def register_data(**overrides) -> dict:
    """A valid POST of the form: Heerlen, by text message in the evening, with an e-mail address."""
    today = timezone.localdate()
    data = {
        "submission_key": str(uuid.uuid4()),
        "first_name": "Derya",
        "last_name": "Kaya",
        **_date_parts("date_of_birth", today.replace(year=today.year - 27, day=1) - timedelta(days=31)),
        "postcode": "6411ab",
        "contact_channel": ContactChannel.TEXT,
        "phone": "06 1234 5678",
        "email": "derya@example.org",
        "contact_times": [ContactTime.EVENING],
        "contact_note": "Na zes uur.",
        "language": "tr",
        "interpreter_needed": "yes",
        **_date_parts("due_date", today + timedelta(weeks=18)),
        "worries": "Ik slaap slecht en maak me zorgen over geld.",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _stored() -> tuple[int, int, int]:
    return SelfRegistration.objects.count(), Referral.objects.count(), Case.objects.count()


def _labelled_controls(html: str) -> None:
    """Every visible input, select and textarea has a label that points at it."""
    form = html.split('class="register-form"')[1].split("</form>")[0]
    ids = re.findall(r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', form)
    assert len(ids) >= 20
    for control_id in ids:
        if control_id == "id_website":  # the honeypot: labelled too, but hidden from people
            continue
        assert f'for="{control_id}"' in form, control_id


# --- The form ----------------------------------------------------------------------------------


def test_the_form_is_usable_on_a_phone_and_with_the_keyboard(world, visitor):
    response = visitor("en").get(REGISTER)
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-single-submit" in html and "novalidate" in html
    assert re.search(r'name="submission_key" value="[0-9a-f-]{36}"', html)
    assert 'name="website"' in html and 'tabindex="-1"' in html
    _labelled_controls(html)
    # Dates: a fieldset with a legend and three labelled number boxes; the birth date fills itself in.
    for prefix, legend in (("date_of_birth", "Your date of birth"), ("due_date", "When is your baby due?")):
        group = html.split(f"<legend>{legend}</legend>")[1].split("</fieldset>")[0]
        for part in ("day", "month", "year"):
            assert f'name="{prefix}_{part}"' in group
        assert group.count('inputmode="numeric"') == 3
    for part in ("day", "month", "year"):
        assert f'autocomplete="bday-{part}"' in html
    # The choices are groups with a question as legend.
    for legend in ("How do you want us to contact you?", "When can we best reach you?", "Do you need an interpreter?"):
        assert f"<legend>{legend}</legend>" in html
    assert html.count('type="radio" name="contact_channel"') == 3
    assert html.count('type="checkbox" name="contact_times"') == 3
    for autocomplete in ("given-name", "family-name", "postal-code", "tel", "email"):
        assert f'autocomplete="{autocomplete}"' in html
    assert 'inputmode="tel"' in html
    # What is on her mind: clearly optional; consent explained right above the box and linked to it.
    assert "Is there something on your mind? (you may skip this)" in html
    consent = html.split('id="register-consent-text"')[1]
    assert consent.index("The home visit is free.") < consent.index('name="consent"')
    assert re.search(r'<input type="checkbox" name="consent"[^>]*aria-describedby="register-consent-text"', html)
    # One h1, headings in order.
    assert html.count("<h1") == 1 and "<h3" not in html.split("<main")[1]


def test_her_language_defaults_to_the_page_and_each_is_named_in_itself(world, visitor):
    html = visitor("tr").get(REGISTER).content.decode()
    select = html.split('id="id_language"')[1].split("</select>")[0]
    assert re.search(r'<option value="tr" selected lang="tr">Türkçe</option>', select)
    assert '<option value="ar" lang="ar">العربيّة</option>' in select
    assert 'lang="nl">Nederlands</option>' in select and 'lang="uk">Українська</option>' in select
    # Languages Django has no own name for keep their label, without a lang of their own.
    assert re.search(r'<option value="ti">[^<]+</option>', select)
    html = visitor("nl").get(REGISTER).content.decode()
    assert '<option value="nl" selected lang="nl">' in html


def test_the_page_speaks_turkish_and_arabic_right_to_left(world, visitor):
    response = visitor("tr").get(REGISTER)
    assert response.status_code == 200
    assert '<html lang="tr" dir="ltr">' in response.content.decode()
    response = visitor("ar").get(REGISTER)
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in response.content.decode()


def test_the_intro_is_the_register_page_in_her_language_or_dutch_marked_as_dutch(world, visitor):
    page = Page.objects.create(slug="register")
    PageText.objects.create(page=page, language="nl", title="Aanmelden", summary="Vul dit formulier in.")
    PageText.objects.create(page=page, language="tr", title="Kayıt olun", summary="Bu formu doldurun.")
    assert "Bu formu doldurun." in visitor("tr").get(REGISTER).content.decode()
    html = visitor("ar").get(REGISTER).content.decode()
    assert re.search(r'<h1 lang="nl"[^>]*>Aanmelden</h1>', html)
    assert re.search(r'<div class="desk-intro" lang="nl"', html)


# --- Registering -------------------------------------------------------------------------------


def test_a_registration_reaches_the_planner_marked_as_self_registered(
    world: World, visitor, staff, django_capture_on_commit_callbacks
):
    client = visitor("tr")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REGISTER, register_data())
    registration = SelfRegistration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("desk:register_done", args=[done_token(registration.reference)])
    assert re.fullmatch(r"AM-[A-Z0-9]{4}-[A-Z0-9]{4}", registration.reference)

    # The referral: source self, nobody referred her, routed by her postcode to the JGZ of Heerlen.
    referral = registration.referral
    assert referral.source == ReferralSource.SELF
    assert referral.referrer is None and referral.referrer_organisation is None
    assert referral.consent_contact and not referral.consent_feedback
    assert referral.reason == "Ik slaap slecht en maak me zorgen over geld."
    case = referral.case
    assert case.organisation == world.jgz and case.municipality == world.heerlen and case.status == Status.RECEIVED
    her = case.client
    assert (her.first_name, her.last_name, her.postcode) == ("Derya", "Kaya", "6411 AB")
    assert (her.phone, her.email, her.preferred_language, her.interpreter_needed) == (
        "06 1234 5678",
        "derya@example.org",
        "tr",
        True,
    )
    assert registration.contact_channel == ContactChannel.TEXT
    assert registration.contact_times == [ContactTime.EVENING]
    assert registration.contact_note == "Na zes uur."
    assert registration.language == "tr"
    assert registration.confirmation_sent_at is not None

    # Written to the audit log by the referral service, by nobody logged in.
    entry = AuditEntry.objects.get(case_id=case.pk, action=Action.CREATE)
    assert entry.user is None and entry.user_label == "anonymous"
    assert entry.description == "self-registration at the desk" and entry.client_id == her.pk

    # The confirmation page: her reference, what happens next, no personal data.
    done = client.get(response["Location"])
    html = done.content.decode()
    assert done.status_code == 200
    assert registration.reference in html
    assert by_text("tr") in html  # her page is in the language she chose: Turkish
    assert (
        t("We also sent you an e-mail with your reference. Did you not get it? Look in your spam folder.", "tr") in html
    )
    for personal in ("Derya", "Kaya", "6411", "derya@example.org", "1234 5678"):
        assert personal not in html
    assert reverse("desk:support") in html and reverse("desk:ask") in html

    # The planner finds her in the intake queue, marked as self-registered.
    planner = staff(world.planner)
    queue = planner.get(INTAKE).content.decode()
    row = queue.split("Derya Kaya")[1].split("</tr>")[0]
    assert "Self-registered" in row and "badge" in row

    # The case page: how and when to reach her, her note, the language of the form, the e-mail.
    page = planner.get(case.get_absolute_url())
    assert page.status_code == 200
    section = page.content.decode().split('id="self-registration-h"')[1].split("</section>")[0]
    assert registration.reference in section
    assert "Text message or WhatsApp" in section and "06 1234 5678" in section
    assert "Early evening" in section and "Na zes uur." in section
    assert "Turkish" in section
    assert "Sent on" in section
    referrals = page.content.decode().split('id="refs-h"')[1].split("</section>")[0]
    assert "Registered herself at the desk" in referrals and registration.reference in referrals


def test_the_e_mail_holds_the_reference_in_the_form_language_and_no_health_content(
    world, visitor, monkeypatch, django_capture_on_commit_callbacks
):
    rendered_in = []
    real_render = services_register.render_to_string

    def spy(template, context):
        rendered_in.append(translation.get_language())
        return real_render(template, context)

    monkeypatch.setattr(services_register, "render_to_string", spy)
    data = register_data()
    with django_capture_on_commit_callbacks(execute=True):
        visitor("tr").post(REGISTER, data)
    registration = SelfRegistration.objects.get()
    assert rendered_in == ["tr"]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["derya@example.org"]
    assert registration.reference in message.subject and registration.reference in message.body
    subject = "Your registration for a home visit (%(reference)s)"
    assert message.subject == t(subject, "tr", reference=registration.reference)
    assert by_text("tr") in message.body
    assert "http://testserver" + reverse("desk:ask") in message.body
    case = registration.referral.case
    text = message.subject + message.body
    for health in (
        "slaap",
        "zorgen",
        "Derya",
        "Kaya",
        "6411",
        str(case.due_date.year),
        case.due_date.strftime("%d"),
        "due",
        "pregnan",
        "birth",
    ):
        assert health not in text, health
    for health in ("doğum", "bebe", "hamile", "gebe"):  # the same in Turkish, her language: birth, baby, pregnant
        assert health not in text.lower(), health


def test_a_registration_by_phone_without_e_mail_sends_nothing(world, visitor, django_capture_on_commit_callbacks):
    data = register_data(contact_channel=ContactChannel.PHONE, email="", contact_times=[ContactTime.MORNING])
    with django_capture_on_commit_callbacks(execute=True):
        response = visitor("ar").post(REGISTER, data)
    registration = SelfRegistration.objects.get()
    assert mail.outbox == [] and registration.confirmation_sent_at is None
    html = visitor("en").get(response["Location"]).content.decode()
    assert "calls you within 5 working days" in html
    assert "We did not send you an e-mail." in html


def test_a_failing_e_mail_still_registers_her_and_says_no_e_mail_went_out(
    world, visitor, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(services_register, "send_mail", broken)
    with django_capture_on_commit_callbacks(execute=True):
        response = visitor("en").post(REGISTER, register_data())
    registration = SelfRegistration.objects.get()
    assert registration.confirmation_sent_at is None
    assert "We did not send you an e-mail." in visitor("en").get(response["Location"]).content.decode()


def test_a_postcode_no_jgz_serves_goes_to_the_region_administrators(world, visitor, staff):
    visitor("en").post(REGISTER, register_data(postcode="6191 AA"))
    case = SelfRegistration.objects.get().referral.case
    assert case.organisation is None and case.municipality == world.beek and case.region == world.region
    queue = staff(world.admin).get(INTAKE).content.decode()
    row = queue.split("Derya Kaya")[1].split("</tr>")[0]
    assert "Self-registered" in row and "no JGZ organisation" in row
    assert "Derya Kaya" not in staff(world.planner).get(INTAKE).content.decode()
    assert "Derya Kaya" not in staff(world.other_planner).get(INTAKE).content.decode()


def test_a_woman_already_known_with_an_open_case_joins_it(world, visitor, staff):
    today = timezone.localdate()
    dob = today.replace(year=today.year - 27, day=1) - timedelta(days=31)
    due = today + timedelta(weeks=18)
    first = refer(world, first_name="Derya", last_name="Kaya", date_of_birth=dob, due_date=due, postcode="6411 AB")
    case = first.referral.case
    assert case.client.phone == ""
    visitor("en").post(REGISTER, register_data(first_name="derya", last_name="KAYA"))
    registration = SelfRegistration.objects.get()
    assert registration.referral.case == case and registration.referral.joined_existing_case
    assert Case.objects.count() == 1 and ClientRecord.objects.count() == 1
    case.client.refresh_from_db()
    assert case.client.phone == "06 1234 5678"  # she had none on file: added
    page = staff(world.planner).get(case.get_absolute_url()).content.decode()
    assert registration.reference in page and "Verloskundigen Test" in page
    assert "joined her open case" in page


def test_a_known_womans_contact_details_on_file_are_not_overwritten(world, visitor):
    today = timezone.localdate()
    dob = today.replace(year=today.year - 27, day=1) - timedelta(days=31)
    due = today + timedelta(weeks=18)
    case = refer(
        world, first_name="Derya", last_name="Kaya", date_of_birth=dob, due_date=due, phone="06 99999999"
    ).referral.case
    visitor("en").post(REGISTER, register_data())
    case.client.refresh_from_db()
    assert case.client.phone == "06 99999999"
    assert case.client.email == "derya@example.org"


# --- Abuse and twice ---------------------------------------------------------------------------


def test_a_double_submit_stores_one_registration_and_sends_one_e_mail(
    world, visitor, django_capture_on_commit_callbacks
):
    client = visitor("en")
    data = register_data()
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(REGISTER, data)
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(REGISTER, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert _stored() == (1, 1, 1)
    assert len(mail.outbox) == 1


def test_the_service_called_again_with_the_same_key_returns_the_first_registration(world):
    from kansrijk.desk.forms_register import RegisterForm
    from tests.conftest import http_request

    form = RegisterForm(register_data())
    assert form.is_valid(), form.errors
    key = uuid.uuid4()
    first = services_register.register_self(
        http_request(world.nobody), data=form.cleaned_data, submission_key=key, language="nl"
    )
    again = services_register.register_self(
        http_request(world.nobody), data=form.cleaned_data, submission_key=key, language="nl"
    )
    assert first.created and not again.created
    assert again.registration == first.registration
    assert _stored() == (1, 1, 1)


def test_a_reference_that_is_taken_is_drawn_again(world, visitor, monkeypatch):
    visitor("en").post(REGISTER, register_data())
    taken = SelfRegistration.objects.get().reference
    draws = iter([taken, "AM-TTTT-TTTT"])
    monkeypatch.setattr(services_register, "new_reference", lambda prefix: next(draws))
    visitor("en").post(REGISTER, register_data(first_name="Elif", postcode="6221 AB"))
    assert SelfRegistration.objects.filter(reference="AM-TTTT-TTTT").exists()
    assert SelfRegistration.objects.count() == 2


def test_the_honeypot_refuses_and_stores_nothing(world, visitor):
    response = visitor("en").post(REGISTER, register_data(website="http://spam.example"))
    assert response.status_code == 200
    assert str(HONEYPOT_MESSAGE) in response.content.decode()
    assert 'value="Derya"' in response.content.decode()
    assert _stored() == (0, 0, 0)


def test_beyond_the_rate_limit_the_form_comes_back_filled_in_with_429(world, visitor, settings):
    settings.KANSRIJK_PUBLIC_FORM_RATE = "2/h"
    client = visitor("en")
    for n in range(2):
        assert client.post(REGISTER, register_data(first_name=f"Vrouw{n}")).status_code == 302
    response = client.post(REGISTER, register_data(first_name="Hatice", worries="Mijn woorden."))
    assert response.status_code == 429
    html = response.content.decode()
    assert str(RATE_LIMIT_MESSAGE) in html
    assert 'value="Hatice"' in html and "Mijn woorden." in html and 'value="6411ab"' in html
    assert _stored() == (2, 2, 2)
    assert not Referral.objects.filter(case__client__first_name="Hatice").exists()


def test_a_form_already_accepted_still_shows_its_confirmation_beyond_the_rate_limit(world, visitor, settings):
    settings.KANSRIJK_PUBLIC_FORM_RATE = "1/h"
    client = visitor("en")
    data = register_data()
    first = client.post(REGISTER, data)
    again = client.post(REGISTER, data)
    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert _stored() == (1, 1, 1)
    assert client.post(REGISTER, register_data(first_name="Hatice")).status_code == 429


def test_a_body_too_large_is_refused_with_413(world, visitor):
    response = visitor("en").post(REGISTER, register_data(worries="x" * (settings.KANSRIJK_PUBLIC_MAX_BODY + 10)))
    assert response.status_code == 413
    assert _stored() == (0, 0, 0)


def test_a_bad_or_unknown_token_is_404(world, visitor):
    client = visitor("en")
    assert client.get(reverse("desk:register_done", args=["not-a-token"])).status_code == 404
    forged = signing.dumps("AM-AAAA-AAAA", salt="kansrijk.desk.ask")  # another form's salt
    assert client.get(reverse("desk:register_done", args=[forged])).status_code == 404
    unknown = done_token("AM-AAAA-AAAA")
    assert client.get(reverse("desk:register_done", args=[unknown])).status_code == 404


# --- Bad input: each mistake gets its message, and nothing typed is lost -------------------------


PAST = timezone.localdate() - timedelta(days=3)
FAR = timezone.localdate() + timedelta(weeks=settings.KANSRIJK_MAX_WEEKS_UNTIL_DUE, days=7)
TOMORROW = timezone.localdate() + timedelta(days=1)
TOO_YOUNG = timezone.localdate().replace(year=timezone.localdate().year - 8, day=1)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"first_name": "  "}, "first_name", "Fill in your first name."),
        ({"last_name": ""}, "last_name", "Fill in your last name."),
        ({"date_of_birth_day": ""}, "date_of_birth", "Fill in the day, the month and the year."),
        (
            {"date_of_birth_day": "", "date_of_birth_month": "", "date_of_birth_year": ""},
            "date_of_birth",
            "Fill in the day, the month and the year.",
        ),
        ({"date_of_birth_month": "mei"}, "date_of_birth", "Fill in the date in numbers"),
        ({"date_of_birth_year": "95"}, "date_of_birth", "Fill in the year with 4 numbers"),
        ({"date_of_birth_day": "31", "date_of_birth_month": "2"}, "date_of_birth", "This date does not exist."),
        (_date_parts("date_of_birth", TOMORROW), "date_of_birth", "This date is in the future."),
        (_date_parts("date_of_birth", TOO_YOUNG), "date_of_birth", "Check your date of birth."),
        ({"postcode": ""}, "postcode", "Fill in your postcode."),
        ({"postcode": "12345"}, "postcode", "Fill in a Dutch postcode, like 6211 AB."),
        ({"contact_channel": ""}, "contact_channel", "Choose how we can contact you."),
        ({"contact_channel": "pigeon"}, "contact_channel", "Select a valid choice."),
        ({"phone": ""}, "phone", "Fill in your phone number."),
        ({"contact_channel": ContactChannel.PHONE, "phone": ""}, "phone", "Fill in your phone number."),
        ({"phone": "06 1234"}, "phone", "10 to 15 numbers"),
        ({"phone": "06-bel-me-maar"}, "phone", "10 to 15 numbers"),
        ({"phone": "+31 6 1234 5678 9012 34"}, "phone", "10 to 15 numbers"),
        ({"contact_channel": ContactChannel.EMAIL, "email": ""}, "email", "Fill in your e-mail address."),
        ({"email": "derya@"}, "email", "Fill in an e-mail address like name@example.nl."),
        ({"contact_times": ["night"]}, "contact_times", "Select a valid choice."),
        ({"contact_note": "x" * 301}, "contact_note", "at most 300 characters"),
        ({"language": "xx"}, "language", "Choose a language from the list."),
        ({"interpreter_needed": ""}, "interpreter_needed", "Choose yes or no."),
        ({"due_date_year": ""}, "due_date", "Fill in the day, the month and the year."),
        (_date_parts("due_date", PAST), "due_date", "consultation office"),
        (_date_parts("due_date", FAR), "due_date", f"more than {settings.KANSRIJK_MAX_WEEKS_UNTIL_DUE} weeks away"),
        ({"worries": "x" * 2001}, "worries", "at most 2000 characters (you wrote 2001)"),
        ({"consent": None}, "consent", "Tick this box if you agree."),
    ],
)
def test_each_mistake_is_explained_and_the_form_comes_back_filled_in(world, visitor, overrides, field, message):
    data = register_data(**overrides)
    response = visitor("en").post(REGISTER, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert _stored() == (0, 0, 0)
    # The message next to the field, and in the summary at the top with a link to the field.
    error = html.split(f'id="id_{field}_error"')[1].split("</ul>")[0]
    assert message in error
    summary = html.split('class="notice notice--error error-summary"')[1].split("</div>")[0]
    assert re.search(rf'<a href="#id_{field}(_0)?">', summary)
    assert 'aria-invalid="true"' in html
    # Nothing typed is lost (the field in error keeps what she typed too).
    for name, value in data.items():
        if name in ("submission_key", "website", "consent") or not isinstance(value, str) or not value.strip():
            continue
        if name.startswith("contact_note") or name == "worries":
            assert value.replace("\r\n", "\n") in html, name
        elif name in ("contact_channel", "interpreter_needed", "language"):
            continue
        else:
            assert f'value="{value}"' in html, name
    assert f'value="{data["submission_key"]}"' in html


def test_choices_she_made_are_still_chosen_after_a_mistake(world, visitor):
    data = register_data(first_name="", contact_channel=ContactChannel.PHONE, contact_times=["morning", "evening"])
    html = visitor("en").post(REGISTER, data).content.decode()
    assert re.search(r'value="phone"[^>]*checked', html)
    assert re.search(r'value="morning"[^>]*checked', html) and re.search(r'value="evening"[^>]*checked', html)
    assert not re.search(r'value="afternoon"[^>]*checked', html)
    assert re.search(r'value="yes"[^>]*checked', html)
    assert re.search(r'<option value="tr"[^>]*selected', html)
    assert re.search(r'name="consent"[^>]*checked', html)


def test_a_postcode_in_no_municipality_names_the_municipalities_the_desk_serves(world, visitor):
    response = visitor("en").post(REGISTER, register_data(postcode="1012 AB"))
    html = response.content.decode()
    assert response.status_code == 200 and _stored() == (0, 0, 0)
    error = html.split('id="id_postcode_error"')[1].split("</ul>")[0]
    assert "not in a municipality we work for" in error
    assert "Beek, Heerlen, Maastricht, Sittard-Geleen" in error
    assert 'value="1012 AB"' in html


# --- The planner's side --------------------------------------------------------------------------


def test_no_feedback_is_offered_for_a_woman_who_registered_herself(world, visitor, staff):
    visitor("en").post(REGISTER, register_data())
    case = SelfRegistration.objects.get().referral.case
    now = timezone.now()
    Case.objects.filter(pk=case.pk).update(
        status=Status.IN_CONTACT, nurse=world.nurse, assigned_at=now, first_contact_at=now
    )
    case.refresh_from_db()
    assert feedback_due(case) == []
    for user in (world.planner, world.nurse):
        response = staff(user).get(case.get_absolute_url())
        assert response.status_code == 200
        html = response.content.decode()
        feedback = html.split('id="feedback-h"')[1].split("</section>")[0]
        assert "No feedback is due now." in feedback
        assert "did not consent" not in feedback and "Write feedback" not in feedback


def test_feedback_cannot_be_drafted_for_a_self_registration(world, visitor, staff):
    visitor("en").post(REGISTER, register_data())
    referral = SelfRegistration.objects.get().referral
    case = referral.case
    now = timezone.now()
    Case.objects.filter(pk=case.pk).update(
        status=Status.IN_CONTACT, nurse=world.nurse, assigned_at=now, first_contact_at=now
    )
    client = staff(world.planner)
    response = client.post(
        reverse("feedback:draft", args=[case.pk]), {"referral": referral.pk, "moment": "first_contact"}, follow=True
    )
    assert response.redirect_chain[0][0] == case.get_absolute_url()
    assert "did not consent to feedback" in response.content.decode() or "no referrer" in response.content.decode()
    assert not referral.feedback.exists()


def test_the_section_is_not_on_a_referred_womans_case_page(world, staff):
    case = refer(world).referral.case
    html = staff(world.planner).get(case.get_absolute_url()).content.decode()
    assert (
        'id="self-registration-h"' not in html
        and "Self-registered" not in staff(world.planner).get(INTAKE).content.decode()
    )


def test_the_intake_queue_query_count_does_not_grow_with_self_registrations(
    world, visitor, staff, django_assert_max_num_queries
):
    client = staff(world.planner)
    for n in range(2):
        visitor("en").post(REGISTER, register_data(first_name=f"Een{n}"))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(INTAKE).status_code == 200
    few = len(captured)  # now: the log is emptied at the start of every request
    for n in range(6):
        visitor("en").post(REGISTER, register_data(first_name=f"Twee{n}"))
    with django_assert_max_num_queries(few):
        html = client.get(INTAKE).content.decode()
    assert html.count("Self-registered") == 8


# --- Demo ------------------------------------------------------------------------------------------


def test_the_demo_registers_two_women_once(world, django_capture_on_commit_callbacks):
    from kansrijk.demo.management.commands.load_demo import _DemoRequest

    context = SimpleNamespace(request_for=_DemoRequest)
    with django_capture_on_commit_callbacks(execute=True):
        load_demo_registrations(context)
        load_demo_registrations(context)
    registrations = {
        r.referral.case.client.first_name: r
        for r in SelfRegistration.objects.select_related("referral__case__client", "referral__case__municipality")
    }
    assert len(registrations) == len(DEMO_REGISTRATIONS) == 2
    zeynep, rasha = registrations["Zeynep"], registrations["Rasha"]
    assert zeynep.language == "tr" and zeynep.contact_channel == ContactChannel.TEXT
    assert zeynep.contact_times == [ContactTime.EVENING]
    assert zeynep.referral.case.municipality == world.heerlen and zeynep.referral.case.client.interpreter_needed
    assert rasha.language == "ar" and rasha.contact_channel == ContactChannel.PHONE
    assert rasha.contact_times == [ContactTime.MORNING] and rasha.referral.case.municipality == world.maastricht
    assert all(
        r.referral.source == ReferralSource.SELF and r.referral.case.client.bsn == "" for r in registrations.values()
    )
    assert all(r.referral.case.organisation == world.jgz for r in registrations.values())
    # Loading the demo sends no e-mail, also not to the woman who gave an address.
    assert Referral.objects.count() == 2 and mail.outbox == [] and zeynep.email and zeynep.confirmation_sent_at is None
