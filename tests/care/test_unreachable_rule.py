"""When a case may be closed as unreachable: N failed attempts over D days, no contact since. Frozen time."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import override_settings

from kansrijk.care.rules import unreachable_rule_met, unreachable_state
from kansrijk.care.sections import unreachable_explanation
from kansrijk.care.services import contact_attempt_record, visit_record_held
from kansrijk.cases.models import Case
from kansrijk.cases.services import case_transition

from .conftest import T0, as_user, held, make_case


@pytest.fixture
def case(world):
    with time_machine.travel(T0, tick=False):
        return make_case(world, "assigned", received_at=T0)


def attempt(world, case, day: int, *, reached=False, hour=0):
    """An attempt `day` days (and `hour` hours) after the referral, recorded at that moment."""
    moment = T0 + timedelta(days=day, hours=hour)
    with time_machine.travel(moment, tick=False):
        contact_attempt_record(request=as_user(world.nurse), case=case, at=moment, method="phone", reached=reached)


def met_on(case, day: int) -> bool:
    with time_machine.travel(T0 + timedelta(days=day), tick=False):
        return unreachable_rule_met(Case.objects.get(pk=case.pk))


def test_no_attempts_is_not_unreachable(world, case):
    assert not met_on(case, 30)


def test_three_failed_attempts_over_exactly_fourteen_days_meet_the_rule(world, case):
    for day in (0, 7, 14):
        attempt(world, case, day)

    assert met_on(case, 14)
    state = unreachable_state(case)
    assert (state.failed_attempts, state.attempts_missing) == (3, 0)


def test_three_failed_attempts_over_thirteen_days_do_not(world, case):
    for day in (0, 6, 13):
        attempt(world, case, day, hour=2)

    assert not met_on(case, 30)
    state = unreachable_state(case)
    assert state.earliest_date == (T0 + timedelta(days=14)).date()


def test_days_are_counted_in_calendar_days_not_hours(world, case):
    attempt(world, case, 0, hour=8)  # 9:00 + 8 h: the evening of day 0
    attempt(world, case, 7)
    attempt(world, case, 14)  # 9:00 on day 14: 13 days and 16 hours after the first, but 14 calendar days

    assert met_on(case, 14)


def test_two_failed_attempts_over_twenty_days_do_not(world, case):
    attempt(world, case, 0)
    attempt(world, case, 20)

    assert not met_on(case, 20)
    assert unreachable_state(case).attempts_missing == 1


def test_a_reached_contact_after_the_attempts_resets_the_count(world, case):
    for day in (0, 7, 14):
        attempt(world, case, day)
    attempt(world, case, 15, reached=True)

    assert not met_on(case, 16)
    assert unreachable_state(case).failed_attempts == 0


def test_only_failed_attempts_after_the_last_contact_count(world, case):
    attempt(world, case, 0)
    attempt(world, case, 1, reached=True)
    for day in (5, 12, 19):
        attempt(world, case, day)

    assert met_on(case, 19)
    assert unreachable_state(case).first_failed == (T0 + timedelta(days=5)).date()


def test_a_held_visit_counts_as_contact(world, case):
    with time_machine.travel(T0 + timedelta(days=2), tick=False):
        visit_record_held(request=as_user(world.nurse), case=case, held=held(scheduled_at=T0 + timedelta(days=1)))
    for day in (3, 10):
        attempt(world, case, day)
    assert not met_on(case, 10)
    attempt(world, case, 17)
    assert met_on(case, 17)


@override_settings(KANSRIJK_UNREACHABLE_ATTEMPTS=2, KANSRIJK_UNREACHABLE_DAYS=3)
def test_the_numbers_come_from_the_settings(world, case):
    attempt(world, case, 0)
    attempt(world, case, 3)

    assert met_on(case, 3)


def test_closing_as_unreachable_is_refused_with_the_numbers_until_the_rule_is_met(world, case):
    attempt(world, case, 0)
    attempt(world, case, 7)
    with time_machine.travel(T0 + timedelta(days=8), tick=False):
        fresh = Case.objects.get(pk=case.pk)
        with pytest.raises(ValidationError) as refused:
            case_transition(request=as_user(world.nurse), case=fresh, name="close", reason="unreachable")
    assert "3 failed contact attempts" in str(refused.value)
    assert "14 days" in str(refused.value)
    assert Case.objects.get(pk=case.pk).status == "assigned"

    attempt(world, case, 14)
    with time_machine.travel(T0 + timedelta(days=14, hours=1), tick=False):
        fresh = Case.objects.get(pk=case.pk)
        case_transition(request=as_user(world.nurse), case=fresh, name="close", reason="unreachable")
    closed = Case.objects.get(pk=case.pk)
    assert (closed.status, closed.close_reason) == ("closed", "unreachable")


def test_other_reasons_for_closing_need_no_attempts(world):
    case = make_case(world, "assigned")
    case_transition(request=as_user(world.nurse), case=case, name="close", reason="declined")

    assert Case.objects.get(pk=case.pk).status == "closed"


def test_the_case_page_explains_what_is_still_needed(world, case):
    attempt(world, case, 0)
    attempt(world, case, 2)

    lines = unreachable_explanation(unreachable_state(case))

    assert "at least 3 failed contact attempts" in lines[0]
    assert "2 failed attempts" in lines[1]
    assert "1 more failed attempt, on or after 17 March 2025" in lines[2]


def test_the_case_page_says_when_the_rule_is_met(world, case):
    for day in (0, 7, 14):
        attempt(world, case, day)

    lines = unreachable_explanation(unreachable_state(case))

    assert "may now be closed" in lines[-1]
