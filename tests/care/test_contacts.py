"""Contact attempts: recording them, the first reached contact as the "contact" step, and bad input."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kansrijk.audit.models import Action
from kansrijk.care.models import ContactAttempt
from kansrijk.care.services import contact_attempt_record
from kansrijk.cases.models import Case, CaseEvent

from .conftest import as_user, audit_rows, make_case


def record(case, user, **overrides):
    values = {"at": timezone.now() - timedelta(minutes=10), "method": "phone", "reached": False, "note": ""}
    values.update(overrides)
    return contact_attempt_record(request=as_user(user), case=case, **values)


def test_a_failed_attempt_is_recorded_and_audited_and_the_case_stays_assigned(world, assigned):
    attempt = record(assigned, world.nurse, note="Voicemail ingesproken.")

    assert attempt.recorded_by == world.nurse
    assert attempt.note == "Voicemail ingesproken."
    assert Case.objects.get(pk=assigned.pk).status == "assigned"
    row = audit_rows(assigned, Action.CREATE).get()
    assert row.user == world.nurse
    assert row.client_id == assigned.client_id
    assert "contact attempt" in row.description


def test_the_first_reached_contact_moves_an_assigned_case_to_in_contact(world, assigned):
    record(assigned, world.nurse, reached=True)

    case = Case.objects.get(pk=assigned.pk)
    assert case.status == "in_contact"
    assert case.first_contact_at is not None
    event = CaseEvent.objects.get(case=case, transition="contact")
    assert event.actor == world.nurse
    assert audit_rows(case, Action.UPDATE, description__contains="in_contact").count() == 1


def test_a_planner_recording_the_reached_contact_moves_the_case_too(world, assigned):
    record(assigned, world.planner, reached=True)

    assert Case.objects.get(pk=assigned.pk).status == "in_contact"


def test_a_later_reached_contact_makes_no_second_step(world):
    case = make_case(world, "visited")
    record(case, world.nurse, reached=True)

    assert Case.objects.get(pk=case.pk).status == "visited"
    assert not CaseEvent.objects.filter(case=case).exists()


def test_a_double_submit_records_one_attempt(world, assigned):
    key = uuid.uuid4()
    first = record(assigned, world.nurse, submission_key=key, reached=True)
    second = record(assigned, world.nurse, submission_key=key, reached=True)

    assert first.pk == second.pk
    assert ContactAttempt.objects.filter(case=assigned).count() == 1
    assert audit_rows(assigned, Action.CREATE).count() == 1


def test_a_submission_key_of_another_case_is_refused_not_returned(world, assigned):
    other = make_case(world, "assigned")
    key = uuid.uuid4()
    record(other, world.nurse, submission_key=key)

    with pytest.raises(ValidationError):
        record(assigned, world.nurse, submission_key=key)
    assert not ContactAttempt.objects.filter(case=assigned).exists()


def test_an_attempt_in_the_future_is_refused(world, assigned):
    with pytest.raises(ValidationError, match="future"):
        record(assigned, world.nurse, at=timezone.now() + timedelta(hours=1))
    assert not ContactAttempt.objects.exists()


def test_an_attempt_a_minute_ahead_of_the_clock_is_still_now(world, assigned):
    record(assigned, world.nurse, at=timezone.now() + timedelta(minutes=1))

    assert ContactAttempt.objects.count() == 1


def test_an_attempt_before_the_referral_date_is_refused(world):
    case = make_case(world, "assigned", received_at=timezone.now() - timedelta(days=3))

    with pytest.raises(ValidationError, match="earlier than the referral"):
        record(case, world.nurse, at=timezone.now() - timedelta(days=4))
    record(case, world.nurse, at=timezone.now() - timedelta(days=3))
    assert ContactAttempt.objects.count() == 1


def test_an_unknown_method_is_refused(world, assigned):
    with pytest.raises(ValidationError):
        record(assigned, world.nurse, method="pigeon")


@pytest.mark.parametrize("persona", ["nurse2", "other_nurse", "other_planner", "midwife", "admin", "privacy"])
def test_only_the_cases_nurse_or_a_planner_records_attempts(world, assigned, persona):
    with pytest.raises(PermissionDenied):
        record(assigned, getattr(world, persona))
    assert not ContactAttempt.objects.exists()


def test_nothing_is_recorded_on_a_closed_case(world):
    case = make_case(world, "closed")

    with pytest.raises(PermissionDenied, match="closed"):
        record(case, world.nurse)
