"""manage.py generate_synthetic --cases N: a synthetic country for the benchmarks (see docs/benchmarks.md)."""

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from kansrijk.monitoring import synthetic


class Command(BaseCommand):
    help = (
        "Build a synthetic country (342 municipalities in 25 regions, about 170,000 live births a year) and grow "
        "it to N cases with referrals, visits, follow-ups, gaps, feedback and audit rows. Cases fill back in time "
        "at full density (10 %% of births): 10,000 are the last months, 340,000 twenty years. Running it again "
        "with a larger N adds older cases; it never removes any. Invented data only: never run this on a "
        "production database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, required=True)
        parser.add_argument("--years", type=int, default=20, help="Years of live births (CBS) to make.")
        parser.add_argument("--births", type=int, default=170_000, help="Live births a year in the country.")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, cases, years, births, seed, **options):
        started = time.monotonic()
        with transaction.atomic():
            synthetic.build_country(years=years, births=births, seed=seed)
        self.stdout.write(f"country ready in {time.monotonic() - started:.1f} s")

        shown = [0]

        def progress(done, total):  # every tenth
            if done == total or done * 10 // total > shown[0]:
                shown[0] = done * 10 // total
                self.stdout.write(f"  {done:,} / {total:,} cases  ({time.monotonic() - started:.0f} s)")

        with transaction.atomic():
            added = synthetic.grow_country(cases, seed=seed, progress=progress)
        self.stdout.write(self.style.SUCCESS(f"{added:,} cases added in {time.monotonic() - started:.1f} s"))
