"""Reading feedback, the moments it is due, and who may give it.

A moment is *due* for a referral when the woman consented to feedback to that
referrer, the moment has happened (derived from the case: its stamps, status and
close reason, its held visits and started follow-ups) and there is no feedback
for it yet. Once the referrer has been sent the news of a later moment, earlier
moments are no longer due: she has heard how things stand.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from django.db.models import Count, Min, Q, QuerySet

from kansrijk import access
from kansrijk.care.models import ContactAttempt, Visit, VisitStatus
from kansrijk.cases.models import Case, CloseReason, Status
from kansrijk.followup.models import FollowUp, FollowUpStatus
from kansrijk.organisations.models import Role
from kansrijk.referrals.models import Referral

from .models import Feedback, FeedbackStatus, Moment

#: The order in which moments happen; the last two are alternatives (how the case ended).
MOMENT_ORDER = [Moment.FIRST_CONTACT, Moment.VISIT_HELD, Moment.FOLLOW_UP, Moment.DECLINED, Moment.CLOSED]
#: Close reasons told as "declined or unreachable"; every other reason is told as "closed".
DECLINED_REASONS = frozenset({CloseReason.DECLINED, CloseReason.UNREACHABLE})


@dataclass(frozen=True)
class DueFeedback:
    """A moment the referrer of `referral` should hear about and has not yet."""

    case: Case
    referral: Referral
    moment: str
    happened_at: datetime | None

    @property
    def moment_label(self) -> str:
        return Moment(self.moment).label


# --- Who may -----------------------------------------------------------------------


def can_give_feedback(user, case: Case) -> bool:
    """The case's own nurse, or a planner of its organisation; also after closing (the closing is news too)."""
    membership = access.membership_for_case(user, case)
    if membership is None:
        return False
    return membership.role == Role.PLANNER or (membership.role == Role.NURSE and case.nurse_id == user.pk)


def can_record_birth(user, case: Case) -> bool:
    """The nurse records the birth on her own open case."""
    membership = access.membership_for_case(user, case)
    return case.is_open and membership is not None and membership.role == Role.NURSE and case.nurse_id == user.pk


# --- Moments -----------------------------------------------------------------------


def _happened(case: Case, first_reached: datetime | None, first_held_visit: datetime | None, first_started) -> dict:
    """{moment: when} for the moments this case has reached.

    The dates come from what the nurse recorded (the reached contact attempt, the held
    visit) where there is such a record; else from the case's own stamps.
    """
    happened: dict[str, datetime | None] = {}
    if first_reached or case.first_contact_at:
        happened[Moment.FIRST_CONTACT] = first_reached or case.first_contact_at
    if first_held_visit or case.first_visit_at:
        happened[Moment.VISIT_HELD] = first_held_visit or case.first_visit_at
    if first_started:
        happened[Moment.FOLLOW_UP] = first_started
    if case.status == Status.CLOSED:
        final = Moment.DECLINED if case.close_reason in DECLINED_REASONS else Moment.CLOSED
        happened[final] = case.closed_at
    return happened


def _records(case_ids) -> tuple[dict, dict, dict]:
    """Per case: the first reached contact, the first held visit, the first started follow-up (3 queries)."""
    reached = dict(
        ContactAttempt.objects.filter(case_id__in=case_ids, reached=True)
        .values("case_id")
        .annotate(first=Min("at"))
        .values_list("case_id", "first")
    )
    held = dict(
        Visit.objects.filter(case_id__in=case_ids, status=VisitStatus.HELD)
        .values("case_id")
        .annotate(first=Min("scheduled_at"))
        .values_list("case_id", "first")
    )
    started = dict(
        FollowUp.objects.filter(case_id__in=case_ids)
        .filter(
            Q(status__in=[FollowUpStatus.STARTED, FollowUpStatus.ENDED]) | Q(events__to_status=FollowUpStatus.STARTED)
        )
        .values("case_id")
        .annotate(first=Min("status_changed_at"))
        .values_list("case_id", "first")
    )
    return reached, held, started


def moments_happened(case: Case) -> dict:
    """{moment: when} for one case."""
    reached, held, started = _records([case.pk])
    return _happened(case, reached.get(case.pk), held.get(case.pk), started.get(case.pk))


def _due_moments(cases: dict, referrals) -> list[tuple]:
    """(case id, referral, moment, when) for every moment due, each case's latest moment first.

    `cases` maps a case id to anything with the case's status, close reason and moment stamps (a `Case`, or a
    `_CaseMoments` row); `referrals` are the cases' referrals with consent to feedback and a referrer (anything
    with `pk` and `case_id`), oldest first. Four queries (the feedback given and the three records), about the
    cases with such a referral only; none when no case has one."""
    referrals = list(referrals)
    ids = sorted({referral.case_id for referral in referrals})
    if not ids:
        return []
    existing: dict[int, dict[str, str]] = {}
    for referral_id, moment, status in Feedback.objects.filter(case_id__in=ids).values_list(
        "referral_id", "moment", "status"
    ):
        existing.setdefault(referral_id, {})[moment] = status
    reached, held, started = _records(ids)

    due = []
    for referral in referrals:
        case = cases[referral.case_id]
        happened = _happened(case, reached.get(case.pk), held.get(case.pk), started.get(case.pk))
        given = existing.get(referral.pk, {})
        sent_positions = [MOMENT_ORDER.index(m) for m, s in given.items() if s == FeedbackStatus.SENT]
        latest_sent = max(sent_positions, default=-1)
        for moment in reversed(MOMENT_ORDER):
            if moment in happened and moment not in given and MOMENT_ORDER.index(moment) > latest_sent:
                due.append((case.pk, referral, moment, happened[moment]))
    return due


def _told(case_ids):
    """The referrals of these cases whose referrer may hear how things go, oldest first."""
    return Referral.objects.filter(case_id__in=case_ids, consent_feedback=True, referrer__isnull=False).order_by(
        "created_at", "pk"
    )


def feedback_due_for_cases(cases) -> dict[int, list[DueFeedback]]:
    """For each case, the feedback that is due, latest moment first. A fixed number of queries."""
    cases = {c.pk: c for c in cases}
    if not cases:
        return {}
    referrals = _told(list(cases)).select_related("referrer", "referrer_organisation")
    due: dict[int, list[DueFeedback]] = {pk: [] for pk in cases}
    for case_id, referral, moment, happened_at in _due_moments(cases, referrals):
        case = cases[case_id]
        referral.case = case
        due[case_id].append(DueFeedback(case, referral, moment, happened_at))
    return due


class _CaseMoments(NamedTuple):
    """What `_happened` reads of a case, without the case."""

    pk: int
    status: str
    close_reason: str
    first_contact_at: datetime | None
    first_visit_at: datetime | None
    closed_at: datetime | None


class _ReferralOf(NamedTuple):
    pk: int
    case_id: int


def feedback_due_among(cases: QuerySet[Case]) -> list[DueFeedback]:
    """The feedback due for any of these cases, as `feedback_due_for_cases` finds it, in a fixed number of
    queries. For a team's day: it reads the moments of every case as plain rows, and makes cases and referrals
    (with client, organisation and referrer) only for the feedback that is due: a quarter of them in the
    synthetic country, where most news was given within a fortnight."""
    cases_by_id = {row[0]: _CaseMoments(*row) for row in cases.order_by().values_list(*_CaseMoments._fields)}
    if not cases_by_id:
        return []
    referrals = [_ReferralOf(*row) for row in _told(list(cases_by_id)).values_list(*_ReferralOf._fields)]
    found = _due_moments(cases_by_id, referrals)
    if not found:
        return []
    case_of = Case.objects.select_related("client", "organisation").in_bulk({case_id for case_id, *_ in found})
    referral_of = Referral.objects.select_related("referrer", "referrer_organisation").in_bulk(
        {referral.pk for _case_id, referral, *_ in found}
    )
    due = []
    for case_id, referral, moment, happened_at in found:
        case, referral = case_of[case_id], referral_of[referral.pk]
        referral.case = case
        due.append(DueFeedback(case, referral, moment, happened_at))
    return due


def feedback_due(case: Case) -> list[DueFeedback]:
    """The feedback due for one case, latest moment first."""
    return feedback_due_for_cases([case])[case.pk]


# --- Feedback records ----------------------------------------------------------------


def case_feedback(case: Case) -> QuerySet[Feedback]:
    return (
        Feedback.objects.filter(case=case)
        .select_related("referral__referrer", "referral__referrer_organisation", "sent_by")
        .order_by("-created_at", "-pk")
    )


def drafts_for_cases(case_ids) -> QuerySet[Feedback]:
    return (
        Feedback.objects.filter(case_id__in=case_ids, status=FeedbackStatus.DRAFT)
        .select_related("case__client", "referral__referrer", "referral__referrer_organisation")
        .order_by("created_at", "pk")
    )


def sent_feedback(referral: Referral) -> list[Feedback]:
    """What the referrer may read: the feedback sent to her, newest first, only within the consent."""
    if not access.referrer_sees_progress(referral):
        return []
    return list(
        Feedback.objects.filter(referral=referral, status=FeedbackStatus.SENT)
        .select_related("sent_by")
        .order_by("-sent_at", "-pk")
    )


def unread_feedback_referrals() -> QuerySet:
    """The ids of referrals with sent feedback the referrer has not opened yet (for a subquery)."""
    return Feedback.objects.filter(status=FeedbackStatus.SENT, read_at__isnull=True).values("referral_id")


def with_unread_feedback(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    """Annotate `unread_feedback`: sent feedback the referrer has not opened yet."""
    return referrals.annotate(
        unread_feedback=Count(
            "feedback",
            filter=Q(feedback__status=FeedbackStatus.SENT, feedback__read_at__isnull=True),
            distinct=True,
        )
    )


def case_feedback_item(case: Case, pk: int) -> Feedback | None:
    """One feedback record of a case the caller has already fetched through the access layer."""
    return (
        Feedback.objects.filter(case=case, pk=pk)
        .select_related("referral__referrer", "referral__referrer_organisation", "sent_by")
        .first()
    )
