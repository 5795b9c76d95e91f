"""Import live births per municipality and year from a CBS StatLine CSV export.

Expected file: a CSV export (semicolon- or comma-separated, UTF-8, with a header row) of a StatLine table with
live births per municipality and year. Read as exported: "Population dynamics; birth, death and migration per
region" (37259eng, CBS's open-data column names, as in the demo file `data/cbs_37259eng_demo.csv`). Read by the
names CBS uses elsewhere, not checked against an export here: its Dutch edition 37259ned, "Bevolkingsontwikkeling;
regio per maand" (37230ned) and 37201ned. Recognised header names (case-insensitive):

- region code: "Regions", "RegioS", "Regio's", "region_code", "code" — "GM0935" (trailing spaces allowed)
- region name (optional): "Regions Label", "Regio's_name", "region_name", "name", "gemeente"
- period: "Periods", "Perioden", "period", "jaar", "year" — "2024" or "2024JJ00"
- live births: "LiveBornChildren_3" (37259eng), "LevendGeborenKinderen_3" (37259ned), "LevendGeborenKinderen_2"
  (37230ned), "Levend geboren kinderen", "Totaal levend geboren kinderen (aantal)" (37201ned), "live_births",
  "births"
- sex (optional): "Sex", "Geslacht". A table split by sex has a row for boys, for girls and for both; only the
  rows for both ("T001038", "Total male and female", "Totaal mannen en vrouwen") are read, the others skipped.
- source (optional): "source", "bron"; otherwise the `source` argument is stored.

Municipalities are matched by CBS code; rows are upserted on (municipality, year).
"""

import csv
import io
import re
from dataclasses import dataclass, field

from django.db import transaction

from kansrijk.organisations.models import Municipality

from .models_births import LiveBirths

DEFAULT_SOURCE = "CBS StatLine, levend geboren kinderen per gemeente"

COLUMNS = {
    "code": {"regions", "regios", "regio's", "region_code", "code", "regiocode", "gemeentecode"},
    "name": {"regions label", "regio's_name", "regios_name", "region_name", "name", "gemeente", "gemeentenaam"},
    "period": {"periods", "perioden", "period", "jaar", "year"},
    "count": {
        "livebornchildren_3",
        "levendgeborenkinderen_3",
        "levendgeborenkinderen_2",
        "levendgeborenkinderen",
        "levend geboren kinderen",
        "totaallevendgeborenkinderen_1",
        "totaal levend geboren kinderen",
        "totaal levend geboren kinderen (aantal)",
        "levend geboren kinderen (aantal)",
        "live_births",
        "births",
    },
    "source": {"source", "bron"},
    "sex": {"sex", "geslacht"},
}
#: How CBS marks the rows of both sexes together: its code, or the label of an export with labels.
BOTH_SEXES = {"t001038", "total male and female", "totaal mannen en vrouwen"}
PERIOD = re.compile(r"^(\d{4})(JJ00)?$")
CODE = re.compile(r"^GM\d{4}$")
#: The other regions of CBS's regional tables: the country, its parts, provinces, COROP areas, districts and
#: neighbourhoods. A whole table's export has them beside the municipalities; they are skipped, not errors.
OTHER_REGION = re.compile(r"^(NL|LD|PV|CR|WK|BU)\d+$")


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    #: Rows of other regions than municipalities (the country, provinces, …), and of boys or girls only in a
    #: table split by sex (the row of both is read instead).
    skipped: int = 0
    unknown_codes: list[tuple[int, str]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def _columns(header: list[str]) -> dict[str, int]:
    found = {}
    for index, name in enumerate(header):
        key = name.strip().strip('"').lower()
        for column, names in COLUMNS.items():
            if key in names and column not in found:
                found[column] = index
    return found


def parse(text: str):
    """Yield (line number, code, period year, count or error text, source) per data row; None for a row of
    another kind of region, or of one sex only (the row of both is read)."""
    text = text.lstrip("\ufeff")
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, None)
    if header is None:
        raise ValueError("The file is empty.")
    columns = _columns(header)
    missing = [c for c in ("code", "period", "count") if c not in columns]
    if missing:
        raise ValueError(f"Missing column(s): {', '.join(missing)}. Header was: {header}")
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        try:
            code = row[columns["code"]].strip().upper()
            period = row[columns["period"]].strip()
            raw = row[columns["count"]].strip()
        except IndexError:
            yield line, None, None, "too few columns", None
            continue
        if OTHER_REGION.match(code) or (
            "sex" in columns and len(row) > columns["sex"] and row[columns["sex"]].strip().lower() not in BOTH_SEXES
        ):
            yield None
            continue
        source = row[columns["source"]].strip() if "source" in columns and len(row) > columns["source"] else ""
        match = PERIOD.match(period)
        if not CODE.match(code):
            yield line, None, None, f"not a municipality code: {code!r}", None
        elif not match:
            yield line, code, None, f"not a year period: {period!r}", None
        elif not raw:
            # CBS leaves a count empty where it has none (a municipality in the year it merged into another).
            yield line, code, int(match.group(1)), f"no number of births for {code} in {match.group(1)}", None
        elif not raw.isdigit():
            yield line, code, int(match.group(1)), f"not a whole number of births: {raw!r}", None
        else:
            yield line, code, int(match.group(1)), int(raw), source


def import_births(text: str, *, source: str = DEFAULT_SOURCE, dry_run: bool = False) -> ImportResult:
    result = ImportResult()
    municipalities = {m.cbs_code: m for m in Municipality.objects.all()}
    existing = {(b.municipality_id, b.year): b for b in LiveBirths.objects.all()}
    with transaction.atomic():
        for parsed in parse(text):
            if parsed is None:
                result.skipped += 1
                continue
            line, code, year, value, row_source = parsed
            if isinstance(value, str):
                result.errors.append((line, value))
                continue
            municipality = municipalities.get(code)
            if municipality is None:
                result.unknown_codes.append((line, code))
                continue
            row_source = row_source or source
            current = existing.get((municipality.pk, year))
            if current is None:
                result.created += 1
                if not dry_run:
                    existing[(municipality.pk, year)] = LiveBirths.objects.create(
                        municipality=municipality, year=year, count=value, source=row_source
                    )
            elif current.count == value and current.source == row_source:
                result.unchanged += 1
            else:
                result.updated += 1
                if not dry_run:
                    current.count, current.source = value, row_source
                    current.save(update_fields=["count", "source", "imported_at"])
    return result
