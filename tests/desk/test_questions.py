"""The vraagbaak: the public question form and the staff queue that answers it.

Public: one question per submit (routed by municipality), a receipt e-mail only for an answer by
e-mail and with nothing but the reference and the time; every validation; double submit, honeypot,
rate limit and size limit. Staff: who sees which question, answering by e-mail or phone, setting
aside, two people at once, the time to answer and its median, the audit rows and the query count.
"""

import re
import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from kansrijk.audit.models import Action, AuditEntry, Outcome
from kansrijk.desk import selectors_questions as selectors
from kansrijk.desk.demo_questions import QUESTIONS as DEMO_QUESTIONS
from kansrijk.desk.demo_questions import load as load_demo_questions
from kansrijk.desk.models import AnswerChannel, AskerKind, Page, PageText, Question, QuestionStatus
from kansrijk.desk.public import HONEYPOT_MESSAGE, RATE_LIMIT_MESSAGE
from kansrijk.desk.views_questions import done_token

from ..conftest import World


@pytest.fixture(autouse=True)
def _staff_read_english(client):
    """The assertions read the English source strings: staff pages in English (the switch's other language)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


ASK = reverse("desk:ask")
QUEUE = reverse("desk:question_queue")


def detail_url(question) -> str:
    return reverse("desk:question_detail", args=[question.pk])


@pytest.fixture
def visitor():
    """An anonymous visitor reading the desk in a language (English: the msgids)."""

    def _visitor(language: str = "en") -> Client:
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return _visitor


def ask_data(world: World | None = None, **overrides) -> dict:
    data = {
        "submission_key": str(uuid.uuid4()),
        "asker_kind": AskerKind.RESIDENT,
        "name": "Noor Bakker",
        "channel": AnswerChannel.EMAIL,
        "email": "noor@example.org",
        "phone": "",
        "text": "Kan mijn moeder bij het huisbezoek zijn?\nZij spreekt alleen Turks.",
        "municipality": str(world.maastricht.pk) if world else "",
        "website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


_counter = iter(range(1, 100000))


def make_question(world: World, *, municipality="maastricht", channel=AnswerChannel.EMAIL, **fields) -> Question:
    """A question as the form would store it, routed by `municipality` (a World attribute name or None)."""
    place = getattr(world, municipality) if municipality else None
    organisation = {"maastricht": world.jgz, "heerlen": world.jgz, "sittard": world.other_jgz}.get(municipality)
    n = next(_counter)
    values = {
        "reference": f"VR-T{n:03d}-TEST"[:20],
        "asker_kind": AskerKind.RESIDENT,
        "name": f"Vrager {n}",
        "channel": channel,
        "email": f"vrager{n}@example.org" if channel == AnswerChannel.EMAIL else "",
        "phone": "06 12345678" if channel == AnswerChannel.PHONE else "",
        "text": f"Vraag nummer {n}: hoe werkt het huisbezoek?\nEn wanneer komt u?",
        "municipality": place,
        "organisation": organisation,
        "region": place.region if place else None,
        "language": "nl",
    }
    values.update(fields)
    return Question.objects.create(**values)


def set_times(question, *, asked: datetime, answered: datetime | None = None, status=None) -> Question:
    changes = {"created_at": asked}
    if answered is not None:
        changes.update(answered_at=answered, status=status or QuestionStatus.ANSWERED, answer="Antwoord.")
    Question.objects.filter(pk=question.pk).update(**changes)
    question.refresh_from_db()
    return question


# --- The public form ---------------------------------------------------------------------------


def test_the_form_shows_every_field_the_choices_and_the_e_mail_note(world, visitor):
    response = visitor("en").get(ASK)
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-single-submit" in html
    assert re.search(r'name="submission_key" value="[0-9a-f-]{36}"', html)
    assert 'name="website"' in html
    for name in ("asker_kind", "name", "channel", "email", "phone", "text", "municipality"):
        assert f'name="{name}"' in html
    assert 'autocomplete="email"' in html and 'autocomplete="tel"' in html and 'inputmode="tel"' in html
    assert "please do not write anything about your health" in html
    assert 'aria-describedby="id_channel_helptext"' in html
    assert "At most 2000 characters." in html
    # Every municipality, by name, after the choice not to say.
    options = re.findall(r'<option value="(\d*)"[^>]*>([^<]+)</option>', html.split('name="municipality"')[1])
    assert options[0][0] == "" and "rather not say / not listed" in options[0][1]
    assert [label for _v, label in options[1:]] == ["Beek", "Heerlen", "Maastricht", "Sittard-Geleen"]


def test_the_intro_is_the_ask_page_in_her_language_or_dutch_marked_as_dutch(world, visitor):
    page = Page.objects.create(slug="ask")
    PageText.objects.create(page=page, language="nl", title="Stel je vraag", summary="Wij helpen je graag.")
    PageText.objects.create(page=page, language="en", title="Ask us", summary="We are glad to help.")
    assert "We are glad to help." in visitor("en").get(ASK).content.decode()
    html = visitor("ar").get(ASK).content.decode()
    assert 'dir="rtl"' in html
    assert re.search(r'<h1 lang="nl"[^>]*>Stel je vraag</h1>', html)
    assert re.search(r'<div class="desk-intro" lang="nl"', html)


def test_a_question_by_e_mail_is_stored_once_routed_audited_and_receipted(
    world, visitor, django_capture_on_commit_callbacks
):
    client = visitor("en")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ASK, ask_data(world))
    question = Question.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("desk:ask_done", args=[done_token(question.reference)])
    assert question.reference.startswith("VR-")
    assert question.organisation == world.jgz and question.region == world.region
    assert question.municipality == world.maastricht
    assert question.language == "en" and question.status == QuestionStatus.OPEN
    assert question.text == "Kan mijn moeder bij het huisbezoek zijn?\nZij spreekt alleen Turks."
    assert question.phone == ""
    row = AuditEntry.objects.get(action=Action.CREATE)
    assert row.user is None and row.user_label == "anonymous"
    assert row.description == f"desk question {question.reference} asked"
    # The receipt: her reference and when the answer comes; not her name, question or anything else.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["noor@example.org"]
    assert question.reference in message.subject and question.reference in message.body
    assert f"within {settings.KANSRIJK_QUESTION_ANSWER_DAYS} working days" in message.body
    for private in ("Noor", "moeder", "Turks", "Maastricht", "huisbezoek"):
        assert private not in message.body and private not in message.subject


def test_the_receipt_is_in_the_language_she_asked_in(world, visitor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        visitor("nl").post(ASK, ask_data(world, email="nl@example.org"))
        visitor("en").post(ASK, ask_data(world, email="en@example.org"))
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert bodies["nl@example.org"].startswith("Hallo,")
    assert bodies["en@example.org"].startswith("Hello,")


def test_the_confirmation_shows_the_reference_and_when_but_no_personal_data(world, visitor):
    client = visitor("en")
    response = client.post(ASK, ask_data(world), follow=True)
    question = Question.objects.get()
    html = response.content.decode()
    assert response.status_code == 200
    assert question.reference in html
    assert "within 3 working days. You get the answer by e-mail." in html
    for private in ("Noor", "noor@example.org", "moeder"):
        assert private not in html
    assert reverse("desk:home") in html and reverse("desk:ask") in html


def test_a_question_by_phone_sends_no_mail_and_the_confirmation_says_we_call(
    world, visitor, django_capture_on_commit_callbacks
):
    client = visitor("en")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            ASK, ask_data(world, channel=AnswerChannel.PHONE, email="noor@example.org", phone="+31 6-1234 5678")
        )
    question = Question.objects.get()
    assert question.phone == "+31 6-1234 5678" and question.email == ""  # only the address the answer needs
    assert mail.outbox == []
    html = client.get(response["Location"]).content.decode()
    assert "calls you within 3 working days" in html


def test_without_a_municipality_the_question_is_not_routed_and_keeps_her_language(world, visitor):
    visitor("ar").post(ASK, ask_data(None, municipality=""))
    question = Question.objects.get()
    assert question.municipality is None and question.organisation is None and question.region is None
    assert question.language == "ar"


def test_a_municipality_no_jgz_serves_goes_to_the_region(world, visitor):
    visitor().post(ASK, ask_data(world, municipality=str(world.beek.pk)))
    question = Question.objects.get()
    assert question.organisation is None and question.region == world.region


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"asker_kind": ""}, "asker_kind", "Choose who you are."),
        ({"asker_kind": "robot"}, "asker_kind", "Select a valid choice."),
        ({"name": "   "}, "name", "Fill in your name."),
        ({"name": "x" * 151}, "name", "at most 150 characters"),
        ({"channel": ""}, "channel", "Choose how you want the answer."),
        ({"channel": "email", "email": ""}, "email", "Fill in your e-mail address."),
        ({"channel": "email", "email": "noor@"}, "email", "Fill in an e-mail address like name@example.nl."),
        ({"channel": "phone", "phone": ""}, "phone", "Fill in your phone number."),
        ({"channel": "phone", "phone": "06-1234abcd"}, "phone", "10 to 15 numbers"),
        ({"channel": "phone", "phone": "06 1234 567"}, "phone", "10 to 15 numbers"),
        ({"channel": "phone", "phone": "+31 6 1234 5678 90123"}, "phone", "10 to 15 numbers"),
        ({"channel": "phone", "phone": "(06) 12345678"}, "phone", "10 to 15 numbers"),
        ({"text": ""}, "text", "Write your question."),
        ({"text": " \n\n "}, "text", "Write your question."),
        ({"text": "a" * 2001}, "text", "at most 2000 characters"),
        ({"municipality": "999999"}, "municipality", "Select a valid choice."),
    ],
)
def test_bad_input_gets_a_clear_message_keeps_what_she_typed_and_stores_nothing(
    world, visitor, overrides, field, message
):
    data = ask_data(world, **overrides)
    response = visitor("en").post(ASK, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert Question.objects.count() == 0
    assert message in html
    # The summary on top links to the field in error.
    summary = html.split('class="notice notice--error error-summary"')[1].split("</div>")[0]
    assert f'href="#id_{field}' in summary
    assert 'aria-invalid="true"' in html
    # Nothing lost: the other fields come back filled in, with the same submission key.
    if field != "name":
        assert 'value="Noor Bakker"' in html
    if field != "text":
        assert "Zij spreekt alleen Turks." in html
    assert f'value="{data["submission_key"]}"' in html


def test_a_question_of_exactly_2000_characters_with_line_breaks_is_accepted(world, visitor):
    text = ("a" * 99 + "\r\n") * 20  # 20 lines: 2000 characters once a line break counts as one
    visitor().post(ASK, ask_data(world, text=text.rstrip("\r\n") + "b"))
    question = Question.objects.get()
    assert "\r" not in question.text and len(question.text) <= 2000


def test_sending_the_form_twice_stores_one_question(world, visitor, django_capture_on_commit_callbacks):
    client = visitor()
    data = ask_data(world)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(ASK, data)
        second = client.post(ASK, data)
    assert Question.objects.count() == 1
    assert first["Location"] == second["Location"]
    assert len(mail.outbox) == 1
    assert AuditEntry.objects.filter(action=Action.CREATE).count() == 1


def test_a_reference_already_taken_is_drawn_again(world, visitor, monkeypatch):
    make_question(world, reference="VR-AAAA-AAAA")
    drawn = iter(["VR-AAAA-AAAA", "VR-CCCC-CCCC"])
    monkeypatch.setattr("kansrijk.desk.services_questions.new_reference", lambda prefix: next(drawn))
    assert visitor().post(ASK, ask_data(world)).status_code == 302
    assert Question.objects.filter(reference="VR-CCCC-CCCC", name="Noor Bakker").exists()


def test_the_honeypot_refuses_the_form_and_stores_nothing(world, visitor):
    response = visitor("en").post(ASK, ask_data(world, website="http://spam.example"))
    assert response.status_code == 200
    assert Question.objects.count() == 0
    assert str(HONEYPOT_MESSAGE) in response.content.decode()


def test_too_many_forms_from_one_address_get_429_with_the_form_filled_in(world, visitor, settings):
    settings.KANSRIJK_PUBLIC_FORM_RATE = "2/h"
    client = visitor("en")
    for _ in range(2):
        assert client.post(ASK, ask_data(world)).status_code == 302
    response = client.post(ASK, ask_data(world, name="Derde Vrager"))
    html = response.content.decode()
    assert response.status_code == 429
    assert Question.objects.count() == 2
    assert str(RATE_LIMIT_MESSAGE) in html
    assert 'value="Derde Vrager"' in html and "Zij spreekt alleen Turks." in html


def test_a_body_over_the_limit_gets_413_and_stores_nothing(world, visitor, settings):
    settings.KANSRIJK_PUBLIC_MAX_BODY = 4096
    response = visitor().post(ASK, ask_data(world, text="x" * 5000))
    assert response.status_code == 413
    assert Question.objects.count() == 0


def test_a_bad_or_unknown_token_is_404(world, visitor):
    client = visitor()
    assert client.get(reverse("desk:ask_done", args=["nonsense"])).status_code == 404
    assert client.get(reverse("desk:ask_done", args=[done_token("VR-XXXX-XXXX")])).status_code == 404
    question = make_question(world)
    tampered = done_token(question.reference)[:-2] + "xx"
    assert client.get(reverse("desk:ask_done", args=[tampered])).status_code == 404
    assert client.get(reverse("desk:ask_done", args=[done_token(question.reference)])).status_code == 200


# --- Who sees which question -------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["planner", "nurse"])
def test_jgz_staff_see_a_question_from_their_municipality(world, login, persona):
    question = make_question(world, municipality="maastricht")
    client = login(getattr(world, persona))
    queue = client.get(QUEUE)
    assert queue.status_code == 200 and question.reference in queue.content.decode()
    response = client.get(detail_url(question))
    assert response.status_code == 200
    assert question.text.split("\n")[0] in response.content.decode()
    assert AuditEntry.objects.filter(
        action=Action.READ, description=f"desk question {question.reference}", user=getattr(world, persona)
    ).exists()


def test_another_jgz_gets_404_and_the_refusal_is_logged(world, login):
    question = make_question(world, municipality="maastricht")
    client = login(world.other_planner)
    assert question.reference not in client.get(QUEUE).content.decode()
    assert client.get(detail_url(question)).status_code == 404
    assert (
        client.post(detail_url(question), {"action": "answer", "answer-answer": "x", "answer-version": "1"}).status_code
        == 404
    )
    denied = AuditEntry.objects.filter(user=world.other_planner, outcome=Outcome.DENIED)
    assert denied.filter(action=Action.READ).exists() and denied.filter(action=Action.UPDATE).exists()
    question.refresh_from_db()
    assert question.status == QuestionStatus.OPEN


def test_the_administrator_sees_unrouted_questions_of_her_region_and_the_jgz_does_not(world, login):
    beek = make_question(world, municipality="beek")
    nowhere = make_question(world, municipality=None)
    maastricht = make_question(world, municipality="maastricht")
    admin = login(world.admin, Client())
    html = admin.get(QUEUE).content.decode()
    assert beek.reference in html and nowhere.reference in html and maastricht.reference not in html
    assert admin.get(detail_url(beek)).status_code == 200
    planner = login(world.planner, Client())
    assert planner.get(detail_url(beek)).status_code == 404
    assert planner.get(detail_url(nowhere)).status_code == 200  # no municipality: every answerer


@pytest.mark.parametrize("persona", ["officer", "midwife", "provider", "privacy", "nobody"])
def test_other_roles_get_404_on_the_queue_and_the_questions(world, login, persona):
    question = make_question(world, municipality="maastricht")
    client = login(getattr(world, persona))
    assert client.get(QUEUE).status_code == 404
    assert client.get(detail_url(question)).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login(world, client):
    question = make_question(world)
    for url in (QUEUE, detail_url(question)):
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]


# --- Answering ---------------------------------------------------------------------------------


def test_an_answer_by_e_mail_sends_one_mail_with_the_answer_and_her_question(
    world, login, django_capture_on_commit_callbacks
):
    question = make_question(world, language="en")
    client = login(world.nurse)
    page = client.get(detail_url(question)).content.decode()
    assert f"This answer goes by e-mail to <strong>{question.email}</strong>" in page
    assert 'name="answer-version" value="1"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            detail_url(question),
            {"action": "answer", "answer-version": "1", "answer-answer": "Ja, dat kan.\nTot ziens."},
        )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == QuestionStatus.ANSWERED and question.answer == "Ja, dat kan.\nTot ziens."
    assert question.answered_by == world.nurse and question.answered_at is not None and question.version == 2
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [question.email]
    assert "Ja, dat kan.\nTot ziens." in message.body
    assert "> Vraag nummer" in message.body and "> En wanneer komt u?" in message.body
    assert question.reference in message.body and question.reference in message.subject
    assert message.body.startswith("Hello,")  # her language (English), not the nurse's (Dutch)
    assert AuditEntry.objects.filter(
        action=Action.UPDATE, description=f"desk question {question.reference} answered by e-mail", user=world.nurse
    ).exists()
    # Read-only from now on, with the answer and the time to answer.
    html = client.get(detail_url(question)).content.decode()
    assert 'name="answer-answer"' not in html and 'name="aside-reason"' not in html
    assert "Ja, dat kan." in html


def test_an_answer_by_phone_is_stored_and_sends_nothing(world, login, django_capture_on_commit_callbacks):
    question = make_question(world, channel=AnswerChannel.PHONE)
    client = login(world.planner)
    page = client.get(detail_url(question)).content.decode()
    assert 'href="tel:0612345678"' in page and "then note what you answered" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            detail_url(question), {"action": "answer", "answer-version": "1", "answer-answer": "Gebeld, uitgelegd."}
        )
    question.refresh_from_db()
    assert question.status == QuestionStatus.ANSWERED and question.answer == "Gebeld, uitgelegd."
    assert mail.outbox == []
    assert AuditEntry.objects.filter(description=f"desk question {question.reference} answered by phone").exists()


def test_an_empty_answer_is_refused(world, login):
    question = make_question(world)
    response = login(world.planner).post(
        detail_url(question), {"action": "answer", "answer-version": "1", "answer-answer": "  "}
    )
    assert response.status_code == 200 and "Write the answer." in response.content.decode()
    question.refresh_from_db()
    assert question.status == QuestionStatus.OPEN


def test_setting_aside_needs_a_reason_and_sends_nothing(world, login, django_capture_on_commit_callbacks):
    question = make_question(world)
    client = login(world.planner)
    response = client.post(detail_url(question), {"action": "set_aside", "aside-version": "1", "aside-reason": ""})
    assert "Give a short reason." in response.content.decode()
    question.refresh_from_db()
    assert question.status == QuestionStatus.OPEN
    with django_capture_on_commit_callbacks(execute=True):
        client.post(detail_url(question), {"action": "set_aside", "aside-version": "1", "aside-reason": "Reclame."})
    question.refresh_from_db()
    assert question.status == QuestionStatus.SET_ASIDE and question.answer == "Reclame."
    assert question.answered_by == world.planner
    assert mail.outbox == []
    assert AuditEntry.objects.filter(
        action=Action.UPDATE, description=f"desk question {question.reference} set aside"
    ).exists()
    html = client.get(QUEUE + "?status=set_aside").content.decode()
    assert question.reference in html and "Reclame." in html


def test_the_second_of_two_answers_is_refused_and_her_text_kept(world, login, django_capture_on_commit_callbacks):
    question = make_question(world)
    planner = login(world.planner, Client())
    nurse = login(world.nurse, Client())
    planner.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # a staff page: read in English, the source strings
    assert 'name="answer-version" value="1"' in planner.get(detail_url(question)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        nurse.post(detail_url(question), {"action": "answer", "answer-version": "1", "answer-answer": "Eerste."})
        response = planner.post(
            detail_url(question), {"action": "answer", "answer-version": "1", "answer-answer": "Mijn tweede tekst."}
        )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nurse answered this question at" in html and "Nothing was saved or sent." in html
    assert "Mijn tweede tekst." in html  # her typed text, to copy
    assert "Eerste." in html  # what was sent
    question.refresh_from_db()
    assert question.answer == "Eerste." and question.answered_by == world.nurse
    assert len(mail.outbox) == 1


def test_an_answered_question_cannot_be_answered_or_set_aside_again(world, login, django_capture_on_commit_callbacks):
    question = make_question(world)
    client = login(world.planner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(detail_url(question), {"action": "answer", "answer-version": "1", "answer-answer": "Eerste."})
        again = client.post(
            detail_url(question), {"action": "answer", "answer-version": "2", "answer-answer": "Nog eens."}
        )
        aside = client.post(detail_url(question), {"action": "set_aside", "aside-version": "2", "aside-reason": "Weg."})
    assert "answered this question at" in again.content.decode()
    assert "answered this question at" in aside.content.decode()
    question.refresh_from_db()
    assert question.answer == "Eerste." and question.status == QuestionStatus.ANSWERED
    assert len(mail.outbox) == 1


# --- Times -------------------------------------------------------------------------------------

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def test_waiting_and_time_to_answer_in_plain_words(world, login):
    with time_machine.travel(T0 + timedelta(days=2, hours=5), tick=False):
        waiting = set_times(make_question(world), asked=T0)
        answered = set_times(make_question(world), asked=T0, answered=T0 + timedelta(hours=5, minutes=10))
        assert answered.time_to_answer == timedelta(hours=5, minutes=10)
        client = login(world.planner)
        open_html = client.get(QUEUE).content.decode()
        assert re.search(rf"{waiting.reference}.*?>2 days</time>", open_html, re.S)
        assert "The oldest has been waiting 2 days." in open_html
        answered_html = client.get(QUEUE + "?status=answered").content.decode()
        assert re.search(rf"{answered.reference}.*?5 hours", answered_html, re.S)
        assert "5 hours" in client.get(detail_url(answered)).content.decode()
    assert selectors.duration_text(timedelta(minutes=20)) == "20 minutes"
    assert selectors.duration_text(timedelta(hours=1)) == "1 hour"
    assert selectors.duration_text(timedelta(days=1, hours=23)) == "1 day"


def test_the_median_time_to_answer_counts_her_answered_questions_of_the_last_90_days(world, login):
    now = T0 + timedelta(days=100)
    with time_machine.travel(now, tick=False):
        for hours in (1, 3, 10):
            asked = now - timedelta(days=5)
            set_times(make_question(world), asked=asked, answered=asked + timedelta(hours=hours))
        # Not counted: older than 90 days, set aside, still open, or another JGZ's question.
        set_times(make_question(world), asked=T0, answered=T0 + timedelta(hours=5))
        set_times(
            make_question(world),
            asked=now - timedelta(days=3),
            answered=now - timedelta(days=3) + timedelta(minutes=1),
            status=QuestionStatus.SET_ASIDE,
        )
        set_times(make_question(world), asked=now - timedelta(days=50))
        set_times(
            make_question(world, municipality="sittard"),
            asked=now - timedelta(days=5),
            answered=now - timedelta(days=5) + timedelta(minutes=2),
        )
        assert selectors.median_time_to_answer(world.planner) == (timedelta(hours=3), 3)
        # An even number: the middle two averaged.
        asked = now - timedelta(days=1)
        set_times(make_question(world), asked=asked, answered=asked + timedelta(hours=20))
        assert selectors.median_time_to_answer(world.planner) == (timedelta(hours=6, minutes=30), 4)
        assert selectors.median_time_to_answer(world.other_planner) == (timedelta(minutes=2), 1)
        html = login(world.planner).get(QUEUE).content.decode()
        assert "Median time to answer in the last 90 days: 6 hours (4 questions)." in html
        assert "1 open question." in html


def test_no_answers_yet_says_so(world, login):
    html = login(world.planner).get(QUEUE).content.decode()
    assert "No questions answered in the last 90 days." in html
    assert "No open questions." in html


# --- The queue: order, audit, query count, pages -----------------------------------------------


def test_open_questions_oldest_first_answered_newest_answer_first(world, login):
    with time_machine.travel(T0 + timedelta(days=10), tick=False):
        new = set_times(make_question(world), asked=T0 + timedelta(days=9))
        old = set_times(make_question(world), asked=T0 + timedelta(days=1))
        early = set_times(make_question(world), asked=T0, answered=T0 + timedelta(days=1))
        late = set_times(make_question(world), asked=T0 + timedelta(days=2), answered=T0 + timedelta(days=3))
        client = login(world.planner)
        html = client.get(QUEUE).content.decode()
        assert html.index(old.reference) < html.index(new.reference)
        assert early.reference not in html
        answered = client.get(QUEUE + "?status=answered").content.decode()
        assert answered.index(late.reference) < answered.index(early.reference)
        assert new.reference not in answered


def test_each_question_shown_is_written_to_the_audit_log(world, login):
    shown = [make_question(world) for _ in range(3)]
    hidden = make_question(world, municipality="sittard")
    login(world.planner).get(QUEUE)
    rows = AuditEntry.objects.filter(action=Action.LIST, user=world.planner)
    assert rows.count() == 3
    descriptions = set(rows.values_list("description", flat=True))
    assert descriptions == {f"desk question {q.reference} in the questions queue (open)" for q in shown}
    assert all(r.organisation_id == world.jgz.pk and r.role == "planner" for r in rows)
    assert not any(hidden.reference in d for d in descriptions)


def test_the_queue_costs_the_same_queries_for_3_as_for_30_questions(world, login, django_assert_max_num_queries):
    client = login(world.planner)
    for _ in range(3):
        make_question(world)
    set_times(make_question(world), asked=T0, answered=T0 + timedelta(hours=2))
    client.get(QUEUE)  # warm up (session, content types)
    with django_assert_max_num_queries(15) as few:
        assert client.get(QUEUE).status_code == 200
    for _ in range(27):
        make_question(world)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(QUEUE)
    assert response.content.decode().count('">VR-') == 30


def test_the_queue_shows_50_per_page(world, login):
    for _ in range(52):
        make_question(world)
    client = login(world.planner)
    first = client.get(QUEUE).content.decode()
    assert first.count('">VR-') == 50 and "Page 1 of 2" in first
    second = client.get(QUEUE + "?status=open&page=2").content.decode()
    assert second.count('">VR-') == 2


# --- Demo --------------------------------------------------------------------------------------


def test_the_demo_questions_load_once_in_six_languages(world, django_capture_on_commit_callbacks):
    from kansrijk.demo.management.commands.load_demo import _DemoRequest

    context = SimpleNamespace(
        users={"planner": world.planner},
        municipalities={"Maastricht": world.maastricht, "Heerlen": world.heerlen},
        request_for=_DemoRequest,
    )
    with django_capture_on_commit_callbacks(execute=False):
        load_demo_questions(context)
        load_demo_questions(context)
    questions = Question.objects.all()
    assert questions.count() == len(DEMO_QUESTIONS)
    assert {q.language for q in questions} == {"nl", "en", "ar", "tr", "pl", "uk"}
    statuses = [q.status for q in questions]
    assert statuses.count(QuestionStatus.SET_ASIDE) == 1 and statuses.count(QuestionStatus.OPEN) >= 2
    assert all(q.organisation == world.jgz for q in questions if q.municipality)
    assert any(q.municipality is None for q in questions)
    answered = [q for q in questions if q.status == QuestionStatus.ANSWERED]
    assert all(q.answered_by == world.planner and q.time_to_answer > timedelta(hours=1) for q in answered)
    median, count = selectors.median_time_to_answer(world.planner)
    assert count >= 3 and timedelta(hours=1) < median < timedelta(days=2)
