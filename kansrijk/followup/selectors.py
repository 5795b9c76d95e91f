"""Reading follow-up referrals. Start from `access.visible_follow_ups`."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from kansrijk import access
from kansrijk.cases.models import Case, Status
from kansrijk.organisations.models import Role
from kansrijk.referrals.models import VulnerabilityDomain
from kansrijk.socialmap.models import Offer
from kansrijk.socialmap.selectors import offer_serves, search_offers

from .models import OPEN_STATUSES, FollowUp, FollowUpStatus, Gap

__all__ = [
    "OPEN_STATUSES",
    "PROVIDER_ALL",
    "PROVIDER_CURRENT",
    "case_domains",
    "case_follow_ups",
    "case_gaps",
    "default_phase",
    "domain_for_case",
    "follow_up_events",
    "is_stagnating",
    "offer_for_case",
    "offers_for_case",
    "provider_follow_ups",
    "provider_history",
    "region_domains",
    "sent_by",
    "stagnating",
    "stagnating_for_nurse",
    "stagnating_for_team",
]


def stagnating(follow_ups: QuerySet[FollowUp], *, now=None) -> QuerySet[FollowUp]:
    """Follow-ups with no status change for KANSRIJK_STAGNATION_DAYS while support has not started."""
    now = now or timezone.now()
    limit = now - timedelta(days=settings.KANSRIJK_STAGNATION_DAYS)
    return follow_ups.filter(status__in=OPEN_STATUSES, status_changed_at__lt=limit)


def is_stagnating(follow_up: FollowUp, *, now=None) -> bool:
    return stagnating(FollowUp.objects.filter(pk=follow_up.pk), now=now).exists()


def _for_lists(follow_ups: QuerySet[FollowUp]) -> QuerySet[FollowUp]:
    return follow_ups.select_related("case", "case__client", "case__nurse", "offer").order_by("status_changed_at", "pk")


def stagnating_for_nurse(user, *, now=None) -> QuerySet[FollowUp]:
    """Stagnating follow-ups of the open cases assigned to this nurse, longest waiting first."""
    follow_ups = access.visible_follow_ups(user).filter(case__nurse=user).exclude(case__status=Status.CLOSED)
    return _for_lists(stagnating(follow_ups, now=now))


def stagnating_for_team(user, *, now=None) -> QuerySet[FollowUp]:
    """Stagnating follow-ups of the open cases of the planner's organisation(s), longest waiting first."""
    organisations = [m.organisation_id for m in access.memberships_with(user, Role.PLANNER)]
    follow_ups = (
        access.visible_follow_ups(user)
        .filter(case__organisation_id__in=organisations)
        .exclude(case__status=Status.CLOSED)
    )
    return _for_lists(stagnating(follow_ups, now=now))


def case_follow_ups(case: Case, *, now=None) -> list[FollowUp]:
    """The case's follow-ups, oldest first, each with `is_stagnating` set."""
    follow_ups = case.follow_ups.select_related("offer", "domain")
    stalled = set(stagnating(follow_ups, now=now).values_list("pk", flat=True))
    rows = list(follow_ups.order_by("created_at", "pk"))
    for follow_up in rows:
        follow_up.is_stagnating = follow_up.pk in stalled
    return rows


def case_gaps(case: Case) -> QuerySet[Gap]:
    return case.gaps.select_related("domain", "municipality", "created_by").order_by("-created_at", "-pk")


def follow_up_events(follow_up: FollowUp):
    return follow_up.events.select_related("actor").order_by("at", "pk")


def provider_history(follow_up: FollowUp):
    """What the provider sees of the history: the status changes from sending on, without notes or names."""
    return follow_up.events.exclude(to_status=FollowUpStatus.PROPOSED).order_by("at", "pk")


def sent_by(follow_up: FollowUp):
    """The person who sent the referral (the provider's contact at the JGZ), or None."""
    event = follow_up.events.filter(to_status=FollowUpStatus.SENT).select_related("actor").first()
    return event.actor if event else None


#: The provider's filters besides one status: what still runs at her organisation (not yet started, or started
#: and not yet ended; what she sees first), and everything.
PROVIDER_CURRENT = "current"
PROVIDER_ALL = "all"


def provider_follow_ups(user, *, status: str = PROVIDER_ALL) -> QuerySet[FollowUp]:
    """Follow-up referrals sent to the provider user's organisation(s), newest change first. `status`: one
    status, PROVIDER_CURRENT or PROVIDER_ALL."""
    follow_ups = (
        access.visible_follow_ups(user)
        .filter(offer__provider_id__in=access.provider_organisation_ids(user))
        .exclude(status=FollowUpStatus.PROPOSED)
    )
    if status == PROVIDER_CURRENT:
        follow_ups = follow_ups.filter(status__in=[*OPEN_STATUSES, FollowUpStatus.STARTED])
    elif status and status != PROVIDER_ALL:
        follow_ups = follow_ups.filter(status=status)
    return follow_ups.select_related("case__client", "offer").order_by("-status_changed_at", "-pk")


# --- Choosing an offer for a case --------------------------------------------------


def case_domains(case: Case) -> QuerySet[VulnerabilityDomain]:
    """The domains the referrers signalled for this case."""
    return VulnerabilityDomain.objects.filter(referrals__case=case).distinct().order_by("order", "name_nl")


def region_domains(case: Case) -> QuerySet[VulnerabilityDomain]:
    """The active domains of the case's region (the catalogue to choose from)."""
    return VulnerabilityDomain.objects.filter(region=case.region, is_active=True)


def domain_for_case(case: Case, pk) -> VulnerabilityDomain | None:
    return region_domains(case).filter(pk=pk).first() if pk else None


def default_phase(case: Case) -> str:
    """ "after_birth" once the baby is born (or the due date has passed), else "pregnancy"."""
    if case.birth_date is not None or case.due_date < timezone.localdate():
        return "after_birth"
    return "pregnancy"


def offers_for_case(
    case: Case, *, domains=None, phase: str = "", language: str = "", everywhere: bool = False
) -> list[Offer]:
    """Active offers of the case's region for these domains (any of them; None: every domain),
    phase and language; only those serving the client's municipality unless `everywhere`.

    Each offer carries `serves` (it serves the client's municipality) and `open_follow_up`
    (this case's open follow-up to it, or None). Offers that serve her come first.
    """
    offers = search_offers(
        region=case.region,
        municipality=None if everywhere else case.municipality,
        phase=phase,
        language=language,
    )
    if not everywhere and case.municipality is None:
        offers = offers.none()
    if domains is not None:
        # EXISTS, not a join: an offer for two of the domains is listed once.
        offers = offers.filter(
            Exists(Offer.domains.through.objects.filter(offer_id=OuterRef("pk"), vulnerabilitydomain__in=list(domains)))
        )
    open_follow_ups = {f.offer_id: f for f in case.follow_ups.filter(status__in=OPEN_STATUSES)}
    rows = list(offers)
    for offer in rows:
        offer.serves = offer_serves(offer, case.municipality)
        offer.open_follow_up = open_follow_ups.get(offer.pk)
    rows.sort(key=lambda o: not o.serves)
    return rows


def offer_for_case(case: Case, pk) -> Offer | None:
    """An active offer of the case's region (the social map is not client data)."""
    return Offer.objects.filter(region=case.region, is_active=True, pk=pk).first()
