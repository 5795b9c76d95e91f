"""Reading cases. Everything starts from the access layer's `visible_cases`."""

from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from kansrijk import access
from kansrijk.organisations.models import Organisation, Role
from kansrijk.referrals.models import Referral, ReferralSource

from .models import Case, Status


def intake_queue(user) -> QuerySet[Case]:
    """New referrals: most urgent first, then oldest first.

    `self_registered` says whether the woman registered herself at the public desk (one of the
    case's referrals has source "self").
    """
    return (
        access.visible_cases(user)
        .filter(status=Status.RECEIVED)
        .select_related("client", "organisation", "municipality")
        .annotate(
            referral_count=Count("referrals"),
            self_registered=Exists(Referral.objects.filter(case=OuterRef("pk"), source=ReferralSource.SELF)),
        )
        .order_by("-urgency", "received_at", "pk")
    )


def my_cases(user, *, include_closed: bool = False) -> QuerySet[Case]:
    cases = access.visible_cases(user).filter(nurse=user)
    if not include_closed:
        cases = cases.exclude(status=Status.CLOSED)
    return cases.select_related("client", "municipality").order_by("due_date", "pk")


def team_cases(user, *, nurse_id: int | None = None, status: str = "") -> QuerySet[Case]:
    """Open cases of the planner's organisation(s), optionally for one nurse or status."""
    organisations = [m.organisation_id for m in access.memberships_with(user, Role.PLANNER)]
    cases = access.visible_cases(user).filter(organisation_id__in=organisations).exclude(status=Status.CLOSED)
    if nurse_id:
        cases = cases.filter(nurse_id=nurse_id)
    if status:
        cases = cases.filter(status=status)
    return cases.select_related("client", "nurse", "municipality").order_by("due_date", "pk")


def nurse_caseloads(organisation: Organisation) -> list:
    """The organisation's nurses, each with her number of open cases, least loaded first."""
    from .services import nurses_of

    # Counted per nurse by a subquery, which reads her open cases only (index case_open_organisation); a join
    # to her cases would read every case she ever had.
    open_cases = (
        Case.objects.filter(nurse=OuterRef("pk"), organisation=organisation)
        .exclude(status=Status.CLOSED)
        .order_by()
        .values("nurse")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        nurses_of(organisation)
        .annotate(open_cases=Coalesce(Subquery(open_cases), 0))
        .order_by("open_cases", "full_name")
    )


def case_timeline(case: Case):
    return case.events.select_related("actor").order_by("at", "pk")


def case_referrals(case: Case):
    return (
        case.referrals.select_related("referrer", "referrer_organisation", "self_registration")
        .prefetch_related("domains")
        .order_by("created_at")
    )
