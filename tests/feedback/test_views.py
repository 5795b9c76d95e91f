"""The pages: the nurse writes and sends, the referrer reads, the handover prints."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation

from kansrijk.audit.models import Action, AuditEntry, Outcome
from kansrijk.cases.models import Case
from kansrijk.feedback.models import Feedback, FeedbackStatus, Moment

from .conftest import first_referral, held_visit, referred_case


@pytest.fixture(autouse=True)
def english(client):
    """Pages in English, so the tests read the English msgids."""
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


def draft_url(case):
    return f"/terugkoppeling/traject/{case.pk}/opstellen/"


def edit_url(feedback):
    return f"/terugkoppeling/traject/{feedback.case_id}/{feedback.pk}/"


def post_draft(client, case, moment=Moment.FIRST_CONTACT, referral=None):
    return client.post(draft_url(case), {"referral": (referral or first_referral(case)).pk, "moment": moment})


# --- The nurse ----------------------------------------------------------------------------


def test_nurse_drafts_edits_and_sends_feedback(world, client, login, case, django_capture_on_commit_callbacks):
    login(world.nurse)

    response = post_draft(client, case)
    feedback = Feedback.objects.get()
    assert response.status_code == 302 and response.url == edit_url(feedback)

    page = client.get(edit_url(feedback))
    assert page.status_code == 200
    assert feedback.text in page.content.decode().replace("&#x27;", "'")

    client.post(edit_url(feedback), {"version": 1, "text": "Eerste versie.", "save": "1"})
    feedback.refresh_from_db()
    assert (feedback.text, feedback.status, feedback.version) == ("Eerste versie.", "draft", 2)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit_url(feedback), {"version": 2, "text": "Definitief.", "send": "1"})
    assert response.status_code == 302 and response.url == case.get_absolute_url()
    feedback.refresh_from_db()
    assert (feedback.text, feedback.status) == ("Definitief.", FeedbackStatus.SENT)
    assert len(mail.outbox) == 1
    assert "Definitief." not in mail.outbox[0].body


def test_a_double_click_on_send_sends_once(world, client, login, case, django_capture_on_commit_callbacks):
    login(world.nurse)
    post_draft(client, case)
    post_draft(client, case)  # the double click on "Write feedback" too
    feedback = Feedback.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(edit_url(feedback), {"version": 1, "text": "Nieuws.", "send": "1"})
        second = client.post(edit_url(feedback), {"version": 1, "text": "Nieuws.", "send": "1"}, follow=True)

    assert first.status_code == 302
    assert second.status_code == 200
    assert "already been sent" in second.content.decode()
    assert len(mail.outbox) == 1


def test_the_second_of_two_editors_is_told_and_nothing_is_overwritten(world, client, login, case):
    login(world.nurse)
    post_draft(client, case)
    feedback = Feedback.objects.get()
    Feedback.objects.filter(pk=feedback.pk).update(text="Tekst van de planner", version=2)

    response = client.post(edit_url(feedback), {"version": 1, "text": "Tekst van de verpleegkundige", "save": "1"})

    assert response.status_code == 400
    assert "Someone else changed this feedback" in response.content.decode()
    assert Feedback.objects.get().text == "Tekst van de planner"


def test_an_empty_message_is_refused(world, client, login, case):
    login(world.nurse)
    post_draft(client, case)
    feedback = Feedback.objects.get()
    response = client.post(edit_url(feedback), {"version": 1, "text": "   ", "send": "1"})
    assert response.status_code == 400
    assert Feedback.objects.get().status == FeedbackStatus.DRAFT


def test_drafting_without_consent_is_refused_with_a_clear_message(world, client, login):
    case = referred_case(world, "in_contact", consent=False)
    login(world.nurse)

    response = post_draft(client, case, referral=first_referral(case))

    assert response.status_code == 302
    page = client.get(response.url)
    assert "did not consent to feedback" in page.content.decode()
    assert not Feedback.objects.exists()


def test_a_forged_referral_of_another_case_is_refused(world, client, login, case):
    other = referred_case(world, "in_contact")
    login(world.nurse)
    post_draft(client, case, referral=first_referral(other))
    assert not Feedback.objects.exists()


def test_the_case_page_shows_what_is_due_and_the_birth_form_to_the_nurse(world, client, login):
    case = referred_case(world, "visited")
    login(world.nurse)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "Feedback due" in html
    assert "First contact made" in html and "Home visit held" in html
    assert f'action="{draft_url(case)}"' in html
    assert f'action="/terugkoppeling/traject/{case.pk}/geboorte/"' in html


def test_the_planner_sees_the_section_without_the_birth_form(world, client, login):
    case = referred_case(world, "visited")
    login(world.planner)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "Feedback due" in html
    assert "/geboorte/" not in html


def test_recording_the_birth_through_the_page(world, client, login, case):
    login(world.nurse)
    today = timezone.localdate()

    response = client.post(
        f"/terugkoppeling/traject/{case.pk}/geboorte/", {"version": case.version, "birth_date": today.isoformat()}
    )

    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).birth_date == today


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "This field is required"),
        ("31-02-2026", "Enter a valid date"),
        ((timezone.localdate() + timedelta(days=3)).isoformat(), "cannot be in the future"),
        ("2001-01-01", "cannot be before the referral"),
    ],
)
def test_a_bad_birth_date_is_refused_with_a_message(world, client, login, case, value, message):
    login(world.nurse)
    response = client.post(
        f"/terugkoppeling/traject/{case.pk}/geboorte/", {"version": case.version, "birth_date": value}, follow=True
    )
    assert message in response.content.decode()
    assert Case.objects.get(pk=case.pk).birth_date is None


# --- The referrer --------------------------------------------------------------------------


def sent_feedback(case, moment=Moment.FIRST_CONTACT, text="Het eerste contact is gelegd."):
    return Feedback.objects.create(
        case=case,
        referral=first_referral(case),
        moment=moment,
        text=text,
        status=FeedbackStatus.SENT,
        sent_at=timezone.now(),
        sent_by=case.nurse,
    )


def test_the_referrer_reads_feedback_on_her_referral_page_and_it_is_marked_read(world, client, login, case):
    feedback = sent_feedback(case)
    Feedback.objects.create(case=case, referral=feedback.referral, moment=Moment.VISIT_HELD, text="Nog een concept")
    login(world.midwife)

    listing = client.get("/aanmeldingen/").content.decode()
    assert "1 new message" in listing

    page = client.get(f"/aanmeldingen/{feedback.referral_id}/").content.decode()
    assert "Het eerste contact is gelegd." in page
    assert "Nog een concept" not in page  # a draft is not hers to read
    feedback.refresh_from_db()
    assert feedback.read_at is not None
    read = AuditEntry.objects.filter(user=world.midwife, description__startswith="feedback read")
    assert read.count() == 1 and read.get().case_id == case.pk

    client.get(f"/aanmeldingen/{feedback.referral_id}/")
    assert read.count() == 1  # read once
    assert "new message" not in client.get("/aanmeldingen/").content.decode()


def test_a_referrer_without_consent_sees_no_feedback_section(world, client, login):
    case = referred_case(world, "in_contact", consent=False)
    login(world.midwife)
    html = client.get(f"/aanmeldingen/{first_referral(case).pk}/").content.decode()
    assert "Feedback from the JGZ" not in html


def test_the_case_nurse_opening_the_referrers_page_is_404(world, client, login, case):
    sent_feedback(case)
    login(world.nurse)
    assert client.get(f"/aanmeldingen/{first_referral(case).pk}/").status_code == 404
    assert Feedback.objects.get().read_at is None


# --- The handover ----------------------------------------------------------------------------


@pytest.fixture
def born(world):
    case = referred_case(world, "follow_up", birth_date=timezone.localdate())
    held_visit(case)
    return case


def test_handover_page_is_printable_and_audited_as_print(world, client, login, born):
    login(world.nurse)
    response = client.get(f"/terugkoppeling/traject/{born.pk}/overdracht/")
    assert response.status_code == 200
    html = response.content.decode()
    assert born.client.last_name in html
    assert "20 Geboortedatum" in html  # the BDS JGZ element of the baby's date of birth
    assert "data-print" in html
    assert AuditEntry.objects.filter(
        user=world.nurse, action=Action.PRINT, case_id=born.pk, outcome=Outcome.SUCCESS
    ).exists()


def test_handover_pdf_is_a_pdf_and_audited_as_export(world, client, login, born):
    login(world.planner)
    response = client.get(f"/terugkoppeling/traject/{born.pk}/overdracht.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert born.client.last_name not in response["Content-Disposition"]
    assert AuditEntry.objects.filter(user=world.planner, action=Action.EXPORT, case_id=born.pk).exists()


def test_there_is_no_handover_before_the_birth_and_nothing_is_logged_as_printed(world, client, login, case):
    login(world.nurse)
    assert client.get(f"/terugkoppeling/traject/{case.pk}/overdracht/").status_code == 404
    assert client.get(f"/terugkoppeling/traject/{case.pk}/overdracht.pdf").status_code == 404
    assert not AuditEntry.objects.filter(action__in=[Action.PRINT, Action.EXPORT]).exists()


def test_a_team_nurse_who_may_read_the_case_may_not_change_its_draft_and_is_told_so(world, client, login, case):
    world.jgz.nurses_see_team_cases = True
    world.jgz.save(update_fields=["nurses_see_team_cases"])
    login(world.nurse)
    post_draft(client, case)
    feedback = Feedback.objects.get()
    client.logout()  # clears the cookies, the language choice too
    client.cookies["django_language"] = "en"
    login(world.nurse2)

    response = client.post(
        edit_url(feedback), {"version": 1, "text": "Tekst van een collega", "send": "1"}, follow=True
    )

    html = response.content.decode()
    assert "You may not change or send this feedback." in html
    assert "already been sent" not in html
    assert Feedback.objects.get().status == FeedbackStatus.DRAFT
    assert Feedback.objects.get().text != "Tekst van een collega"
