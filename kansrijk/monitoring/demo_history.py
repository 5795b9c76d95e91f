"""Three years of (invented) history for the demo region, so the figures pages show real-looking numbers.

About 8 % of the live births in each demo municipality, referred by the demo organisations, visited by the
demo nurses and referred on to the demo offers. Every history case is closed and ended at least four months
ago, so no one's work list fills up with them. Idempotent: nothing is added when the history is there.
"""

import random
from datetime import date, timedelta

from django.utils import timezone

from kansrijk.clients.models import Client
from kansrijk.referrals.models import VulnerabilityDomain
from kansrijk.socialmap.models import Offer

from .models_births import LiveBirths
from .synthetic import Place, Writer, add_cases

RATE = 0.08
YEARS = 3


def load(context) -> None:
    municipalities = list(context.municipalities.values())
    if Client.objects.filter(last_name__startswith="Synthetisch", cases__municipality__in=municipalities).exists():
        return
    orgs = context.organisations
    rng = random.Random(2026)
    nurses = [context.users["jvp1"], context.users["jvp2"]]
    offers = [
        (offer.pk, [d.pk for d in offer.domains.all()])
        # Not the demo provider's offers: her list shows the demo's own follow-ups, not years of history.
        for offer in Offer.objects.filter(region=context.region, is_active=True)
        .exclude(provider=orgs["aanbieder"])
        .prefetch_related("domains")
    ]
    domains = list(VulnerabilityDomain.objects.filter(region=context.region).values_list("pk", flat=True))
    today = timezone.localdate()
    start, end = date(today.year - YEARS, 1, 1), today - timedelta(days=120)
    writer = Writer(chunk=5_000)
    for municipality in municipalities:
        latest = LiveBirths.objects.filter(municipality=municipality).order_by("-year").first()
        births = latest.count if latest else 100
        place = Place(
            municipality=municipality,
            births_per_year=births,
            region_id=context.region.pk,
            jgz=orgs["jgz"],
            nurses=nurses,
            referrer_orgs={
                "midwife": orgs["vlk1"] if municipality.name == "Maastricht" else orgs["vlk2"],
                "maternity": orgs["kraam"],
                "gp": orgs["ha"],
            },
            offers=offers,
            domain_ids=domains,
        )
        n = round(births * RATE * (end - start).days / 365)
        add_cases(place, n, start=start, end=end, rng=rng, writer=writer, closed_only=True, audit=False)
    writer.flush()
