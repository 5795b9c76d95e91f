"""The access layer: the one place that decides who may see and do what.

Every view, export and (later) API handler fetches client data through the
functions here, never with a bare `Model.objects.get`. The rules:

- A **planner** sees every case of her JGZ organisation(s).
- A **nurse** sees the cases assigned to her; also her team's cases where the
  organisation has `nurses_see_team_cases` switched on.
- A **functional administrator** sees the cases that no JGZ organisation serves
  yet (postcode outside every served municipality) in her region, to route them.
- A **referrer** sees only her own referrals, and of the case only what the
  woman consented to share.
- A **municipality officer**, **privacy officer** and **provider** see no
  individual case (the privacy officer sees the audit log).

A record that exists but is not visible answers 404, exactly like one that does
not exist, and the refusal is written to the audit log.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404, HttpRequest

from kansrijk.audit.models import Action
from kansrijk.audit.services import audit_log
from kansrijk.organisations.models import Membership, OrganisationKind, Role


class AccessDenied(Http404):
    """Not visible to this user; answered as 404 and written to the audit log."""

    def __init__(self, description: str, *, action: str = Action.READ, case_id=None, client_id=None):
        super().__init__(description)
        self.description = description
        self.action = action
        self.case_id = case_id
        self.client_id = client_id


def memberships(user) -> list[Membership]:
    """The user's active memberships, loaded once per request."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_kansrijk_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user, is_active=True)
            .select_related("organisation", "organisation__region")
            .order_by("pk")
        )
        user._kansrijk_memberships = cached
    return cached


def roles(user) -> set[str]:
    return {m.role for m in memberships(user)}


def has_role(user, *wanted: str) -> bool:
    return bool(roles(user) & set(wanted))


def memberships_with(user, role: str) -> list[Membership]:
    return [m for m in memberships(user) if m.role == role]


# --- Cases -------------------------------------------------------------------


def _case_filter(user) -> Q | None:
    q = Q(pk__in=[])
    granted = False
    for m in memberships(user):
        if m.role == Role.PLANNER and m.organisation.kind == OrganisationKind.JGZ:
            q |= Q(organisation_id=m.organisation_id)
            granted = True
        elif m.role == Role.NURSE and m.organisation.kind == OrganisationKind.JGZ:
            q |= Q(organisation_id=m.organisation_id, nurse=user)
            if m.organisation.nurses_see_team_cases:
                q |= Q(organisation_id=m.organisation_id)
            granted = True
        elif m.role == Role.ADMINISTRATOR:
            q |= Q(organisation__isnull=True, region_id=m.organisation.region_id)
            granted = True
    return q if granted else None


def visible_cases(user):
    """All cases this user may see, as a queryset to narrow further."""
    from kansrijk.cases.models import Case

    q = _case_filter(user)
    if q is None:
        return Case.objects.none()
    return Case.objects.filter(q)


def membership_for_case(user, case) -> Membership | None:
    """The membership through which the user reaches this case (for the audit log)."""
    for m in memberships(user):
        if m.role == Role.PLANNER and m.organisation_id == case.organisation_id:
            return m
    for m in memberships(user):
        if m.role == Role.NURSE and m.organisation_id == case.organisation_id:
            return m
    for m in memberships(user):
        if m.role == Role.ADMINISTRATOR and case.organisation_id is None and m.organisation.region_id == case.region_id:
            return m
    return None


def get_case(request: HttpRequest, pk: int, *, action: str = Action.READ, description: str = "case page"):
    """Fetch one visible case and write the access to the audit log, or refuse with 404."""
    case = (
        visible_cases(request.user)
        .select_related("client", "organisation", "municipality", "nurse", "region")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise AccessDenied(description, action=action, case_id=pk)
    audit_log(
        request,
        action=action,
        description=description,
        membership=membership_for_case(request.user, case),
        client_id=case.client_id,
        case_id=case.pk,
    )
    return case


def can_transition(user, case, transition) -> bool:
    membership = membership_for_case(user, case)
    if membership is None or membership.role not in transition.roles:
        return False
    if membership.role == Role.NURSE and case.nurse_id != user.pk:
        return False
    return case.status in transition.sources


def can_reassign(user, case) -> bool:
    """The planner of the case's organisation may give an open, assigned case to another nurse."""
    from kansrijk.cases.workflow import OPEN_STATUSES

    m = membership_for_case(user, case)
    return m is not None and m.role == Role.PLANNER and case.status in OPEN_STATUSES


def can_route(user, case) -> bool:
    """Administrators route cases that no JGZ organisation serves."""
    m = membership_for_case(user, case)
    return m is not None and m.role == Role.ADMINISTRATOR and case.organisation_id is None


# --- Referrals (the referrer's view) ------------------------------------------


def own_referrals(user):
    from kansrijk.referrals.models import Referral

    if not has_role(user, Role.REFERRER):
        return Referral.objects.none()
    return Referral.objects.filter(referrer=user)


def get_own_referral(request: HttpRequest, pk: int):
    referral = (
        own_referrals(request.user)
        .select_related("case", "case__client", "referrer_organisation")
        .filter(pk=pk)
        .first()
    )
    if referral is None:
        raise AccessDenied("referral page (referrer)", case_id=None)
    audit_log(
        request,
        action=Action.READ,
        description="referral page (referrer)",
        membership=referrer_membership(request.user, referral.referrer_organisation_id),
        client_id=referral.case.client_id,
        case_id=referral.case_id,
    )
    return referral


def referrer_sees_progress(referral) -> bool:
    """A referrer learns how the case goes only when the woman consented to feedback."""
    return referral.consent_feedback


def referrer_membership(user, organisation_id) -> Membership | None:
    for m in memberships_with(user, Role.REFERRER):
        if m.organisation_id == organisation_id:
            return m
    return None


# --- Pages by role --------------------------------------------------------------


@dataclass(frozen=True)
class Capabilities:
    refer: bool
    intake: bool
    team: bool
    my_cases: bool
    audit: bool
    monitoring: bool
    admin_site: bool


def capabilities(user) -> Capabilities:
    r = roles(user)
    return Capabilities(
        refer=Role.REFERRER in r,
        intake=bool(r & {Role.PLANNER, Role.ADMINISTRATOR}),
        team=Role.PLANNER in r,
        my_cases=Role.NURSE in r,
        audit=Role.PRIVACY_OFFICER in r,
        monitoring=Role.MUNICIPALITY_OFFICER in r,
        admin_site=bool(user.is_authenticated and user.is_staff),
    )


def require(condition: bool, description: str) -> None:
    """Refuse a page that the user's roles do not include, as 404 with an audit row."""
    if not condition:
        raise AccessDenied(description)
