"""The agenda: planned visits from today on, grouped by day; the nurse's own, the planner's team."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from kansrijk.audit.models import Action, AuditEntry
from kansrijk.care.models import Visit
from kansrijk.care.selectors import agenda, overdue_visits
from kansrijk.care.services import visit_cancel, visit_plan
from kansrijk.cases.models import Case

from .conftest import T0, as_user, make_case


def plan(case, user, at, form="home"):
    return visit_plan(request=as_user(user), case=case, scheduled_at=at, form=form, location="")


@pytest.fixture
def week(world):
    """At T0 (Monday 10:00 in Amsterdam): visits for nurse and nurse2, and one at the other organisation."""
    with time_machine.travel(T0, tick=False):
        mine = make_case(world, "in_contact")
        mine2 = make_case(world, "assigned")
        theirs = make_case(world, "in_contact", nurse=world.nurse2)
        other_org = make_case(world, "assigned", organisation=world.other_jgz, nurse=world.other_nurse)
        visits = {
            "mon_late": plan(mine, world.nurse, T0 + timedelta(hours=6)),
            "wed": plan(mine2, world.nurse, T0 + timedelta(days=2), form="video"),
            "wed_early": plan(mine, world.nurse, T0 + timedelta(days=2, hours=-1)),
            "cancelled": plan(mine, world.nurse, T0 + timedelta(days=3)),
            "nurse2": plan(theirs, world.nurse2, T0 + timedelta(days=1)),
            "other_org": plan(other_org, world.other_nurse, T0 + timedelta(days=1)),
        }
        visit_cancel(request=as_user(world.nurse), visit=visits["cancelled"], expected_version=1)
    return visits


def days_of(result):
    return [(d.day.isoformat(), [v.pk for v in d.visits]) for d in result]


def test_the_nurse_sees_her_planned_visits_from_today_grouped_by_day(world, week):
    with time_machine.travel(T0, tick=False):
        result = agenda(world.nurse)

    assert days_of(result) == [
        ("2025-03-03", [week["mon_late"].pk]),
        ("2025-03-05", [week["wed_early"].pk, week["wed"].pk]),
    ]


def test_a_visit_earlier_today_is_still_on_todays_agenda_and_yesterdays_is_overdue(world, week):
    with time_machine.travel(T0 + timedelta(days=2, hours=3), tick=False):
        today = agenda(world.nurse)
        overdue = overdue_visits(world.nurse)

    assert days_of(today) == [("2025-03-05", [week["wed_early"].pk, week["wed"].pk])]
    assert [v.pk for v in overdue] == [week["mon_late"].pk]


def test_held_or_closed_visits_leave_the_agenda(world, week):
    Visit.objects.filter(pk=week["wed"].pk).update(status="held", duration_minutes=30)
    Case.objects.filter(pk=week["mon_late"].case_id).update(status="closed", close_reason="moved")
    with time_machine.travel(T0, tick=False):
        assert days_of(agenda(world.nurse)) == []


def test_a_nurse_sees_only_her_own_agenda_even_when_she_sees_her_teams_cases(world, week):
    world.jgz.nurses_see_team_cases = True
    world.jgz.save()
    with time_machine.travel(T0, tick=False):
        assert [v.pk for d in agenda(world.nurse2) for v in d.visits] == [week["nurse2"].pk]


def test_the_planner_sees_her_teams_agenda_and_can_filter_on_a_nurse(world, week):
    with time_machine.travel(T0, tick=False):
        everyone = [v.pk for d in agenda(world.planner) for v in d.visits]
        only_nurse2 = [v.pk for d in agenda(world.planner, nurse_id=world.nurse2.pk) for v in d.visits]
        other_team = [v.pk for d in agenda(world.other_planner) for v in d.visits]

    assert everyone == [week[k].pk for k in ("mon_late", "nurse2", "wed_early", "wed")]
    assert only_nurse2 == [week["nurse2"].pk]
    assert other_team == [week["other_org"].pk]


def test_a_visit_follows_its_case_to_a_new_nurse(world, week):
    Case.objects.filter(pk=week["wed"].case_id).update(nurse=world.nurse2)
    with time_machine.travel(T0, tick=False):
        nurse2 = [v.pk for d in agenda(world.nurse2) for v in d.visits]

    assert week["wed"].pk in nurse2


def test_the_agenda_page_lists_and_audits_one_row_per_client(world, week):
    client = Client()
    client.force_login(world.planner, backend="django.contrib.auth.backends.ModelBackend")
    with time_machine.travel(T0, tick=False):
        response = client.get("/zorg/agenda/")

    assert response.status_code == 200
    assert week["mon_late"].case.client.full_name in response.content.decode()
    rows = AuditEntry.objects.filter(user=world.planner, action=Action.LIST, description="agenda")
    assert sorted(rows.values_list("case_id", flat=True)) == sorted(
        {week[k].case_id for k in ("mon_late", "wed", "nurse2")}
    )


def test_the_agenda_page_filter_ignores_a_nurse_of_another_team(world, week):
    client = Client()
    client.force_login(world.planner, backend="django.contrib.auth.backends.ModelBackend")
    with time_machine.travel(T0, tick=False):
        response = client.get(f"/zorg/agenda/?nurse={world.other_nurse.pk}")

    assert response.status_code == 200
    assert response.context["nurse_id"] is None
