"""The social map's file format: reading CSV/XLSX for the import, writing it for the export.

One column layout for both directions (documented in docs/social-map-import.md and on the
import page): a header row with the column keys below, in any order, then one offer per row.
Lists inside a cell (domains, phases, municipalities, languages) are separated by ';'.
This module reads and checks the cells; the rules (who may change what, duplicates) are
applied by `services.offer_import`.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kansrijk.clients.models import Language

from . import selectors
from .models import Costs, Offer, Phase
from .services import MAX_WAIT_WEEKS, OfferData

#: Largest file the import accepts, and most offers in one file.
MAX_UPLOAD_BYTES = getattr(settings, "KANSRIJK_SOCIALMAP_IMPORT_MAX_BYTES", 2 * 1024 * 1024)
MAX_ROWS = 2000
LIST_SEPARATOR = ";"

YES = {"yes", "ja", "y", "j", "true", "waar", "1", "x"}
NO = {"no", "nee", "n", "false", "onwaar", "0", ""}


@dataclass(frozen=True)
class Column:
    key: str
    required: bool
    help: str


COLUMNS = [
    Column("name", True, gettext_lazy("Name of the offer. With the provider it identifies the offer.")),
    Column("provider", True, gettext_lazy("Name of the organisation that provides it.")),
    Column("description", True, gettext_lazy("What the offer is, in a few sentences.")),
    Column("domains", True, gettext_lazy("Codes of the region's domains, separated by ';', e.g. financial;housing.")),
    Column("target_group", False, gettext_lazy("For whom it is meant.")),
    Column("phases", True, gettext_lazy("pregnancy, after_birth or pregnancy;after_birth.")),
    Column(
        "municipalities",
        True,
        gettext_lazy("CBS codes of the municipalities served, separated by ';', e.g. GM0935;GM0917."),
    ),
    Column(
        "languages",
        True,
        gettext_lazy("Language codes, separated by ';': nl, en, ar, tr, pl, uk, ti, ber, fr, de, other."),
    ),
    Column("costs", True, gettext_lazy("free, insured, contribution or paid.")),
    Column("costs_note", False, gettext_lazy("More about the costs.")),
    Column("how_to_refer", False, gettext_lazy("The procedure for referring a family.")),
    Column("contact_person", False, gettext_lazy("Name of the contact person.")),
    Column("phone", False, gettext_lazy("Phone number for referrers.")),
    Column("email", False, gettext_lazy("E-mail address for referrers.")),
    Column("website", False, gettext_lazy("Web address, starting with https://.")),
    Column(
        "typical_wait_weeks", False, gettext_lazy("Typical waiting time in whole weeks (0 to 104); empty if unknown.")
    ),
    Column(
        "recognised_intervention",
        False,
        gettext_lazy("yes or no: listed in the Dutch database of effective youth interventions."),
    ),
    Column("last_checked", False, gettext_lazy("Date the details were last checked (YYYY-MM-DD); empty: not checked.")),
]
COLUMN_KEYS = [c.key for c in COLUMNS]
REQUIRED_KEYS = [c.key for c in COLUMNS if c.required]


def max_upload_mb() -> str:
    return f"{MAX_UPLOAD_BYTES / 1024 / 1024:g}"


class ImportFileError(Exception):
    """The file as a whole cannot be read (not CSV/XLSX, too big, no header, a required column missing)."""


@dataclass
class ImportRow:
    number: int  # as the spreadsheet shows it: the header is row 1
    data: OfferData | None = None
    checked_on: date | None = None
    #: (column, reason)
    errors: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ImportFile:
    rows: list[ImportRow]
    ignored_columns: list[str]


# --- Reading -------------------------------------------------------------------------


def _text(value) -> str:
    """A cell as text: numbers without '.0', dates as YYYY-MM-DD, booleans as yes/no."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    # Undo the export's guard against spreadsheet formulas (see `_safe`).
    if text[:1] == "'" and text[1:2] in _FORMULA_STARTS:
        text = text[1:]
    return text


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("The CSV file is not in UTF-8. Save it as 'CSV UTF-8' and try again."))


def _csv_rows(raw: bytes) -> list[list[str]]:
    text = _decode(raw)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        return [[_text(cell) for cell in row] for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as error:
        raise ImportFileError(_("The CSV file cannot be read: %(error)s") % {"error": error}) from None


def _xlsx_rows(raw: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a damaged or foreign file
        raise ImportFileError(_("The file is not a readable Excel workbook (.xlsx).")) from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append([_text(cell) for cell in row])
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


def read_table(upload) -> list[list[str]]:
    """The cells of an uploaded .csv or .xlsx file, as text."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ImportFileError(_("The file is too large: at most %(mb)s MB.") % {"mb": max_upload_mb()})
    name = (upload.name or "").lower()
    raw = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(raw) > MAX_UPLOAD_BYTES:
        raise ImportFileError(_("The file is too large: at most %(mb)s MB.") % {"mb": max_upload_mb()})
    if name.endswith(".xlsx"):
        return _xlsx_rows(raw)
    if name.endswith(".csv") or name.endswith(".txt"):
        return _csv_rows(raw)
    raise ImportFileError(_("Upload a .csv or .xlsx file."))


def read_offers(upload, region) -> ImportFile:
    """Read and check an uploaded file: one `ImportRow` per non-empty row, with its errors by column."""
    table = read_table(upload)
    if not table or not any(table[0]):
        raise ImportFileError(_("The file is empty: the first row must name the columns."))
    header = [cell.strip().lower() for cell in table[0]]
    missing = [key for key in REQUIRED_KEYS if key not in header]
    if missing:
        raise ImportFileError(
            _("The first row must name the columns. Missing: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    duplicated = sorted({key for key in header if key and header.count(key) > 1})
    if duplicated:
        raise ImportFileError(_("These columns appear twice: %(columns)s.") % {"columns": ", ".join(duplicated)})
    ignored = [key for key in header if key and key not in COLUMN_KEYS]
    body = [(number, cells) for number, cells in enumerate(table[1:], start=2) if any(cells)]
    if len(body) > MAX_ROWS:
        raise ImportFileError(_("The file holds more than %(max)s offers; split it up.") % {"max": MAX_ROWS})
    catalogue = _Catalogue(region)
    rows = []
    for number, cells in body:
        values = {key: (cells[i] if i < len(cells) else "") for i, key in enumerate(header) if key in COLUMN_KEYS}
        rows.append(_parse_row(number, values, catalogue))
    return ImportFile(rows=rows, ignored_columns=ignored)


class _Catalogue:
    """The region's domains and municipalities, and the organisations a provider name may match, read once."""

    def __init__(self, region):
        self.domains = {d.code.lower(): d for d in selectors.domains_of(region)}
        self.municipalities = {m.cbs_code.upper(): m for m in selectors.municipalities_of(region)}
        self.organisations = {o.name.lower(): o for o in selectors.provider_organisations(region)}


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(LIST_SEPARATOR) if part.strip()]


class OfferRowForm(forms.Form):
    """Checks the cells of one row; field names are the column keys. Input only: no rules."""

    name = forms.CharField(max_length=Offer._meta.get_field("name").max_length)
    provider = forms.CharField(max_length=Offer._meta.get_field("provider_name").max_length)
    description = forms.CharField(max_length=Offer._meta.get_field("description").max_length)
    domains = forms.CharField()
    target_group = forms.CharField(max_length=Offer._meta.get_field("target_group").max_length, required=False)
    phases = forms.CharField()
    municipalities = forms.CharField()
    languages = forms.CharField()
    costs = forms.CharField()
    costs_note = forms.CharField(max_length=Offer._meta.get_field("costs_note").max_length, required=False)
    how_to_refer = forms.CharField(max_length=Offer._meta.get_field("how_to_refer").max_length, required=False)
    contact_person = forms.CharField(max_length=Offer._meta.get_field("contact_person").max_length, required=False)
    phone = forms.CharField(max_length=Offer._meta.get_field("phone").max_length, required=False)
    email = forms.EmailField(max_length=254, required=False)
    website = forms.URLField(max_length=200, required=False, assume_scheme="https")
    typical_wait_weeks = forms.IntegerField(min_value=0, max_value=MAX_WAIT_WEEKS, required=False)
    recognised_intervention = forms.CharField(required=False)
    last_checked = forms.DateField(required=False, input_formats=["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"])

    def __init__(self, *args, catalogue: _Catalogue, **kwargs):
        super().__init__(*args, **kwargs)
        self.catalogue = catalogue

    def clean_domains(self):
        codes = _split(self.cleaned_data["domains"])
        unknown = [c for c in codes if c.lower() not in self.catalogue.domains]
        if unknown:
            raise ValidationError(_("Unknown or inactive domain code: %(codes)s.") % {"codes": ", ".join(unknown)})
        if not codes:
            raise ValidationError(_("Give at least one domain code."))
        return list({self.catalogue.domains[c.lower()].pk: self.catalogue.domains[c.lower()] for c in codes}.values())

    def clean_phases(self):
        phases = [p.lower() for p in _split(self.cleaned_data["phases"])]
        unknown = [p for p in phases if p not in Phase.values]
        if unknown or not phases:
            raise ValidationError(
                _("Unknown phase: %(phases)s. Use pregnancy, after_birth or both.") % {"phases": ", ".join(unknown)}
            )
        return phases

    def clean_municipalities(self):
        codes = [c.upper() for c in _split(self.cleaned_data["municipalities"])]
        unknown = [c for c in codes if c not in self.catalogue.municipalities]
        if unknown:
            raise ValidationError(
                _("Unknown CBS code (not a municipality of this region): %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        if not codes:
            raise ValidationError(_("Give at least one CBS code."))
        return list({c: self.catalogue.municipalities[c] for c in codes}.values())

    def clean_languages(self):
        codes = [c.lower() for c in _split(self.cleaned_data["languages"])]
        unknown = [c for c in codes if c not in Language.values]
        if unknown:
            raise ValidationError(_("Unknown language code: %(codes)s.") % {"codes": ", ".join(unknown)})
        if not codes:
            raise ValidationError(_("Give at least one language code."))
        return list(dict.fromkeys(codes))

    def clean_costs(self):
        costs = self.cleaned_data["costs"].lower()
        if costs not in Costs.values:
            raise ValidationError(
                _("Unknown costs code %(code)s: use %(codes)s.") % {"code": costs, "codes": ", ".join(Costs.values)}
            )
        return costs

    def clean_recognised_intervention(self):
        value = self.cleaned_data["recognised_intervention"].lower()
        if value in YES:
            return True
        if value in NO:
            return False
        raise ValidationError(_("Write yes or no."))

    def clean_last_checked(self):
        value = self.cleaned_data["last_checked"]
        if value is not None and value > timezone.localdate():
            raise ValidationError(_("The date of the last check lies in the future."))
        return value

    def offer_data(self) -> OfferData:
        d = self.cleaned_data
        provider = self.catalogue.organisations.get(d["provider"].lower())
        return OfferData.from_cleaned(d, provider_name=d["provider"], provider=provider)


def _parse_row(number: int, values: dict[str, str], catalogue: _Catalogue) -> ImportRow:
    form = OfferRowForm(values, catalogue=catalogue)
    if not form.is_valid():
        errors = [(column, str(message)) for column, messages in form.errors.items() for message in messages]
        return ImportRow(number=number, errors=errors)
    return ImportRow(number=number, data=form.offer_data(), checked_on=form.cleaned_data["last_checked"])


# --- Writing ----------------------------------------------------------------------------

#: A cell starting with one of these is a formula to a spreadsheet program.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(text: str) -> str:
    """Keep a spreadsheet from running a cell as a formula: prefix "'" (the import takes it off again).
    A phone number such as +31 43 000 0000 is left as it is."""
    if text[:1] in _FORMULA_STARTS and not (
        text[:1] in "+-" and text[1:].replace(" ", "").replace("-", "").replace("(", "").replace(")", "").isdigit()
    ):
        return "'" + text
    return text


def offer_row(offer: Offer) -> list:
    """One offer in the column layout (domains and municipalities prefetched)."""
    return [
        offer.name,
        offer.provider_name,
        offer.description,
        LIST_SEPARATOR.join(d.code for d in offer.domains.all()),
        offer.target_group,
        LIST_SEPARATOR.join(offer.phases),
        LIST_SEPARATOR.join(m.cbs_code for m in offer.municipalities.all()),
        LIST_SEPARATOR.join(offer.languages),
        offer.costs,
        offer.costs_note,
        offer.how_to_refer,
        offer.contact_person,
        offer.phone,
        offer.email,
        offer.website,
        "" if offer.typical_wait_weeks is None else offer.typical_wait_weeks,
        "yes" if offer.recognised_intervention else "no",
        offer.last_checked_at.isoformat() if offer.last_checked_at else "",
    ]


def export_csv(offers) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads the accents), comma-separated, header row first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMN_KEYS)
    for offer in offers:
        writer.writerow([_safe(str(value)) for value in offer_row(offer)])
    return out.getvalue().encode("utf-8-sig")


def export_xlsx(offers) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Social map"))
    bold = Font(bold=True)
    header = []
    for key in COLUMN_KEYS:
        cell = WriteOnlyCell(sheet, value=key)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for offer in offers:
        cells = []
        for value in offer_row(offer):
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text stays text, even when it starts with "="
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
