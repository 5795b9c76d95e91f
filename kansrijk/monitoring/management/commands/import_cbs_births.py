"""manage.py import_cbs_births FILE [--dry-run] [--source TEXT]: see kansrijk/monitoring/births.py for the format."""

from django.core.management.base import BaseCommand, CommandError

from kansrijk.monitoring.births import DEFAULT_SOURCE, import_births


class Command(BaseCommand):
    help = "Import live births per municipality and year from a CBS StatLine CSV export (37259eng/37259ned)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Check and report, write nothing.")
        parser.add_argument("--source", default=DEFAULT_SOURCE, help="Stored when the file has no source column.")

    def handle(self, *args, file, dry_run, source, **options):
        try:
            with open(file, encoding="utf-8-sig") as handle:
                text = handle.read()
            result = import_births(text, source=source, dry_run=dry_run)
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        for line, code in result.unknown_codes:
            self.stderr.write(f"line {line}: unknown municipality code {code}")
        for line, message in result.errors:
            self.stderr.write(f"line {line}: {message}")
        prefix = "Dry run, nothing written: " if dry_run else ""
        self.stdout.write(
            f"{prefix}{result.created} created, {result.updated} updated, {result.unchanged} unchanged, "
            f"{len(result.unknown_codes)} unknown code(s), {len(result.errors)} bad row(s)."
            + (f" {result.skipped} row(s) of other regions or of one sex only skipped." if result.skipped else "")
        )
