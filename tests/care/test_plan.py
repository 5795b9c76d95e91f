"""The plan: goals in the family's words, actions (what, who, by when), done and achieved, guarded edits."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kansrijk.audit.models import Action
from kansrijk.care.models import PlanAction, PlanGoal
from kansrijk.care.selectors import plan_goals
from kansrijk.care.services import (
    action_create,
    action_set_done,
    action_update,
    goal_create,
    goal_set_achieved,
    goal_update,
)
from kansrijk.cases.services import ConcurrentEdit

from .. import factories as f
from .conftest import as_user, audit_rows, make_case


@pytest.fixture
def case(world):
    return make_case(world, "visited")


@pytest.fixture
def goal(world, case):
    return goal_create(request=as_user(world.nurse), case=case, goal="“Rust in de financiën.”", domain=world.domains[0])


def add_action(world, goal, **overrides):
    values = {"action": "Aanmelden bij schuldhulp", "responsible": "Moeder", "due_date": None}
    values.update(overrides)
    return action_create(request=as_user(world.nurse), goal=goal, **values)


def test_a_goal_is_kept_in_the_familys_words_with_its_domain_and_audited(world, case, goal):
    assert (goal.goal, goal.domain, goal.created_by) == ("“Rust in de financiën.”", world.domains[0], world.nurse)
    assert audit_rows(case, Action.CREATE, description="plan goal added").count() == 1


def test_a_goal_without_words_is_refused(world, case):
    with pytest.raises(ValidationError):
        goal_create(request=as_user(world.nurse), case=case, goal="  ")


def test_a_goal_may_not_use_a_domain_of_another_region(world, case):
    with pytest.raises(ValidationError):
        goal_create(request=as_user(world.nurse), case=case, goal="Iets", domain=f.DomainFactory())


def test_actions_say_what_who_and_by_when(world, case, goal):
    due = timezone.localdate() + timedelta(days=14)
    action = add_action(world, goal, due_date=due)

    assert (action.action, action.responsible, action.due_date) == ("Aanmelden bij schuldhulp", "Moeder", due)
    assert audit_rows(case, Action.CREATE, description__startswith="plan action added").count() == 1
    assert plan_goals(case)[0].actions.all()[0] == action


@pytest.mark.parametrize(
    ("overrides", "message"),
    [({"action": " "}, "what"), ({"responsible": ""}, "who"), ({"due_date": "before"}, "earlier than the referral")],
)
def test_bad_input_for_an_action_is_refused(world, case, goal, overrides, message):
    if overrides.get("due_date") == "before":
        overrides["due_date"] = timezone.localdate() - timedelta(days=30)
    with pytest.raises(ValidationError, match=message):
        add_action(world, goal, **overrides)
    assert not PlanAction.objects.exists()


def test_marking_an_action_done_and_undoing_it(world, case, goal):
    action = add_action(world, goal)

    action_set_done(request=as_user(world.nurse), action=action, done=True, expected_version=1)
    assert PlanAction.objects.get(pk=action.pk).done_at is not None
    action_set_done(request=as_user(world.nurse), action=action, done=False, expected_version=2)
    assert PlanAction.objects.get(pk=action.pk).done_at is None
    assert audit_rows(case, Action.UPDATE, description__contains=f"plan action {action.pk}").count() == 2


def test_marking_a_goal_achieved(world, case, goal):
    goal_set_achieved(request=as_user(world.planner), goal=goal, achieved=True, expected_version=1)

    assert PlanGoal.objects.get(pk=goal.pk).achieved_at is not None
    assert audit_rows(case, Action.UPDATE, description__contains="achieved").count() == 1


def test_two_people_changing_one_goal_the_second_is_refused(world, case, goal):
    goal_update(request=as_user(world.nurse), goal=goal, text="Nieuwe woorden", domain=None, expected_version=1)
    stale = PlanGoal.objects.get(pk=goal.pk)
    stale.version = 1

    with pytest.raises(ConcurrentEdit):
        goal_update(request=as_user(world.planner), goal=stale, text="Oude woorden", domain=None, expected_version=1)
    with pytest.raises(ConcurrentEdit):
        goal_set_achieved(request=as_user(world.planner), goal=stale, achieved=True, expected_version=1)
    goal.refresh_from_db()
    assert (goal.goal, goal.achieved_at, goal.version) == ("Nieuwe woorden", None, 2)


def test_two_people_changing_one_action_the_second_is_refused(world, case, goal):
    action = add_action(world, goal)
    action_update(
        request=as_user(world.nurse),
        action=action,
        text="Bellen",
        responsible="Vader",
        due_date=None,
        expected_version=1,
    )

    with pytest.raises(ConcurrentEdit):
        action_set_done(request=as_user(world.planner), action=action, done=True, expected_version=1)
    action.refresh_from_db()
    assert (action.action, action.done_at) == ("Bellen", None)


def test_a_double_submit_adds_one_goal_and_one_action(world, case):
    key = uuid.uuid4()
    first = goal_create(request=as_user(world.nurse), case=case, goal="Een doel", submission_key=key)
    goal_create(request=as_user(world.nurse), case=case, goal="Een doel", submission_key=key)
    action_key = uuid.uuid4()
    add_action(world, first, submission_key=action_key)
    add_action(world, first, submission_key=action_key)

    assert PlanGoal.objects.count() == 1
    assert PlanAction.objects.count() == 1


@pytest.mark.parametrize("persona", ["nurse2", "other_nurse", "other_planner", "admin", "provider"])
def test_only_the_cases_nurse_or_a_planner_changes_the_plan(world, case, goal, persona):
    user = getattr(world, persona)
    with pytest.raises(PermissionDenied):
        goal_create(request=as_user(user), case=case, goal="Iets")
    with pytest.raises(PermissionDenied):
        goal_set_achieved(request=as_user(user), goal=goal, achieved=True, expected_version=1)
    with pytest.raises(PermissionDenied):
        action_create(request=as_user(user), goal=goal, action="x", responsible="y")
    assert PlanGoal.objects.count() == 1
