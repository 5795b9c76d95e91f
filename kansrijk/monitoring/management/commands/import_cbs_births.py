"""manage.py import_cbs_births FILE [--dry-run] [--source TEXT]: see kansrijk/monitoring/births.py for the format."""

from django.core.management.base import BaseCommand, CommandError

from kansrijk.monitoring.births import DEFAULT_SOURCE, import_births

#: Unknown codes named one by one; past these, the rest are counted in one line.
UNKNOWN_SHOWN = 10


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
        self._unknown(result.unknown_codes)
        for line, message in result.errors:
            self.stderr.write(f"line {line}: {message}")
        prefix = "Dry run, nothing written: " if dry_run else ""
        self.stdout.write(
            f"{prefix}{result.created} created, {result.updated} updated, {result.unchanged} unchanged, "
            f"{len(result.unknown_codes)} row(s) with an unknown code, {len(result.errors)} bad row(s)."
            + (f" {result.skipped} row(s) of other regions or of one sex only skipped." if result.skipped else "")
        )

    def _unknown(self, unknown_codes: list[tuple[int, str]]) -> None:
        """Each unknown code once, at its first line. A whole country's table names every municipality and
        Kansrijk knows only those of its regions: past the first few, the rest is one line."""
        lines_of: dict[str, list[int]] = {}
        for line, code in unknown_codes:
            lines_of.setdefault(code, []).append(line)
        for code, lines in list(lines_of.items())[:UNKNOWN_SHOWN]:
            more = f" (and {len(lines) - 1} more row(s))" if len(lines) > 1 else ""
            self.stderr.write(f"line {lines[0]}: unknown municipality code {code}{more}")
        rest = list(lines_of.values())[UNKNOWN_SHOWN:]
        if rest:
            self.stderr.write(
                f"... and {len(rest)} more unknown code(s) in {sum(map(len, rest))} row(s): municipalities that "
                "no region in Kansrijk serves (a whole country's table names all of them), or codes to check."
            )
