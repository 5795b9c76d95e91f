"""manage.py generate_synthetic --cases N: a synthetic country for the benchmarks (see docs/benchmarks.md)."""

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from kansrijk.monitoring import synthetic


class Command(BaseCommand):
    help = (
        "Build a synthetic country (342 municipalities in 25 regions, about 170,000 live births a year) and grow "
        "it to N cases with referrals, visits, follow-ups, gaps, feedback and audit rows. Cases fill back in time "
        "at full density (10 %% of births): 10,000 are the last months, 340,000 twenty years (with --min-years, "
        "fewer regions over more years instead). Running it again with a larger N adds older cases; it never "
        "removes any. Invented data only: never run this on a production database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, required=True)
        parser.add_argument("--years", type=int, default=20, help="Years of live births (CBS) to make.")
        parser.add_argument("--births", type=int, default=170_000, help="Live births a year in the country.")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--min-years",
            type=float,
            default=0,
            help="Cases that would span fewer years in the whole country go to its first regions only (01, 02, …), "
            "as many as they fill for this long: a smaller country, as one JGZ organisation's system would be. "
            "A country that has cases grows in the regions that have them.",
        )

    def handle(self, *args, cases, years, births, seed, min_years, **options):
        started = time.monotonic()
        with transaction.atomic():
            synthetic.build_country(years=years, births=births, seed=seed)
        self.stdout.write(f"country ready in {time.monotonic() - started:.1f} s")

        shown = [0]

        def progress(done, total):  # every tenth
            if done == total or done * 10 // total > shown[0]:
                shown[0] = done * 10 // total
                self.stdout.write(f"  {done:,} / {total:,} cases  ({time.monotonic() - started:.0f} s)")

        regions = None
        if min_years:  # a country that has cases grows in the regions that have them, at the same density
            regions = synthetic.regions_grown() or synthetic.regions_for(cases, years=min_years)
        if regions is not None:
            self.stdout.write(f"cases in regions 01 to {regions:02d} (at least {min_years:g} years)")
        with transaction.atomic():
            added = synthetic.grow_country(cases, seed=seed, regions=regions, progress=progress)
        self.stdout.write(self.style.SUCCESS(f"{added:,} cases added in {time.monotonic() - started:.1f} s"))
