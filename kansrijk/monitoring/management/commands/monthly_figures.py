"""Check the monthly summary of cases against the cases, or make it again (kansrijk.monitoring.monthly)."""

from django.core.management.base import BaseCommand, CommandError

from kansrijk.monitoring import monthly


class Command(BaseCommand):
    help = "Check the monthly summary of cases (trend charts, reach) against the cases; --rebuild makes it again."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="Make the summary again from the cases.")

    def handle(self, *args, rebuild=False, **options):
        if rebuild:
            rows = monthly.rebuild()
            self.stdout.write(self.style.SUCCESS(f"Monthly summary made again: {rows} rows."))
            return
        wrong = monthly.differences()
        if not wrong:
            self.stdout.write(self.style.SUCCESS("The monthly summary agrees with the cases."))
            return
        for municipality_id, month, have, want in wrong[:20]:
            self.stderr.write(
                f"municipality {municipality_id}, {month:%Y-%m}: summary {have[0]} referred / {have[1]} first visits,"
                f" cases {want[0]} / {want[1]}"
            )
        raise CommandError(f"Months that disagree: {len(wrong)}. Run `manage.py monthly_figures --rebuild`.")
