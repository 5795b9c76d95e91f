"""Demo follow-up referrals and gaps, loaded by `manage.py load_demo`. Idempotent.

Through the services, acting as the case's nurse or the demo provider; afterwards the
timestamps are moved back (the demo only) so the history looks lived-in and one
referral is stagnating. Needs the social map's demo offers: without offers of the demo
provider ("aanbieder"), the follow-ups are skipped.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from kansrijk.referrals.models import VulnerabilityDomain
from kansrijk.socialmap.models import Offer

from .models import FollowUp, FollowUpEvent, FollowUpStatus, GapReason
from .services import follow_up_change, follow_up_propose, follow_up_send, gap_record

OUTSIDE_AREA = "Demo: het dichtstbijzijnde aanbod met plek; mevrouw kan er met de bus komen."

#: Per case: (offer choice, steps after proposing, days ago it began, what the family agreed to share).
#: Offer choice "own" takes the next offer of the demo provider, "other" any other offer.
PLANS = {
    "c7": [
        (
            "own",
            ["send"],
            settings.KANSRIJK_STAGNATION_DAYS + 6,
            "Moeder van een eerste kindje, zwanger van 30 weken. Zoekt een steunouder voor de eerste maanden; "
            "voorkeur voor contact op dinsdag of donderdag.",
        ),
        (
            "own",
            ["send", "accept", "waiting_list"],
            6,
            "Alleenstaande moeder, wil graag praktische steun na de bevalling. Liever geen huisbezoek op maandag.",
        ),
        (
            "other",
            ["send", "accept", "start"],
            10,
            "Vraag over opvoeden en slaapritme; ouders willen samen een cursus volgen.",
        ),
        ("other", ["send", "accept", "start", "end"], 12, "Hulp bij het ordenen van de post en een budgetplan."),
        (
            "other",
            ["send", "decline_provider"],
            8,
            "Gezin zoekt een maatje voor wekelijkse wandelingen en contact in de wijk.",
        ),
        ("other", ["decline_family"], 4, ""),
    ],
    "c5": [
        (
            "own",
            ["send", "accept"],
            2,
            "Moeder wil graag iemand om mee te praten over de zwangerschap en de eerste weken thuis. "
            "Spreekt Nederlands en Turks.",
        ),
    ],
    "c6": [
        ("own", [], 1, ""),
    ],
}

REASONS = {
    "decline_provider": (
        "Geen plek voor nieuwe gezinnen tot na de zomer. Wij hebben de verpleegkundige een alternatief genoemd."
    ),
    "decline_family": "Mevrouw wil eerst zelf haar familie om hulp vragen; nu geen hulp van buiten gewenst.",
}

GAPS = [
    (
        "c6",
        "housing",
        GapReason.WAITING_TOO_LONG,
        "",
        "Woonruimte voor moeder en baby vóór de bevalling; de huidige kamer is te klein en vochtig. "
        "De wachttijd voor sociale huur is ruim twee jaar.",
    ),
    (
        "c4",
        "language",
        GapReason.LANGUAGE,
        "",
        "Een zwangerschapscursus of oudergroep in het Oekraïens of Russisch in de buurt van Beek.",
    ),
]


def load(context) -> None:
    provider_org = context.organisations["aanbieder"]
    own = list(Offer.objects.filter(region=context.region, provider=provider_org, is_active=True).order_by("pk"))
    others = list(
        Offer.objects.filter(region=context.region, is_active=True).exclude(provider=provider_org).order_by("pk")
    )
    if own:
        for key, plan in PLANS.items():
            _load_case(context, context.cases[key], plan, own, others)
    for key, domain_code, reason, explanation, need in GAPS:
        _load_gap(context, context.cases[key], domain_code, reason, explanation, need)


def _pick(case, candidates: list[Offer], used: set[int]) -> Offer | None:
    """The first candidate not used yet in this case, those serving her municipality first."""
    serving = set(case.municipality.offers.values_list("pk", flat=True)) if case.municipality else set()
    for offer in sorted(candidates, key=lambda o: o.pk not in serving):
        if offer.pk not in used:
            return offer
    return None


def _load_case(context, case, plan, own, others) -> None:
    if case.follow_ups.exists():
        return
    nurse = case.nurse
    provider_user = context.users["aanbieder"]
    used: set[int] = set()
    for choice, steps, days_ago, shared in plan:
        offer = _pick(case, own if choice == "own" else others, used) or _pick(case, own + others, used)
        if offer is None:
            continue
        used.add(offer.pk)
        serves = case.municipality is not None and offer.municipalities.filter(pk=case.municipality_id).exists()
        follow_up, _created = follow_up_propose(
            request=context.request_for(nurse),
            case=case,
            offer=offer,
            domain=offer.domains.filter(pk__in=VulnerabilityDomain.objects.filter(referrals__case=case)).first(),
            outside_area_reason="" if serves else OUTSIDE_AREA,
        )
        for step in steps:
            if step == "send":
                follow_up_send(
                    request=context.request_for(nurse),
                    follow_up=follow_up,
                    shared_with_provider=shared,
                    share_phone=True,
                    consent=True,
                )
                continue
            by_provider = offer.provider_id == context.organisations["aanbieder"].pk and step != "decline_family"
            follow_up_change(
                request=context.request_for(provider_user if by_provider else nurse),
                follow_up=follow_up,
                name=step,
                reason=REASONS.get(step, ""),
                expected_start=timezone.localdate() + timedelta(weeks=3) if step == "waiting_list" else None,
            )
        _backdate(follow_up, days_ago)


def _backdate(follow_up: FollowUp, days: int) -> None:
    """Demo only: let the history begin `days` ago, one day between its steps."""
    start = timezone.now() - timedelta(days=days)
    changes: dict = {}
    for i, event in enumerate(follow_up.events.order_by("at", "pk")):
        at = start + timedelta(days=i)
        FollowUpEvent.objects.filter(pk=event.pk).update(at=at)
        changes.setdefault("created_at", at)
        changes["status_changed_at"] = at
        if event.to_status == FollowUpStatus.SENT:
            changes["sent_at"] = at
    FollowUp.objects.filter(pk=follow_up.pk).update(**changes)


def _load_gap(context, case, domain_code, reason, explanation, need) -> None:
    if case.gaps.exists() or case.nurse is None:
        return
    domain = VulnerabilityDomain.objects.filter(region=context.region, code=domain_code).first()
    if domain is None:
        return
    gap_record(
        request=context.request_for(case.nurse),
        case=case,
        domain=domain,
        need=need,
        reason=reason,
        explanation=explanation,
    )
