"""Visits: planned, held, moved, cancelled; bad input; guarded edits; the steps a held visit implies."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kansrijk.audit.models import Action
from kansrijk.care.models import Visit, VisitStatus
from kansrijk.care.services import (
    visit_cancel,
    visit_correct_held,
    visit_mark_held,
    visit_plan,
    visit_record_held,
    visit_reschedule,
)
from kansrijk.cases.models import Case, CaseEvent
from kansrijk.cases.services import ConcurrentEdit

from .conftest import as_user, audit_rows, held, make_case


def plan(case, user, **overrides):
    values = {"scheduled_at": timezone.now() + timedelta(days=2), "form": "home", "location": ""}
    values.update(overrides)
    return visit_plan(request=as_user(user), case=case, **values)


def test_planning_a_visit_puts_it_with_the_cases_nurse_and_audits(world, assigned):
    visit = plan(assigned, world.planner, form="video")

    assert (visit.status, visit.nurse, visit.form) == (VisitStatus.PLANNED, world.nurse, "video")
    assert audit_rows(assigned, Action.CREATE, description__startswith="visit planned").count() == 1
    assert Case.objects.get(pk=assigned.pk).status == "assigned"


def test_a_visit_in_the_past_can_only_be_recorded_as_held(world, assigned):
    with pytest.raises(ValidationError, match="record it as a visit held"):
        plan(assigned, world.nurse, scheduled_at=timezone.now() - timedelta(hours=1))
    assert not Visit.objects.exists()

    visit_record_held(request=as_user(world.nurse), case=assigned, held=held())
    assert Visit.objects.get().status == VisitStatus.HELD


def test_a_visit_more_than_a_year_ahead_is_refused(world, assigned):
    with pytest.raises(ValidationError, match="year"):
        plan(assigned, world.nurse, scheduled_at=timezone.now() + timedelta(days=400))


def test_a_held_visit_on_an_assigned_case_records_contact_then_visit(world, assigned):
    visit_record_held(request=as_user(world.nurse), case=assigned, held=held())

    case = Case.objects.get(pk=assigned.pk)
    assert case.status == "visited"
    assert case.first_contact_at is not None and case.first_visit_at is not None
    steps = list(CaseEvent.objects.filter(case=case).order_by("pk").values_list("transition", flat=True))
    assert steps == ["contact", "visit"]


def test_a_held_visit_on_an_in_contact_case_records_the_visit(world):
    case = make_case(world, "in_contact")
    visit_record_held(request=as_user(world.nurse), case=case, held=held())

    assert Case.objects.get(pk=case.pk).status == "visited"


def test_a_planner_recording_a_held_visit_makes_only_the_steps_her_role_may_make(world, assigned):
    """The "visit" step is the nurse's (cases/workflow.py); the planner's record still counts as contact."""
    visit_record_held(request=as_user(world.planner), case=assigned, held=held())

    assert Case.objects.get(pk=assigned.pk).status == "in_contact"


def test_a_held_visit_in_a_later_status_makes_no_step(world):
    case = make_case(world, "follow_up")
    visit_record_held(request=as_user(world.nurse), case=case, held=held())

    assert Case.objects.get(pk=case.pk).status == "follow_up"
    assert not CaseEvent.objects.filter(case=case).exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"duration_minutes": 0}, "between 1 and 480"),
        ({"duration_minutes": -30}, "between 1 and 480"),
        ({"duration_minutes": 481}, "between 1 and 480"),
        ({"duration_minutes": None}, "between 1 and 480"),
        ({"scheduled_at": "future"}, "future"),
        ({"scheduled_at": "before_referral"}, "earlier than the referral"),
        ({"form": "carrier-pigeon"}, "form of the visit"),
    ],
)
def test_bad_input_for_a_held_visit_is_refused(world, overrides, message):
    case = make_case(world, "in_contact", received_at=timezone.now() - timedelta(days=5))
    if overrides.get("scheduled_at") == "future":
        overrides["scheduled_at"] = timezone.now() + timedelta(hours=2)
    elif overrides.get("scheduled_at") == "before_referral":
        overrides["scheduled_at"] = timezone.now() - timedelta(days=6)

    with pytest.raises(ValidationError, match=message):
        visit_record_held(request=as_user(world.nurse), case=case, held=held(**overrides))
    assert not Visit.objects.exists()
    assert Case.objects.get(pk=case.pk).status == "in_contact"


def test_the_limits_of_a_plausible_duration_are_allowed(world, assigned):
    for minutes in (1, 480):
        visit_record_held(request=as_user(world.nurse), case=assigned, held=held(duration_minutes=minutes))
    assert Visit.objects.count() == 2


def test_a_planned_visit_is_recorded_as_held(world):
    case = make_case(world, "in_contact")
    visit = plan(case, world.nurse)
    Visit.objects.filter(pk=visit.pk).update(scheduled_at=timezone.now() - timedelta(hours=2))  # the day came

    visit_mark_held(request=as_user(world.nurse), visit=visit, held=held(duration_minutes=45), expected_version=1)

    visit.refresh_from_db()
    assert (visit.status, visit.duration_minutes, visit.version) == (VisitStatus.HELD, 45, 2)
    assert Case.objects.get(pk=case.pk).status == "visited"
    assert audit_rows(case, Action.UPDATE, description__contains="recorded as held").count() == 1


def test_a_planned_visit_cannot_be_marked_held_before_it_happened(world):
    case = make_case(world, "in_contact")
    visit = plan(case, world.nurse)

    with pytest.raises(ValidationError, match="future"):
        visit_mark_held(
            request=as_user(world.nurse),
            visit=visit,
            held=held(scheduled_at=visit.scheduled_at),
            expected_version=visit.version,
        )
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED


def test_two_people_recording_the_same_visit_the_second_is_refused(world):
    case = make_case(world, "in_contact")
    visit = plan(case, world.nurse)
    seen_by_planner = Visit.objects.get(pk=visit.pk)
    visit_reschedule(
        request=as_user(world.nurse),
        visit=visit,
        scheduled_at=timezone.now() + timedelta(days=3),
        form="video",
        location="",
        expected_version=1,
    )

    with pytest.raises(ConcurrentEdit):
        visit_cancel(request=as_user(world.planner), visit=seen_by_planner, expected_version=1, note="Ziek.")

    visit.refresh_from_db()
    assert (visit.status, visit.form, visit.version) == (VisitStatus.PLANNED, "video", 2)
    assert audit_rows(case, Action.UPDATE, description__contains="cancelled").count() == 0


def test_moving_a_planned_visit_into_the_past_is_refused(world, assigned):
    visit = plan(assigned, world.nurse)

    with pytest.raises(ValidationError):
        visit_reschedule(
            request=as_user(world.nurse),
            visit=visit,
            scheduled_at=timezone.now() - timedelta(days=1),
            form="home",
            location="",
            expected_version=1,
        )


def test_a_cancelled_visit_stays_on_the_case_with_its_reason(world, assigned):
    visit = plan(assigned, world.nurse)

    visit_cancel(request=as_user(world.nurse), visit=visit, note="Ze vroeg om een andere dag.", expected_version=1)

    visit.refresh_from_db()
    assert (visit.status, visit.cancellation_note) == (VisitStatus.CANCELLED, "Ze vroeg om een andere dag.")
    with pytest.raises(ValidationError):
        visit_mark_held(request=as_user(world.nurse), visit=visit, held=held(), expected_version=visit.version)
    with pytest.raises(ValidationError):
        visit_cancel(request=as_user(world.nurse), visit=visit, expected_version=visit.version)


def test_a_held_visit_record_can_be_corrected_under_the_version_guard(world, assigned):
    visit = visit_record_held(request=as_user(world.nurse), case=assigned, held=held())

    visit_correct_held(request=as_user(world.nurse), visit=visit, held=held(notes="Aangevuld."), expected_version=1)
    visit.refresh_from_db()
    assert (visit.notes, visit.version) == ("Aangevuld.", 2)

    with pytest.raises(ConcurrentEdit):
        visit_correct_held(request=as_user(world.planner), visit=visit, held=held(notes="Oud."), expected_version=1)
    with pytest.raises(ValidationError):
        visit_correct_held(
            request=as_user(world.nurse), visit=visit, held=held(duration_minutes=900), expected_version=2
        )
    visit.refresh_from_db()
    assert visit.notes == "Aangevuld."


def test_a_double_submit_plans_one_visit(world, assigned):
    key = uuid.uuid4()
    plan(assigned, world.nurse, submission_key=key)
    plan(assigned, world.nurse, submission_key=key)

    assert Visit.objects.count() == 1


@pytest.mark.parametrize("persona", ["nurse2", "other_nurse", "other_planner", "admin", "provider", "officer"])
def test_only_the_cases_nurse_or_a_planner_plans_visits(world, assigned, persona):
    with pytest.raises(PermissionDenied):
        plan(assigned, getattr(world, persona))
    with pytest.raises(PermissionDenied):
        visit_record_held(request=as_user(getattr(world, persona)), case=assigned, held=held())
    assert not Visit.objects.exists()


def test_visits_of_a_closed_case_cannot_be_changed(world, assigned):
    visit = plan(assigned, world.nurse)
    Case.objects.filter(pk=assigned.pk).update(status="closed", close_reason="moved")
    visit.case.refresh_from_db()

    with pytest.raises(PermissionDenied):
        visit_cancel(request=as_user(world.nurse), visit=visit, expected_version=1)
