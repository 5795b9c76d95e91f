"""Demo capacity plans for this year (amounts are examples, not real circular figures). Idempotent."""

from decimal import Decimal as D

from django.utils import timezone

from .models_births import LiveBirths
from .models_planner import CapacityPlan

#: Example amounts per municipality (euro, May and December circular) — demo values, not the real circulars.
BUDGETS = {"Maastricht": (D("62000"), D("4500")), "Heerlen": (D("43000"), D("3000")), "Beek": (D("6500"), D("0"))}


def load(context) -> None:
    year = timezone.localdate().year
    for name, municipality in context.municipalities.items():
        births = LiveBirths.objects.filter(municipality=municipality, year__lte=year).order_by("-year").first()
        may, december = BUDGETS.get(name, (D("10000"), D("0")))
        CapacityPlan.objects.get_or_create(
            municipality=municipality,
            year=year,
            defaults={
                "expected_births": births.count if births else 500,
                "share_vulnerable_pct": D("9"),
                "acceptance_pct": D("75"),
                "visits_per_family": D("3"),
                "hours_per_visit": D("2.5"),
                "hours_per_fte": D("1300"),
                "hourly_rate": D("95"),
                "budget_may": may,
                "budget_december": december,
                "notes": "Demo: voorbeeldbedragen, niet de echte circulaires.",
                "updated_by": context.users["gemeente"],
            },
        )
