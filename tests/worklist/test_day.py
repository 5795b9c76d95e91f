"""The nurse's day (/vandaag/) and the planner's team day (/vandaag/team/), with frozen time."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kansrijk.audit.models import Action, AuditEntry, Outcome
from kansrijk.care.models import Visit, VisitStatus
from kansrijk.feedback.models import Feedback, Moment
from kansrijk.followup.models import FollowUpStatus
from kansrijk.worklist.selectors import nurse_day, retry_cutoff, team_day

from ..conftest import make_case, refer
from ..feedback.conftest import attempt, first_referral, follow_up, held_visit, referred_case
from ..test_access_matrix import PERSONAS, browse_as, user_of

#: A Thursday in March 2026, no public holiday near.
NOW = timezone.make_aware(datetime(2026, 3, 12, 10, 0))
TODAY = NOW.date()


def at(days_ago: float, hour: int = 10) -> datetime:
    day = TODAY - timedelta(days=days_ago)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, 0))


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


# --- Working days ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "cutoff"),
    [
        (date(2026, 3, 12), date(2026, 3, 9)),  # Thursday: Monday's attempt is 3 working days ago
        (date(2026, 3, 16), date(2026, 3, 11)),  # Monday: the weekend does not count
        (date(2026, 3, 14), date(2026, 3, 10)),  # a Saturday counts from Friday back
        (date(2026, 4, 7), date(2026, 3, 31)),  # after Easter: Good Friday and Easter Monday do not count
        (date(2026, 4, 28), date(2026, 4, 22)),  # King's Day (27 April) does not count
    ],
)
def test_an_attempt_is_retried_after_more_than_two_working_days(today, cutoff):
    assert retry_cutoff(today) == cutoff


# --- The nurse's day --------------------------------------------------------------------------


def names(items) -> set[str]:
    return {(getattr(i, "case", None) or i).client.last_name for i in items}


def test_contacts_due_are_new_cases_and_failed_attempts_older_than_two_working_days(world):
    new = make_case(world, "assigned")
    failed_monday = make_case(world, "assigned")
    attempt(failed_monday, at=at(3), reached=False)
    failed_tuesday = make_case(world, "assigned")
    attempt(failed_tuesday, at=at(2), reached=False)
    reached = make_case(world, "assigned")
    attempt(reached, at=at(5), reached=True)
    in_contact_retry = make_case(world, "in_contact")
    attempt(in_contact_retry, at=at(20), reached=True)
    attempt(in_contact_retry, at=at(10), reached=False)
    in_contact_fine = make_case(world, "in_contact")
    attempt(in_contact_fine, at=at(10), reached=False)
    attempt(in_contact_fine, at=at(9), reached=True)
    colleagues = make_case(world, "assigned", nurse=world.nurse2)
    closed = make_case(world, "closed")

    due = nurse_day(world.nurse).contacts_due

    assert names(due) == names([new, failed_monday, in_contact_retry])
    assert {c.pk for c in due}.isdisjoint({failed_tuesday.pk, reached.pk, colleagues.pk, closed.pk})
    row = next(c for c in due if c.pk == failed_monday.pk)
    assert row.last_attempt_at == at(3)


def test_visits_planned_are_hers_today_and_the_next_seven_days(world):
    case = make_case(world, "in_contact")
    other = make_case(world, "in_contact", nurse=world.nurse2)

    def visit(when, status=VisitStatus.PLANNED, nurse=world.nurse, on=case):
        extra = {"duration_minutes": 60} if status == VisitStatus.HELD else {}
        return Visit.objects.create(case=on, nurse=nurse, status=status, scheduled_at=when, **extra)

    today_later = visit(at(0, hour=15))
    early_today = visit(at(0, hour=8))  # already past, but today
    in_a_week = visit(at(-7, hour=16))
    visit(at(-8, hour=9))  # too far ahead
    visit(at(1))  # yesterday's, not recorded: the agenda's business
    visit(at(0, hour=9), status=VisitStatus.HELD)
    visit(at(-1), status=VisitStatus.CANCELLED)
    visit(at(-1), nurse=world.nurse2, on=other)

    visits = nurse_day(world.nurse).visits

    assert [v.pk for v in visits] == [early_today.pk, today_later.pk, in_a_week.pk]


def test_cases_near_the_due_date_without_a_held_visit(world, settings):
    settings.KANSRIJK_DUE_SOON_WEEKS = 8
    soon = make_case(world, "in_contact", due_date=TODAY + timedelta(weeks=7))
    overdue = make_case(world, "assigned", due_date=TODAY - timedelta(days=2))
    make_case(world, "in_contact", due_date=TODAY + timedelta(weeks=9))  # not yet
    visited = make_case(world, "visited", due_date=TODAY + timedelta(weeks=3))
    held_record = make_case(world, "in_contact", due_date=TODAY + timedelta(weeks=3))
    held_visit(held_record, at=at(1))
    make_case(world, "in_contact", due_date=TODAY + timedelta(weeks=1), birth_date=TODAY)
    make_case(world, "closed", due_date=TODAY + timedelta(weeks=1))

    due_soon = nurse_day(world.nurse).due_soon

    assert [c.pk for c in due_soon] == [overdue.pk, soon.pk]
    assert visited.pk not in {c.pk for c in due_soon}


def test_stagnating_follow_ups_of_her_open_cases(world, settings):
    settings.KANSRIJK_STAGNATION_DAYS = 14
    case = make_case(world, "follow_up")
    stuck = follow_up(world, case, status=FollowUpStatus.SENT, changed=at(20))
    follow_up(world, case, status=FollowUpStatus.WAITING_LIST, changed=at(5))
    follow_up(world, case, status=FollowUpStatus.STARTED, changed=at(40))
    colleagues = follow_up(world, make_case(world, "follow_up", nurse=world.nurse2), status="sent", changed=at(30))

    assert [f.pk for f in nurse_day(world.nurse).stagnating] == [stuck.pk]
    assert {f.pk for f in team_day(world.planner).stagnating} == {stuck.pk, colleagues.pk}


def test_feedback_to_send_lists_due_moments_and_drafts_also_of_lately_closed_cases(world):
    due = referred_case(world, "in_contact")
    drafted = referred_case(world, "in_contact")
    draft = Feedback.objects.create(
        case=drafted, referral=first_referral(drafted), moment=Moment.FIRST_CONTACT, text="Concept"
    )
    closed_lately = referred_case(world, "closed", closed_at=at(10))
    referred_case(world, "closed", closed_at=at(70))  # long ago: no longer on the day list
    referred_case(world, "in_contact", consent=False)

    day = nurse_day(world.nurse)

    assert {(d.case.pk, d.moment) for d in day.feedback_due} == {
        (due.pk, Moment.FIRST_CONTACT),
        (closed_lately.pk, Moment.CLOSED),
        (closed_lately.pk, Moment.FIRST_CONTACT),
    }
    assert [f.pk for f in day.feedback_drafts] == [draft.pk]


def test_the_page_shows_it_all_and_logs_one_list_row_per_client(world, client, login):
    new = make_case(world, "assigned")
    feedback = referred_case(world, "in_contact")
    login(world.nurse)

    response = client.get("/vandaag/")

    html = response.content.decode()
    assert response.status_code == 200
    assert new.client.last_name in html and feedback.client.last_name in html
    rows = AuditEntry.objects.filter(user=world.nurse, action=Action.LIST, description="my day")
    assert sorted(rows.values_list("case_id", flat=True)) == sorted([new.pk, feedback.pk])


def test_an_empty_day_says_so(world, client, login):
    login(world.nurse2)
    html = client.get("/vandaag/").content.decode()
    assert "Geen contacten te leggen." in html or "No contacts due." in html
    assert not AuditEntry.objects.filter(action=Action.LIST).exists()


# --- The planner's team day ---------------------------------------------------------------------


def test_the_team_day_shows_every_nurse_of_her_organisation_and_their_caseload(world, client, login):
    mine = make_case(world, "assigned")
    colleagues = make_case(world, "assigned", nurse=world.nurse2)
    make_case(world, "in_contact", nurse=world.nurse2)
    elsewhere = make_case(world, "assigned", organisation=world.other_jgz, nurse=world.other_nurse)
    login(world.planner)

    response = client.get("/vandaag/team/")

    day = response.context["day"]
    assert {c.pk for c in day.contacts_due} == {mine.pk, colleagues.pk}
    caseloads = {n.email: n.open_cases for _org, nurses in day.caseloads for n in nurses}
    assert caseloads == {world.nurse.email: 1, world.nurse2.email: 2}
    html = response.content.decode()
    assert elsewhere.client.last_name not in html
    assert world.nurse2.display_name in html
    assert AuditEntry.objects.filter(user=world.planner, description="team day").count() == 2


# --- Query counts -----------------------------------------------------------------------------------


def populate(world, n: int) -> None:
    """n cases of `world.nurse`, each of which shows in every list of the day."""
    for _ in range(n):
        case = referred_case(world, "in_contact", due_date=TODAY + timedelta(weeks=4))  # due soon
        attempt(case, at=at(10), reached=False)  # contact due again
        Visit.objects.create(case=case, nurse=world.nurse, scheduled_at=at(-2))  # visit planned
        follow_up(world, case, status="sent", changed=at(30))  # stagnating
        Feedback.objects.create(case=case, referral=first_referral(case), moment=Moment.FIRST_CONTACT, text="x")
        client = case.client
        refer(  # a second referral joins the case: its feedback is due
            world,
            last_name=client.last_name,
            date_of_birth=client.date_of_birth,
            due_date=case.due_date,
        )


def lengths(day) -> list[int]:
    return [
        len(day.contacts_due),
        len(day.visits),
        len(day.due_soon),
        len(day.stagnating),
        len(day.feedback_due),
        len(day.feedback_drafts),
    ]


@pytest.mark.parametrize(("persona", "url"), [("nurse", "/vandaag/"), ("planner", "/vandaag/team/")])
def test_the_day_costs_the_same_queries_for_3_as_for_15_cases(world, persona, url, django_assert_max_num_queries):
    browser = Client()
    browser.force_login(getattr(world, persona), backend="django.contrib.auth.backends.ModelBackend")
    populate(world, 3)
    with CaptureQueriesContext(connection) as captured:
        day = browser.get(url).context["day"]
    few = len(captured)
    assert lengths(day) == [3] * 6

    populate(world, 12)
    with django_assert_max_num_queries(few):
        day = browser.get(url).context["day"]
    assert lengths(day) == [15] * 6
    assert AuditEntry.objects.filter(action=Action.LIST).count() == 3 + 15  # each case listed once per visit


# --- Access ---------------------------------------------------------------------------------------------

DAY_PAGES = {
    "/vandaag/": {"nurse", "nurse2", "other_nurse"},
    "/vandaag/team/": {"planner", "other_planner"},
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url", list(DAY_PAGES))
def test_day_pages_answer_200_to_their_roles_and_404_to_others(world, url, persona):
    response = browse_as(world, persona).get(url)
    if persona == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")
    elif persona in DAY_PAGES[url]:
        assert response.status_code == 200
    else:
        assert response.status_code == 404
        assert AuditEntry.objects.filter(user=user_of(world, persona), outcome=Outcome.DENIED, path=url).count() == 1


def test_a_nurse_of_another_organisation_sees_nothing_of_this_team(world, client, login):
    case = make_case(world, "assigned")
    login(world.other_nurse)
    assert case.client.last_name not in client.get("/vandaag/").content.decode()
