"""manage.py generate_synthetic --cases N: a synthetic country for the benchmarks (see docs/benchmarks.md)."""

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from kansrijk.monitoring import synthetic


class Command(BaseCommand):
    help = (
        "Build a synthetic country (342 municipalities in 25 regions, about 170,000 live births a year) and grow "
        "it to N cases over the last 20 years, with referrals, visits, follow-ups, gaps, feedback and audit rows. "
        "Running it again with a larger N adds cases; it never removes any. Invented data only: never run this "
        "on a production database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, required=True)
        parser.add_argument("--years", type=int, default=20)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, cases, years, seed, **options):
        started = time.monotonic()
        with transaction.atomic():
            synthetic.build_country(years=years, seed=seed)
        self.stdout.write(f"country ready in {time.monotonic() - started:.1f} s")

        def progress(done, total):
            if done == total or done % 20_000 < 300:
                self.stdout.write(f"  {done:,} / {total:,} cases  ({time.monotonic() - started:.0f} s)")

        with transaction.atomic():
            added = synthetic.grow_country(cases, years=years, seed=seed, progress=progress)
        self.stdout.write(self.style.SUCCESS(f"{added:,} cases added in {time.monotonic() - started:.1f} s"))
