"""The case state machine: who may make which step from which status, what each step records."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import translation

from kansrijk.audit.models import Action, AuditEntry
from kansrijk.cases.models import Case, CaseEvent, CloseReason, EventKind, Status
from kansrijk.cases.services import ConcurrentEdit, case_reassign, case_transition
from kansrijk.cases.workflow import TRANSITIONS

from . import factories as f
from .conftest import http_request, make_case

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
T1 = datetime(2025, 3, 5, 14, 30, tzinfo=UTC)


def transition(world, case, name, actor, **kwargs):
    defaults = {
        "nurse": world.nurse if name == "assign" else None,
        "reason": "completed" if name == "close" else "",
        "note": "Valt buiten de doelgroep." if name == "reject" else "",
    }
    defaults.update(kwargs)
    return case_transition(request=http_request(actor), case=case, name=name, **defaults)


#: transition -> the status it starts from in these tests, and who may make it
STEPS = {
    "assign": ("received", {"planner"}),
    "reject": ("received", {"planner"}),
    "contact": ("assigned", {"planner", "nurse"}),
    "visit": ("in_contact", {"nurse"}),
    "follow_up": ("visited", {"nurse"}),
    "close": ("follow_up", {"planner", "nurse"}),
}
ACTORS = ["planner", "nurse", "nurse2", "other_planner", "other_nurse", "admin", "privacy", "midwife", "officer"]


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("name", list(STEPS))
def test_transition_is_allowed_only_for_its_roles(world, name, actor):
    status, allowed = STEPS[name]
    case = make_case(world, status)

    if actor in allowed:
        transition(world, case, name, getattr(world, actor))
        assert Case.objects.get(pk=case.pk).status == TRANSITIONS[name].target
    else:
        with pytest.raises(PermissionDenied):
            transition(world, case, name, getattr(world, actor))
        assert Case.objects.get(pk=case.pk).status == status
        assert not CaseEvent.objects.filter(case=case).exists()


@pytest.mark.parametrize("status", [s.value for s in Status])
@pytest.mark.parametrize("name", list(STEPS))
def test_transition_is_refused_from_a_status_it_does_not_start_from(world, name, status):
    case = make_case(world, status)
    actor = world.nurse if name in ("visit", "follow_up") else world.planner
    if status in TRANSITIONS[name].sources:
        transition(world, case, name, actor)
        assert Case.objects.get(pk=case.pk).status == TRANSITIONS[name].target
    else:
        with pytest.raises(PermissionDenied):
            transition(world, case, name, actor)
        assert Case.objects.get(pk=case.pk).status == status


def test_closed_case_allows_no_transition_at_all(world):
    case = make_case(world, "closed")
    for name in TRANSITIONS:
        with pytest.raises(PermissionDenied):
            transition(world, case, name, world.planner)


def test_unknown_transition_is_refused(world):
    case = make_case(world, "assigned")
    with pytest.raises(ValidationError):
        transition(world, case, "reopen", world.planner)


def test_nurse_can_only_act_on_her_own_case(world):
    world.jgz.nurses_see_team_cases = True
    world.jgz.save()
    case = make_case(world, "assigned", nurse=world.nurse2)

    with pytest.raises(PermissionDenied):
        transition(world, case, "contact", world.nurse)
    transition(world, case, "contact", world.nurse2)
    assert Case.objects.get(pk=case.pk).status == Status.IN_CONTACT


def test_every_transition_records_an_event_with_actor_and_time(world):
    case = make_case(world, "received")
    steps = [("assign", world.planner), ("contact", world.nurse), ("visit", world.nurse)]
    steps += [("follow_up", world.nurse), ("close", world.nurse)]
    with time_machine.travel(T0, tick=False):
        for name, actor in steps:
            transition(world, case, name, actor)

    events = list(CaseEvent.objects.filter(case=case, kind=EventKind.TRANSITION))
    assert [(e.transition, e.actor, e.at) for e in events] == [(name, actor, T0) for name, actor in steps]
    assert [(e.from_status, e.to_status) for e in events] == [
        ("received", "assigned"),
        ("assigned", "in_contact"),
        ("in_contact", "visited"),
        ("visited", "follow_up"),
        ("follow_up", "closed"),
    ]
    case.refresh_from_db()
    assert case.version == 6
    assert (case.status, case.close_reason, case.closed_at) == (Status.CLOSED, CloseReason.COMPLETED, T0)


def test_assign_stamps_assigned_at_and_contact_stamps_first_contact_at(world):
    case = make_case(world, "received")
    with time_machine.travel(T0, tick=False):
        transition(world, case, "assign", world.planner)
    with time_machine.travel(T1, tick=False):
        transition(world, case, "contact", world.nurse)

    case.refresh_from_db()
    assert (case.assigned_at, case.first_contact_at) == (T0, T1)
    assert case.nurse == world.nurse


def test_stamps_are_set_only_the_first_time(world):
    case = make_case(world, "assigned", assigned_at=T0, first_contact_at=T0)
    with time_machine.travel(T1, tick=False):
        transition(world, case, "contact", world.nurse)

    case.refresh_from_db()
    assert case.first_contact_at == T0
    assert case.assigned_at == T0


def test_close_needs_a_reason(world):
    case = make_case(world, "in_contact")
    for reason in ("", "bogus"):
        with pytest.raises(ValidationError):
            transition(world, case, "close", world.nurse, reason=reason)
    case.refresh_from_db()
    assert case.status == Status.IN_CONTACT
    assert not CaseEvent.objects.filter(case=case).exists()


def test_reject_needs_a_note_and_closes_as_not_in_target_group(world):
    case = make_case(world, "received")
    with pytest.raises(ValidationError):
        transition(world, case, "reject", world.planner, note="   ")
    assert Case.objects.get(pk=case.pk).status == Status.RECEIVED

    transition(world, case, "reject", world.planner, note="Geen risicofactoren.", reason="completed")

    case.refresh_from_db()
    assert (case.status, case.close_reason) == (Status.CLOSED, CloseReason.NOT_IN_TARGET_GROUP)
    assert CaseEvent.objects.get(case=case).note == "Geen risicofactoren."


@pytest.mark.parametrize("who", ["none", "other_nurse", "planner", "inactive"])
def test_assign_needs_an_active_nurse_of_the_organisation(world, who):
    inactive = f.UserFactory(email="inactive@example.org", is_active=False)
    f.MembershipFactory(user=inactive, organisation=world.jgz, role="nurse")
    nurse = {"none": None, "other_nurse": world.other_nurse, "planner": world.planner, "inactive": inactive}[who]
    case = make_case(world, "received")

    with pytest.raises(ValidationError):
        transition(world, case, "assign", world.planner, nurse=nurse)

    case.refresh_from_db()
    assert (case.status, case.nurse) == (Status.RECEIVED, None)


def test_stale_version_is_refused_with_a_clear_message_and_nothing_is_overwritten(world):
    case = make_case(world, "assigned")
    opened_by_planner = Case.objects.get(pk=case.pk)
    transition(world, case, "contact", world.nurse, expected_version=1)

    with pytest.raises(ConcurrentEdit) as refused, translation.override("en"):
        transition(world, opened_by_planner, "close", world.planner, expected_version=1)

    assert "Someone else changed this case" in " ".join(refused.value.messages)
    case.refresh_from_db()
    assert (case.status, case.close_reason, case.version) == (Status.IN_CONTACT, "", 2)
    assert CaseEvent.objects.filter(case=case).count() == 1


def test_second_save_through_the_page_is_refused_and_the_first_stays(world, client, login):
    case = make_case(world, "assigned")
    login(world.nurse)
    assert client.post(f"/trajecten/{case.pk}/actie/contact/", {"version": 1}).status_code == 302
    client = login(world.planner, Client())
    client.cookies["django_language"] = "en"

    # The planner had the page open at version 1 and now closes it.
    response = client.post(f"/trajecten/{case.pk}/actie/close/", {"version": 1, "reason": "moved"}, follow=True)

    case.refresh_from_db()
    assert (case.status, case.version) == (Status.IN_CONTACT, 2)
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1
    assert "Someone else changed this case" in messages[0]
    assert "Someone else changed this case" in response.content.decode()
    assert not CaseEvent.objects.filter(case=case, actor=world.planner).exists()


def test_every_transition_writes_an_update_row_to_the_audit_log(world):
    case = make_case(world, "assigned")
    transition(world, case, "contact", world.nurse)

    entry = AuditEntry.objects.get(action=Action.UPDATE)
    assert (entry.user, entry.role, entry.organisation) == (world.nurse, "nurse", world.jgz)
    assert (entry.client_id, entry.case_id) == (case.client_id, case.pk)
    assert "assigned" in entry.description and "in_contact" in entry.description


def test_case_page_offers_only_the_steps_this_person_may_make(world, client, login):
    received = make_case(world, "received")
    assigned = make_case(world, "assigned")
    login(world.planner)
    assert [t.name for t, _ in client.get(received.get_absolute_url()).context["action_forms"]] == ["assign", "reject"]
    assert [t.name for t, _ in client.get(assigned.get_absolute_url()).context["action_forms"]] == ["contact", "close"]
    login(world.nurse)
    assert [t.name for t, _ in client.get(assigned.get_absolute_url()).context["action_forms"]] == ["contact", "close"]
    Case.objects.filter(pk=assigned.pk).update(status=Status.IN_CONTACT)
    assert [t.name for t, _ in client.get(assigned.get_absolute_url()).context["action_forms"]] == ["visit", "close"]


def test_close_through_the_page_without_reason_comes_back_with_the_error(world, client, login):
    case = make_case(world, "in_contact")
    login(world.nurse)

    response = client.post(f"/trajecten/{case.pk}/actie/close/", {"version": case.version, "note": "Verhuisd"})

    assert response.status_code == 400
    bound = {t.name: form for t, form in response.context["action_forms"]}["close"]
    assert "reason" in bound.errors
    assert "Verhuisd" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == Status.IN_CONTACT


def test_assign_through_the_page_needs_the_target_group_check_and_a_nurse_of_the_organisation(world, client, login):
    case = make_case(world, "received")
    login(world.planner)
    url = f"/trajecten/{case.pk}/actie/assign/"

    unchecked = client.post(url, {"version": 1, "nurse": world.nurse.pk})
    other_org = client.post(url, {"version": 1, "nurse": world.other_nurse.pk, "target_group_checked": "on"})
    good = client.post(url, {"version": 1, "nurse": world.nurse.pk, "target_group_checked": "on"})

    assert unchecked.status_code == other_org.status_code == 400
    assert good.status_code == 302
    assert good.url == "/trajecten/intake/"
    case.refresh_from_db()
    assert (case.status, case.nurse) == (Status.ASSIGNED, world.nurse)


def test_planner_reassigns_an_open_case_and_the_timeline_says_so(world):
    case = make_case(world, "in_contact")
    case_reassign(request=http_request(world.planner), case=case, nurse=world.nurse2)

    case.refresh_from_db()
    assert (case.nurse, case.status, case.version) == (world.nurse2, Status.IN_CONTACT, 2)
    assert CaseEvent.objects.get(case=case).kind == EventKind.REASSIGNED
    for nurse in (world.nurse2, world.other_nurse):
        with pytest.raises(ValidationError):
            case_reassign(request=http_request(world.planner), case=case, nurse=nurse)
    with pytest.raises(PermissionDenied):
        case_reassign(request=http_request(world.nurse2), case=case, nurse=world.nurse)


def test_database_refuses_a_closed_case_without_reason_and_an_assigned_case_without_nurse(world):
    case = make_case(world, "received")
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(status=Status.CLOSED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(status=Status.ASSIGNED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(close_reason="moved")
