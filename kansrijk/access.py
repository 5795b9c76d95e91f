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
- A **provider** sees only the follow-up referrals sent to her organisation,
  with what the family agreed to share — never the case itself.
- A **municipality officer** and **privacy officer** see no individual case
  (the privacy officer sees the audit log).
- **Figures** (monitoring): a municipality officer sees the aggregates of her own
  municipalities; a **region coordinator** those of every municipality of her
  organisation's region, side by side. Never an individual record.
- **Desk questions** are read and answered by planners and nurses of the JGZ
  organisation they were routed to, and by functional administrators (those no JGZ
  serves in their region); a question without a municipality by every answerer.
  Functional administrators edit the desk's pages. The public desk itself needs no
  login and shows no one's data.

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


def can_work_on(user, case) -> bool:
    """Record contacts, visits, assessment, plan, follow-up, gaps and feedback on an open case:
    the assigned nurse, or a planner of the case's organisation."""
    if not case.is_open or case.nurse_id is None:
        return False
    m = membership_for_case(user, case)
    if m is None:
        return False
    return m.role == Role.PLANNER or (m.role == Role.NURSE and case.nurse_id == user.pk)


# --- Follow-up referrals (the provider's view) --------------------------------


def provider_organisation_ids(user) -> set[int]:
    return {m.organisation_id for m in memberships_with(user, Role.PROVIDER)}


def visible_follow_ups(user):
    """Follow-up referrals: a provider sees only those sent to her organisation; JGZ staff
    those of the cases they see. A proposal not yet sent is the JGZ's own business."""
    from kansrijk.followup.models import FollowUp

    provider_orgs = provider_organisation_ids(user)
    q = Q(case__in=visible_cases(user).values("pk"))
    if provider_orgs:
        # Only what was really sent: a proposal (even one the family declined) stays with the JGZ.
        q |= Q(offer__provider_id__in=provider_orgs, sent_at__isnull=False)
    return FollowUp.objects.filter(q)


def get_follow_up_for_provider(request: HttpRequest, pk: int, *, action: str = Action.READ):
    """One follow-up referral sent to the provider's organisation, audited; 404 otherwise."""

    provider_orgs = provider_organisation_ids(request.user)
    follow_up = (
        visible_follow_ups(request.user)
        .filter(offer__provider_id__in=provider_orgs)
        .filter(sent_at__isnull=False)
        .select_related("case", "case__client", "offer", "domain")
        .filter(pk=pk)
        .first()
    )
    if follow_up is None:
        raise AccessDenied("follow-up referral (provider)", action=action)
    membership = next(
        m for m in memberships_with(request.user, Role.PROVIDER) if m.organisation_id == follow_up.offer.provider_id
    )
    audit_log(
        request,
        action=action,
        description="follow-up referral (provider)",
        membership=membership,
        client_id=follow_up.case.client_id,
        case_id=follow_up.case_id,
    )
    return follow_up


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
    provider: bool
    social_map: bool
    admin_site: bool
    questions: bool
    desk_pages: bool
    agreements: bool
    evaluation: bool
    evaluation_results: bool


def capabilities(user) -> Capabilities:
    r = roles(user)
    return Capabilities(
        refer=Role.REFERRER in r,
        intake=bool(r & {Role.PLANNER, Role.ADMINISTRATOR}),
        team=Role.PLANNER in r,
        my_cases=Role.NURSE in r,
        audit=Role.PRIVACY_OFFICER in r,
        monitoring=bool(r & {Role.MUNICIPALITY_OFFICER, Role.REGION_COORDINATOR}),
        provider=Role.PROVIDER in r,
        social_map=bool(
            r & {Role.REFERRER, Role.PLANNER, Role.NURSE, Role.MUNICIPALITY_OFFICER, Role.ADMINISTRATOR, Role.PROVIDER}
        ),
        admin_site=bool(user.is_authenticated and user.is_staff),
        questions=can_answer_questions(user),
        desk_pages=can_edit_desk(user),
        agreements=bool(agreement_region_ids(user)),
        evaluation=bool(r & set(EVALUATION_PROFESSIONALS)),
        evaluation_results=bool(r & {Role.MUNICIPALITY_OFFICER, Role.REGION_COORDINATOR, Role.PLANNER}),
    )


def require(condition: bool, description: str) -> None:
    """Refuse a page that the user's roles do not include, as 404 with an audit row."""
    if not condition:
        raise AccessDenied(description)


# --- Follow-up referrals: who acts on one (appended for issue 3) -----------------


def follow_up_side(user, follow_up) -> str | None:
    """The side a user acts for on a follow-up referral: "jgz" (the case's nurse or a planner,
    while the case is open), "provider" (a user of the offer's provider, once it was sent), or None."""
    from kansrijk.followup.workflow import JGZ, PROVIDER

    if can_work_on(user, follow_up.case):
        return JGZ
    if follow_up.sent_at is not None and follow_up.offer.provider_id in provider_organisation_ids(user):
        return PROVIDER
    return None


def can_change_follow_up(user, follow_up, change) -> bool:
    """Whether the user may make this change (`followup.workflow.CHANGES`) now."""
    return follow_up_side(user, follow_up) in change.sides and follow_up.status in change.sources


# --- The social map: who reads it, who maintains which offer (appended for issue 3) ---


def social_map_region_ids(user) -> set[int]:
    """The regions whose social map the user reads: those of her organisations, if her roles include it.
    The social map holds no client data; reading it writes no audit row."""
    if not capabilities(user).social_map:
        return set()
    return {m.organisation.region_id for m in memberships(user)}


def _offer_scope(user) -> tuple[dict[int, Membership], dict[int, Membership]]:
    """Who maintains what, loaded once per request: ({region id: administrator membership},
    {municipality id: municipality officer membership})."""
    cached = getattr(user, "_kansrijk_offer_scope", None)
    if cached is None:
        regions: dict[int, Membership] = {}
        for m in memberships_with(user, Role.ADMINISTRATOR):
            regions.setdefault(m.organisation.region_id, m)
        municipalities: dict[int, Membership] = {}
        officers = memberships_with(user, Role.MUNICIPALITY_OFFICER)
        if officers:
            through = Membership.municipalities.through
            for membership_id, municipality_id in through.objects.filter(
                membership_id__in=[m.pk for m in officers]
            ).values_list("membership_id", "municipality_id"):
                municipalities.setdefault(municipality_id, next(m for m in officers if m.pk == membership_id))
        cached = (regions, municipalities)
        user._kansrijk_offer_scope = cached
    return cached


def can_maintain_social_map(user) -> bool:
    """Functional administrators (their region) and municipality officers (their municipalities)."""
    regions, municipalities = _offer_scope(user)
    return bool(regions or municipalities)


def offer_maintenance_membership(user, *, region_id: int, municipality_ids) -> Membership | None:
    """The membership through which the user maintains an offer of `region_id` serving `municipality_ids`:
    an administrator of the region, or a municipality officer of one of those municipalities; else None."""
    regions, municipalities = _offer_scope(user)
    if region_id in regions:
        return regions[region_id]
    return next((municipalities[pk] for pk in sorted(municipality_ids) if pk in municipalities), None)


def can_maintain_offer(user, offer) -> bool:
    """Change the offer or mark it checked (uses prefetched municipalities when there)."""
    ids = {m.pk for m in offer.municipalities.all()}
    return offer_maintenance_membership(user, region_id=offer.region_id, municipality_ids=ids) is not None


def can_deactivate_offer(user, offer) -> bool:
    """An administrator of the region; a municipality officer only when the offer serves her municipalities
    alone (for an offer shared with other municipalities she takes hers off instead)."""
    regions, municipalities = _offer_scope(user)
    if offer.region_id in regions:
        return True
    ids = {m.pk for m in offer.municipalities.all()}
    return bool(ids) and ids <= set(municipalities)


def offer_municipality_ids_for(user, region_id: int) -> set[int] | None:
    """The municipalities the user may put on an offer of this region: None means all of the region
    (administrator); otherwise the officer's own municipalities (possibly none)."""
    regions, municipalities = _offer_scope(user)
    if region_id in regions:
        return None
    return set(municipalities)


def maintainable_offers(user):
    """The offers this user may change, as a queryset to narrow further."""
    from kansrijk.socialmap.models import Offer

    regions, municipalities = _offer_scope(user)
    if not (regions or municipalities):
        return Offer.objects.none()
    serving = Offer.municipalities.through.objects.filter(municipality_id__in=list(municipalities))
    return Offer.objects.filter(Q(region_id__in=list(regions)) | Q(pk__in=serving.values("offer_id")))


def get_offer(request: HttpRequest, pk: int, *, maintain: bool = False, action: str = Action.READ):
    """One offer of the user's regions (or, with `maintain`, one she may change); 404 otherwise."""
    from kansrijk.socialmap.models import Offer

    offers = (
        maintainable_offers(request.user)
        if maintain
        else Offer.objects.filter(region_id__in=social_map_region_ids(request.user))
    )
    offer = offers.select_related("region", "provider", "last_checked_by", "maintainer").filter(pk=pk).first()
    if offer is None:
        raise AccessDenied("social map offer (maintenance)" if maintain else "social map offer", action=action)
    return offer


# --- The public desk: who answers questions, who edits the pages (appended for issue 4) ---


def question_memberships(user) -> list[Membership]:
    """The memberships through which the user answers desk questions: planner or nurse of a JGZ
    organisation, or functional administrator."""
    return [
        m
        for m in memberships(user)
        if (m.role in (Role.PLANNER, Role.NURSE) and m.organisation.kind == OrganisationKind.JGZ)
        or m.role == Role.ADMINISTRATOR
    ]


def visible_questions(user):
    """Questions this user may read and answer.

    Those routed to her JGZ organisation; for a functional administrator also those of her region
    that no JGZ organisation serves. A question without a municipality cannot be routed: every
    answerer sees it (a deployment normally serves one region).
    """
    from kansrijk.desk.models import Question

    members = question_memberships(user)
    if not members:
        return Question.objects.none()
    q = Q(organisation__isnull=True, region__isnull=True)
    for m in members:
        if m.role == Role.ADMINISTRATOR:
            q |= Q(organisation__isnull=True, region_id=m.organisation.region_id)
        else:
            q |= Q(organisation_id=m.organisation_id)
    return Question.objects.filter(q)


def membership_for_question(user, question) -> Membership | None:
    members = question_memberships(user)
    for m in members:
        if m.role != Role.ADMINISTRATOR and m.organisation_id == question.organisation_id:
            return m
    return members[0] if members else None


def get_question(request: HttpRequest, pk: int, *, action: str = Action.READ):
    """One visible question, its access written to the audit log; 404 (and a logged refusal) otherwise."""
    question = visible_questions(request.user).select_related("municipality", "answered_by").filter(pk=pk).first()
    if question is None:
        raise AccessDenied("desk question", action=action)
    audit_log(
        request,
        action=action,
        description=f"desk question {question.reference}",
        membership=membership_for_question(request.user, question),
    )
    return question


def can_answer_questions(user) -> bool:
    return bool(question_memberships(user))


def can_edit_desk(user) -> bool:
    """Functional administrators edit the public pages and the frequently asked questions."""
    return has_role(user, Role.ADMINISTRATOR)


# --- Figures (monitoring, issue 5): whose aggregates a user sees ------------------


def monitoring_scope(user) -> dict:
    """The municipalities whose figures the user sees, by id, loaded once per request: a municipality
    officer her own municipalities; a region coordinator every municipality of her organisation's region."""
    from kansrijk.organisations.models import Municipality

    cached = getattr(user, "_kansrijk_monitoring_scope", None)
    if cached is None:
        officer_ids = [m.pk for m in memberships_with(user, Role.MUNICIPALITY_OFFICER)]
        region_ids = monitoring_region_ids(user)
        q = Q(pk__in=[])
        if officer_ids:
            q |= Q(
                pk__in=Membership.municipalities.through.objects.filter(membership_id__in=officer_ids).values(
                    "municipality_id"
                )
            )
        if region_ids:
            q |= Q(region_id__in=region_ids)
        cached = {m.pk: m for m in Municipality.objects.filter(q).select_related("region").order_by("name")}
        user._kansrijk_monitoring_scope = cached
    return cached


def monitoring_region_ids(user) -> set[int]:
    """The regions a user coordinates (and sees as a whole, municipalities side by side)."""
    return {m.organisation.region_id for m in memberships_with(user, Role.REGION_COORDINATOR)}


def can_monitor(user) -> bool:
    return bool(monitoring_scope(user))


# --- Agreements register (issue 5) ---------------------------------------------

#: Roles that keep the agreements register of their region (read and change).
AGREEMENT_EDITORS = (Role.MUNICIPALITY_OFFICER, Role.REGION_COORDINATOR, Role.PLANNER, Role.ADMINISTRATOR)


def agreement_region_ids(user, *, edit: bool = False) -> set[int]:
    """Regions whose agreements the user sees: officers, coordinators, JGZ planners and administrators keep
    their region's register; referrers and providers read it (edit=False) — only the agreements their
    organisation is a party to (see `visible_agreements`)."""
    roles_wanted = AGREEMENT_EDITORS if edit else (*AGREEMENT_EDITORS, Role.REFERRER, Role.PROVIDER)
    return {m.organisation.region_id for m in memberships(user) if m.role in roles_wanted}


def visible_agreements(user):
    from kansrijk.agreements.models import Agreement

    editor_regions = agreement_region_ids(user, edit=True)
    party_orgs = [m.organisation_id for m in memberships(user) if m.role in (Role.REFERRER, Role.PROVIDER)]
    # Party by a subquery, not a join: a join repeats an agreement per party, and the DISTINCT it then needs
    # compares every column of the list's rows (with their owner and region) before it can page them.
    parties = Agreement.parties.through.objects.filter(organisation_id__in=party_orgs).values("agreement_id")
    return Agreement.objects.filter(Q(region_id__in=editor_regions) | Q(pk__in=parties))


def can_edit_agreement(user, agreement) -> bool:
    return agreement.region_id in agreement_region_ids(user, edit=True)


# --- Evaluation (issue 5) ----------------------------------------------------------

#: Who answers the professionals' questionnaire: the people who work in the chain.
EVALUATION_PROFESSIONALS = (Role.REFERRER, Role.NURSE, Role.PLANNER, Role.PROVIDER)


def evaluation_professional_membership(user) -> Membership | None:
    return next((m for m in memberships(user) if m.role in EVALUATION_PROFESSIONALS), None)


def evaluation_results_scope(user) -> tuple[set[int], set[int], set[int]]:
    """(municipality ids for the parents' answers, region ids for the professionals' answers, JGZ organisation
    ids whose parents' free texts the user reads). Officers and coordinators see their municipalities (and
    their regions); a JGZ planner the municipalities her organisation serves and her region — and, as the one
    who improves the visits, her organisation's free texts."""
    municipalities = set(monitoring_scope(user))
    regions = {m.region_id for m in monitoring_scope(user).values()}
    free_text_orgs = set()
    planner_orgs = [m.organisation for m in memberships_with(user, Role.PLANNER) if m.organisation.kind == "jgz"]
    for organisation in planner_orgs:
        municipalities |= set(organisation.municipalities_served.values_list("pk", flat=True))
        regions.add(organisation.region_id)
        free_text_orgs.add(organisation.pk)
    return municipalities, regions, free_text_orgs
