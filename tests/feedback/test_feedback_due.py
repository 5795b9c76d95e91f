"""Which feedback is due: per moment, only within the consent, once per referral and moment."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from kansrijk.cases.models import Case
from kansrijk.feedback.models import Feedback, FeedbackStatus, Moment
from kansrijk.feedback.selectors import feedback_due, feedback_due_among, feedback_due_for_cases, moments_happened
from kansrijk.followup.models import FollowUpStatus
from kansrijk.referrals.models import Referral

from ..conftest import make_case, refer
from ..factories import MembershipFactory, UserFactory
from .conftest import attempt, first_referral, follow_up, held_visit, referred_case

NOW = timezone.make_aware(datetime(2026, 3, 10, 12, 0))


def due_moments(case) -> list[str]:
    return [d.moment for d in feedback_due(case)]


def test_a_case_only_just_assigned_has_nothing_to_tell(world):
    assert due_moments(referred_case(world, "assigned")) == []


def test_first_contact_is_due_once_the_family_was_reached(world):
    assert due_moments(referred_case(world, "in_contact")) == [Moment.FIRST_CONTACT]


def test_visit_held_is_due_from_the_case_stamp(world):
    case = referred_case(world, "visited")
    assert due_moments(case) == [Moment.VISIT_HELD, Moment.FIRST_CONTACT]


def test_a_held_visit_record_counts_even_before_the_case_was_moved_on(world):
    case = referred_case(world, "in_contact")
    held_visit(case)
    assert Moment.VISIT_HELD in due_moments(case)


def test_a_planned_visit_is_not_a_visit_held(world):
    from kansrijk.care.models import Visit

    case = referred_case(world, "in_contact")
    Visit.objects.create(case=case, nurse=world.nurse, scheduled_at=timezone.now() + timedelta(days=2))
    assert Moment.VISIT_HELD not in due_moments(case)


@pytest.mark.parametrize(
    ("status", "due"),
    [
        (FollowUpStatus.SENT, False),
        (FollowUpStatus.ACCEPTED, False),
        (FollowUpStatus.WAITING_LIST, False),
        (FollowUpStatus.STARTED, True),
        (FollowUpStatus.ENDED, True),  # it did start, even if it is over by now
    ],
)
def test_follow_up_in_place_is_due_only_when_support_has_started(world, status, due):
    case = referred_case(world, "follow_up")
    follow_up(world, case, status=status)
    assert (Moment.FOLLOW_UP in due_moments(case)) is due


@pytest.mark.parametrize(
    ("reason", "moment"),
    [
        ("declined", Moment.DECLINED),
        ("unreachable", Moment.DECLINED),
        ("completed", Moment.CLOSED),
        ("moved", Moment.CLOSED),
        ("pregnancy_ended", Moment.CLOSED),
        ("already_in_care", Moment.CLOSED),
        ("not_in_target_group", Moment.CLOSED),
    ],
)
def test_closing_is_told_as_declined_or_unreachable_or_as_closed_never_both(world, reason, moment):
    case = referred_case(world, "closed", close_reason=reason)
    moments = due_moments(case)
    assert moments[0] == moment  # the latest news first
    assert (Moment.CLOSED in moments) != (Moment.DECLINED in moments)


def test_without_consent_to_feedback_nothing_is_ever_due(world):
    case = referred_case(world, "closed", consent=False, first_visit_at=timezone.now())
    follow_up(world, case)
    assert moments_happened(case)  # the moments did happen ...
    assert due_moments(case) == []  # ... but the referrer may not hear of them


def test_each_referral_is_judged_on_its_own_consent(world):
    case = referred_case(world, "in_contact")
    colleague = UserFactory(email="colleague@example.org")
    MembershipFactory(user=colleague, organisation=world.practice, role="referrer")
    client = case.client
    second = refer(
        world,
        referrer=colleague,
        consent_feedback=False,
        first_name=client.first_name,
        last_name=client.last_name,
        date_of_birth=client.date_of_birth,
        due_date=case.due_date,
    ).referral
    assert second.case_id == case.pk  # joined the open case

    due = feedback_due(case)

    assert [(d.referral, d.moment) for d in due] == [(first_referral(case), Moment.FIRST_CONTACT)]


def test_a_self_registration_without_referrer_gets_no_feedback(world):
    case = referred_case(world, "in_contact")
    Referral.objects.filter(case=case).update(referrer=None)
    assert due_moments(case) == []


def test_a_moment_with_a_draft_or_sent_feedback_is_no_longer_due(world):
    case = referred_case(world, "visited")
    referral = first_referral(case)
    Feedback.objects.create(case=case, referral=referral, moment=Moment.VISIT_HELD, text="x")

    assert due_moments(case) == [Moment.FIRST_CONTACT]


def test_once_later_news_was_sent_earlier_moments_are_no_longer_due(world):
    case = referred_case(world, "closed")
    referral = first_referral(case)
    Feedback.objects.create(
        case=case,
        referral=referral,
        moment=Moment.CLOSED,
        text="x",
        status=FeedbackStatus.SENT,
        sent_at=timezone.now(),
    )
    assert due_moments(case) == []


def test_a_draft_of_later_news_does_not_hide_the_earlier_moments(world):
    case = referred_case(world, "visited")
    Feedback.objects.create(case=case, referral=first_referral(case), moment=Moment.VISIT_HELD, text="x")
    assert due_moments(case) == [Moment.FIRST_CONTACT]


def test_the_moment_dates_come_from_what_the_nurse_recorded(world):
    with time_machine.travel(NOW, tick=False):
        case = referred_case(world, "visited")
        attempt(case, at=NOW - timedelta(days=9), reached=False)
        attempt(case, at=NOW - timedelta(days=8), reached=True)
        held_visit(case, at=NOW - timedelta(days=3))

        happened = moments_happened(case)

    assert happened[Moment.FIRST_CONTACT] == NOW - timedelta(days=8)
    assert happened[Moment.VISIT_HELD] == NOW - timedelta(days=3)


def test_cases_without_a_referral_have_nothing_due(world):
    case = make_case(world, "visited")
    assert feedback_due_for_cases([case]) == {case.pk: []}
    assert feedback_due_for_cases([]) == {}


def test_feedback_due_for_many_cases_costs_the_same_queries_as_for_one(world, django_assert_max_num_queries):
    cases = [referred_case(world, "follow_up") for _ in range(6)]
    for c in cases:
        follow_up(world, c)
        held_visit(c)
    with django_assert_max_num_queries(5):
        due = feedback_due_for_cases(cases)
    assert all(len(items) == 3 for items in due.values())


# --- Among many cases: the team's day reads plain rows and makes only what is due (feedback_due_among) ----------


def every_kind_of_case(world) -> list[Case]:
    """A case in each situation the tests above judge one by one."""
    with_records = referred_case(world, "in_contact")
    attempt(with_records, at=timezone.now() - timedelta(days=2), reached=True)
    held_visit(with_records)
    started = referred_case(world, "follow_up")
    follow_up(world, started)
    waiting = referred_case(world, "follow_up")
    follow_up(world, waiting, status=FollowUpStatus.WAITING_LIST)
    drafted = referred_case(world, "visited")
    Feedback.objects.create(case=drafted, referral=first_referral(drafted), moment=Moment.VISIT_HELD, text="x")
    told_all = referred_case(world, "closed", close_reason="declined")
    Feedback.objects.create(
        case=told_all,
        referral=first_referral(told_all),
        moment=Moment.DECLINED,
        text="x",
        status=FeedbackStatus.SENT,
        sent_at=timezone.now(),
    )
    self_registered = referred_case(world, "visited")
    Referral.objects.filter(case=self_registered).update(referrer=None)
    return [
        referred_case(world, "assigned"),
        referred_case(world, "in_contact"),
        referred_case(world, "visited"),
        referred_case(world, "closed", close_reason="unreachable"),
        referred_case(world, "closed", close_reason="moved"),
        referred_case(world, "closed", consent=False, first_visit_at=timezone.now()),
        with_records,
        started,
        waiting,
        drafted,
        told_all,
        self_registered,
    ]


def told(items) -> list[tuple]:
    return sorted((d.case.pk, d.referral.pk, d.moment, d.happened_at) for d in items)


def test_among_many_cases_the_same_feedback_is_due_as_case_by_case(world):
    cases = every_kind_of_case(world)
    one_by_one = [d for case in cases for d in feedback_due(case)]
    assert len({d.case.pk for d in one_by_one}) == 8  # the situations differ: some have news, some not

    among = feedback_due_among(Case.objects.filter(pk__in=[c.pk for c in cases]))

    assert told(among) == told(one_by_one)
    assert told(among) == told(d for items in feedback_due_for_cases(cases).values() for d in items)


def test_among_many_cases_what_is_due_comes_with_the_case_and_referral_the_day_list_shows(
    world, django_assert_num_queries
):
    cases = every_kind_of_case(world)
    due = feedback_due_among(Case.objects.filter(pk__in=[c.pk for c in cases]))
    with django_assert_num_queries(0):
        shown = [
            (d.case.client.full_name, d.case.organisation.name, d.referral.referrer.email, d.referral.case) for d in due
        ]
    assert all(case is d.case for (*_, case), d in zip(shown, due, strict=True))
    assert feedback_due_among(Case.objects.none()) == []


def test_among_many_cases_the_queries_do_not_grow_with_the_cases(world, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    few = [referred_case(world, "visited") for _ in range(2)]
    with CaptureQueriesContext(connection) as captured:
        assert len(feedback_due_among(Case.objects.filter(pk__in=[c.pk for c in few]))) == 4
    many = few + every_kind_of_case(world) + [referred_case(world, "visited") for _ in range(6)]
    with django_assert_max_num_queries(len(captured)):
        due = feedback_due_among(Case.objects.filter(pk__in=[c.pk for c in many]))
    assert len({d.case.pk for d in due}) == 2 + 8 + 6


def test_cases_whose_referrers_may_hear_nothing_cost_no_reading_of_their_records(world, django_assert_num_queries):
    silent = [referred_case(world, "visited", consent=False) for _ in range(3)]
    with django_assert_num_queries(2):  # the cases' moments and their referrals; no feedback, contacts or visits
        assert feedback_due_among(Case.objects.filter(pk__in=[c.pk for c in silent])) == []
    with django_assert_num_queries(1):
        assert feedback_due_for_cases(silent) == {c.pk: [] for c in silent}
