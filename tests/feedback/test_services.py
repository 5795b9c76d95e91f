"""Drafting, sending and reading feedback; recording the birth."""

from datetime import datetime, timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import formats, timezone, translation

from kansrijk.audit.models import Action, AuditEntry
from kansrijk.care.models import Assessment, AssessmentDomain
from kansrijk.cases.models import Case
from kansrijk.cases.services import ConcurrentEdit
from kansrijk.feedback.models import Feedback, FeedbackStatus, Moment
from kansrijk.feedback.services import (
    AlreadySent,
    birth_record,
    feedback_draft,
    feedback_mark_read,
    feedback_save,
    feedback_send,
)
from kansrijk.referrals.models import Referral

from ..conftest import http_request
from .conftest import first_referral, referred_case


@pytest.fixture(autouse=True)
def english():
    """The messages are matched by their English msgids."""
    with translation.override("en"):
        yield


def draft_for(world, case, moment=Moment.FIRST_CONTACT, user=None):
    feedback, _created = feedback_draft(
        request=http_request(user or world.nurse), case=case, referral=first_referral(case), moment=moment
    )
    return feedback


# --- Drafting --------------------------------------------------------------------------


def test_the_draft_tells_the_stage_in_calm_words_without_the_client_or_the_assessment(world, case):
    assessment = Assessment.objects.create(
        case=case,
        number=1,
        created_by=world.nurse,
        family_questions="Hoe betalen wij de huur?",
        support_needed="intensive",
        conclusion="Schulden bij drie schuldeisers.",
    )
    AssessmentDomain.objects.create(
        assessment=assessment, domain=world.domains[0], risk_factors="Beslag op loon", protective_factors="Oma"
    )

    feedback = draft_for(world, case)

    text = feedback.text
    assert feedback.status == FeedbackStatus.DRAFT
    assert world.midwife.display_name in text  # addressed to the referrer
    assert world.nurse.display_name in text and world.jgz.name in text  # signed by the nurse
    assert formats.date_format(timezone.localtime(case.first_contact_at).date(), "j F Y") in text  # and the day
    for secret in [
        case.client.first_name,
        case.client.last_name,
        "huur",
        "Schulden",
        "Beslag",
        "Oma",
        world.domains[0].name_nl,
        "Zorgen over schulden",  # the referral's own reason
    ]:
        assert secret not in text, secret


@pytest.mark.parametrize(
    ("reason", "moment", "phrase"),
    [
        ("unreachable", Moment.DECLINED, "could not reach"),
        ("declined", Moment.DECLINED, "decided not to take up"),
        ("moved", Moment.CLOSED, "moved out of our area"),
        ("completed", Moment.CLOSED, "has been completed"),
        ("pregnancy_ended", Moment.CLOSED, "The case has been closed."),
    ],
)
def test_the_draft_for_the_ending_says_how_the_case_ended_in_general_terms(world, reason, moment, phrase):
    case = referred_case(world, "closed", close_reason=reason)
    feedback = draft_for(world, case, moment)
    assert phrase in feedback.text


def test_drafting_twice_gives_the_same_draft(world, case):
    first = draft_for(world, case)
    second, created = feedback_draft(
        request=http_request(world.nurse), case=case, referral=first_referral(case), moment=Moment.FIRST_CONTACT
    )
    assert (second.pk, created) == (first.pk, False)
    assert Feedback.objects.count() == 1
    assert AuditEntry.objects.filter(action=Action.CREATE, description__startswith="feedback draft").count() == 1


def test_without_consent_no_feedback_can_be_created(world):
    case = referred_case(world, "in_contact", consent=False)
    with pytest.raises(ValidationError, match="did not consent"):
        draft_for(world, case)
    assert not Feedback.objects.exists()


def test_a_moment_that_has_not_happened_cannot_be_drafted(world, case):
    with pytest.raises(ValidationError, match="not happened yet"):
        draft_for(world, case, Moment.VISIT_HELD)
    with pytest.raises(ValidationError, match="Unknown moment"):
        draft_for(world, case, "birthday")


def test_a_referral_of_another_case_is_refused(world, case):
    other = referred_case(world, "in_contact")
    with pytest.raises(ValidationError):
        feedback_draft(
            request=http_request(world.nurse), case=case, referral=first_referral(other), moment=Moment.FIRST_CONTACT
        )


@pytest.mark.parametrize("persona", ["nurse2", "other_nurse", "midwife", "admin"])
def test_only_the_case_nurse_or_a_planner_may_give_feedback(world, case, persona):
    with pytest.raises(PermissionDenied):
        draft_for(world, case, user=getattr(world, persona))


def test_the_planner_may_give_feedback_also_on_a_closed_case(world):
    case = referred_case(world, "closed", close_reason="moved")
    assert draft_for(world, case, Moment.CLOSED, user=world.planner).moment == Moment.CLOSED


# --- Sending ---------------------------------------------------------------------------


def send(world, feedback, text="Beste Sanne, het eerste contact is gelegd.", version=None, user=None):
    return feedback_send(
        request=http_request(user or world.nurse),
        feedback=feedback,
        text=text,
        expected_version=feedback.version if version is None else version,
    )


def test_sending_stores_the_edited_text_and_who_sent_it_when(world, case, django_capture_on_commit_callbacks):
    feedback = draft_for(world, case)
    at = datetime(2026, 5, 4, 9, 30, tzinfo=timezone.get_current_timezone())
    with time_machine.travel(at, tick=False), django_capture_on_commit_callbacks(execute=True):
        send(world, feedback, text="  Eigen tekst van de verpleegkundige.  ")

    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.SENT
    assert feedback.text == "Eigen tekst van de verpleegkundige."
    assert feedback.sent_by == world.nurse
    assert feedback.sent_at == at
    assert feedback.read_at is None
    entry = AuditEntry.objects.get(action=Action.UPDATE, description__contains="sent")
    assert (entry.user, entry.case_id, entry.client_id) == (world.nurse, case.pk, case.client_id)


def test_the_email_says_only_that_there_is_news_never_the_client_or_the_text(
    world, case, django_capture_on_commit_callbacks
):
    feedback = draft_for(world, case)
    text = "Het huisbezoek bij mevrouw was fijn; zij heeft vragen over geld."
    with django_capture_on_commit_callbacks(execute=True):
        send(world, feedback, text=text)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.midwife.email]
    whole = f"{message.subject}\n{message.body}"
    assert f"/aanmeldingen/{first_referral(case).pk}/" in message.body  # the link to read it
    for forbidden in [
        case.client.first_name,
        case.client.last_name,
        case.client.full_name,
        text,
        "huisbezoek",
        "geld",
        str(case.due_date.year),
        world.nurse.display_name,
        world.jgz.name,
    ]:
        assert forbidden not in whole, forbidden
    assert not message.alternatives and not message.attachments


def test_no_email_leaves_when_sending_fails(world, case, django_capture_on_commit_callbacks):
    feedback = draft_for(world, case)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        send(world, feedback, text="   ")
    assert mail.outbox == []
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.DRAFT


def test_a_double_submit_of_send_sends_once(world, case, django_capture_on_commit_callbacks):
    feedback = draft_for(world, case)
    version = feedback.version
    stale = Feedback.objects.get(pk=feedback.pk)
    with django_capture_on_commit_callbacks(execute=True):
        send(world, feedback, version=version)
        with pytest.raises(AlreadySent):
            send(world, stale, version=version)

    assert len(mail.outbox) == 1
    assert Feedback.objects.filter(status=FeedbackStatus.SENT).count() == 1


def test_two_people_editing_the_same_draft_the_second_save_is_refused(world, case):
    feedback = draft_for(world, case)
    nurse_copy = Feedback.objects.get(pk=feedback.pk)
    planner_copy = Feedback.objects.get(pk=feedback.pk)

    feedback_save(
        request=http_request(world.nurse), feedback=nurse_copy, text="Versie van de verpleegkundige", expected_version=1
    )
    with pytest.raises(ConcurrentEdit):
        feedback_save(
            request=http_request(world.planner), feedback=planner_copy, text="Versie van de planner", expected_version=1
        )
    with pytest.raises(ConcurrentEdit):
        send(world, planner_copy, text="Versie van de planner", version=1, user=world.planner)

    feedback.refresh_from_db()
    assert (feedback.text, feedback.version, feedback.status) == ("Versie van de verpleegkundige", 2, "draft")


def test_sent_feedback_can_no_longer_be_edited(world, case):
    feedback = draft_for(world, case)
    send(world, feedback)
    with pytest.raises(AlreadySent):
        feedback_save(request=http_request(world.nurse), feedback=feedback, text="Nog iets", expected_version=2)


def test_consent_is_checked_again_when_sending(world, case):
    feedback = draft_for(world, case)
    Referral.objects.filter(pk=feedback.referral_id).update(consent_feedback=False)
    feedback.referral.refresh_from_db()
    with pytest.raises(ValidationError, match="did not consent"):
        send(world, feedback)
    assert Feedback.objects.get().status == FeedbackStatus.DRAFT


# --- Reading -----------------------------------------------------------------------------


def test_the_referrer_reading_marks_it_read_once_with_an_audit_row(world, case):
    feedback = draft_for(world, case)
    send(world, feedback)
    referral = first_referral(case)
    request = http_request(world.midwife)

    assert feedback_mark_read(request=request, referral=referral, feedback=[Feedback.objects.get()]) == 1
    assert feedback_mark_read(request=request, referral=referral, feedback=[Feedback.objects.get()]) == 0

    feedback.refresh_from_db()
    assert feedback.read_at is not None
    entry = AuditEntry.objects.get(description__startswith="feedback read")
    assert (entry.user, entry.action, entry.role, entry.case_id) == (world.midwife, Action.READ, "referrer", case.pk)


def test_a_draft_is_never_marked_read(world, case):
    feedback = draft_for(world, case)
    assert (
        feedback_mark_read(request=http_request(world.midwife), referral=first_referral(case), feedback=[feedback]) == 0
    )
    feedback.refresh_from_db()
    assert feedback.read_at is None


# --- The birth -----------------------------------------------------------------------------

TODAY = datetime(2026, 6, 15, 10, 0)


@pytest.fixture
def born_case(world):
    with time_machine.travel(timezone.make_aware(TODAY - timedelta(weeks=12)), tick=False):
        return referred_case(world, "visited")


def record(world, case, day, user=None, version=None):
    with time_machine.travel(timezone.make_aware(TODAY), tick=False):
        return birth_record(
            request=http_request(user or world.nurse),
            case=case,
            birth_date=day,
            expected_version=case.version if version is None else version,
        )


def test_the_nurse_records_the_birth_with_an_audit_row(world, born_case):
    record(world, born_case, TODAY.date() - timedelta(days=2))

    born_case.refresh_from_db()
    assert born_case.birth_date == TODAY.date() - timedelta(days=2)
    entry = AuditEntry.objects.get(description="birth recorded")
    assert (entry.user, entry.action, entry.case_id) == (world.nurse, Action.UPDATE, born_case.pk)


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (TODAY.date() + timedelta(days=1), "in the future"),
        (TODAY.date() - timedelta(weeks=13), "before the referral"),
    ],
)
def test_a_birth_date_in_the_future_or_before_the_referral_is_refused(world, born_case, day, message):
    with pytest.raises(ValidationError, match=message):
        record(world, born_case, day)
    assert Case.objects.get(pk=born_case.pk).birth_date is None


@pytest.mark.parametrize("persona", ["planner", "nurse2", "other_nurse", "midwife"])
def test_only_the_case_nurse_records_the_birth(world, born_case, persona):
    with pytest.raises(PermissionDenied):
        record(world, born_case, TODAY.date(), user=getattr(world, persona))


def test_no_birth_is_recorded_on_a_closed_case(world):
    case = referred_case(world, "closed")
    with pytest.raises(PermissionDenied):
        record(world, case, TODAY.date())


def test_recording_the_birth_on_a_case_someone_just_changed_is_refused(world, born_case):
    stale_version = born_case.version
    Case.objects.filter(pk=born_case.pk).update(version=stale_version + 1)  # the planner reassigned it meanwhile
    with pytest.raises(ConcurrentEdit):
        record(world, born_case, TODAY.date(), version=stale_version)
    assert Case.objects.get(pk=born_case.pk).birth_date is None


def test_a_mail_server_failure_does_not_undo_the_sent_feedback(world, case, django_capture_on_commit_callbacks):
    feedback = draft_for(world, case)
    with (
        mock.patch("kansrijk.feedback.services.send_mail", side_effect=OSError("mail server down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        send(world, feedback)
    assert Feedback.objects.get().status == FeedbackStatus.SENT
