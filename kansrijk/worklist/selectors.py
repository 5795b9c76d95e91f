"""The nurse's day and the planner's team day: what needs doing, read in a fixed number of queries.

- contacts due: open cases without a reached contact and no attempt yet, and cases whose last
  attempt failed more than `RETRY_AFTER_WORKING_DAYS` working days ago (Dutch public holidays
  from the `holidays` package count as non-working days);
- visits planned today and in the next `VISIT_HORIZON_DAYS` days;
- cases due within KANSRIJK_DUE_SOON_WEEKS without a held visit (and no birth recorded);
- stagnating follow-ups (`followup.selectors.stagnating_for_nurse` / `_for_team`);
- feedback still to send: due moments and unsent drafts. Closed cases count for
  `FEEDBACK_LOOKBACK_DAYS` after closing, since the closing itself is news for the referrer.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays
from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from kansrijk import access
from kansrijk.care.models import ContactAttempt, Visit, VisitStatus
from kansrijk.cases.models import Case, Status
from kansrijk.cases.selectors import nurse_caseloads
from kansrijk.feedback.selectors import DueFeedback, drafts_for_cases, feedback_due_among
from kansrijk.followup.selectors import stagnating_for_nurse, stagnating_for_team
from kansrijk.organisations.models import Role

RETRY_AFTER_WORKING_DAYS = 2
VISIT_HORIZON_DAYS = 7
FEEDBACK_LOOKBACK_DAYS = 60


@dataclass
class Day:
    today: date
    contacts_due: list = field(default_factory=list)
    visits: list = field(default_factory=list)
    due_soon: list = field(default_factory=list)
    stagnating: list = field(default_factory=list)
    feedback_due: list[DueFeedback] = field(default_factory=list)
    feedback_drafts: list = field(default_factory=list)
    caseloads: list = field(default_factory=list)

    @property
    def due_soon_weeks(self) -> int:
        return settings.KANSRIJK_DUE_SOON_WEEKS

    @property
    def feedback_count(self) -> int:
        return len(self.feedback_due) + len(self.feedback_drafts)

    def shown_cases(self) -> list[Case]:
        """Every case the page lists, once (for the audit log)."""
        cases: dict[int, Case] = {}
        for case in self.contacts_due + self.due_soon:
            cases.setdefault(case.pk, case)
        for item in self.visits + self.stagnating + self.feedback_drafts:
            cases.setdefault(item.case_id, item.case)
        for due in self.feedback_due:
            cases.setdefault(due.case.pk, due.case)
        return list(cases.values())


@lru_cache(maxsize=8)
def _dutch_holidays(year: int):
    return holidays.country_holidays("NL", years=year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _dutch_holidays(day.year)


def retry_cutoff(today: date, working_days: int = RETRY_AFTER_WORKING_DAYS) -> date:
    """The last day on which an attempt counts as more than `working_days` working days ago."""
    day, counted = today, 0
    while counted <= working_days:
        if is_working_day(day):
            counted += 1
        day -= timedelta(days=1)
    return day


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def contacts_due(cases: QuerySet[Case], *, today: date) -> list[Case]:
    attempts = ContactAttempt.objects.filter(case=OuterRef("pk")).order_by("-at", "-pk")
    cutoff = _start_of(retry_cutoff(today) + timedelta(days=1))
    return list(
        cases.annotate(
            ever_reached=Exists(ContactAttempt.objects.filter(case=OuterRef("pk"), reached=True)),
            last_attempt_at=Subquery(attempts.values("at")[:1]),
            last_attempt_reached=Subquery(attempts.values("reached")[:1]),
        )
        .filter(
            Q(status=Status.ASSIGNED, ever_reached=False, last_attempt_at__isnull=True)
            | Q(last_attempt_reached=False, last_attempt_at__lt=cutoff)
        )
        .select_related("client", "nurse")
        .order_by("-urgency", "assigned_at", "pk")
    )


def visits_planned(visits: QuerySet[Visit], *, today: date) -> list[Visit]:
    return list(
        visits.filter(
            status=VisitStatus.PLANNED,
            scheduled_at__gte=_start_of(today),
            scheduled_at__lt=_start_of(today + timedelta(days=VISIT_HORIZON_DAYS + 1)),
        )
        .select_related("case__client", "nurse")
        .order_by("scheduled_at", "pk")
    )


def due_soon_without_visit(cases: QuerySet[Case], *, today: date) -> list[Case]:
    limit = today + timedelta(weeks=settings.KANSRIJK_DUE_SOON_WEEKS)
    held = Visit.objects.filter(case=OuterRef("pk"), status=VisitStatus.HELD)
    return list(
        cases.filter(due_date__lte=limit, first_visit_at__isnull=True, birth_date__isnull=True)
        .exclude(Exists(held))
        .select_related("client", "nurse")
        .order_by("due_date", "pk")
    )


def _feedback(cases: QuerySet[Case], *, today: date) -> tuple[list[DueFeedback], list]:
    since = _start_of(today - timedelta(days=FEEDBACK_LOOKBACK_DAYS))
    candidates = cases.filter(Q(closed_at__isnull=True) | Q(closed_at__gte=since))
    due = feedback_due_among(candidates)
    due.sort(key=lambda d: (d.happened_at or _start_of(today), d.referral.pk))
    drafts = list(drafts_for_cases(candidates.values("pk")))
    return due, drafts


def nurse_day(user, *, today: date | None = None) -> Day:
    """The nurse's own open cases (and her cases closed lately, for feedback)."""
    today = today or timezone.localdate()
    mine = access.visible_cases(user).filter(nurse=user)
    open_cases = mine.exclude(status=Status.CLOSED)
    due, drafts = _feedback(mine, today=today)
    return Day(
        today=today,
        contacts_due=contacts_due(open_cases, today=today),
        visits=visits_planned(Visit.objects.filter(nurse=user, case__in=open_cases.values("pk")), today=today),
        due_soon=due_soon_without_visit(open_cases, today=today),
        stagnating=list(stagnating_for_nurse(user)),
        feedback_due=due,
        feedback_drafts=drafts,
    )


def planner_organisation_ids(user) -> list[int]:
    return [m.organisation_id for m in access.memberships_with(user, Role.PLANNER)]


def team_day(user, *, today: date | None = None) -> Day:
    """The same across the planner's organisation(s), plus the caseload of each nurse."""
    today = today or timezone.localdate()
    organisations = planner_organisation_ids(user)
    team = access.visible_cases(user).filter(organisation_id__in=organisations)
    open_cases = team.filter(nurse__isnull=False).exclude(status=Status.CLOSED)
    due, drafts = _feedback(team, today=today)
    return Day(
        today=today,
        contacts_due=contacts_due(open_cases, today=today),
        visits=visits_planned(Visit.objects.filter(case__in=open_cases.values("pk")), today=today),
        due_soon=due_soon_without_visit(open_cases, today=today),
        stagnating=list(stagnating_for_team(user)),
        feedback_due=due,
        feedback_drafts=drafts,
        caseloads=[
            (m.organisation, nurse_caseloads(m.organisation)) for m in access.memberships_with(user, Role.PLANNER)
        ],
    )
