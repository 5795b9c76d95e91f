"""CSV and Excel files of Figures. Only what is in a Figure is written: the same protected cells as the page
(a hidden count is the text "< 5"), so an export can never show more than the screen."""

import csv
import io
from collections.abc import Sequence

from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .figures import Figure, Value
from .suppression import HIDDEN_NOTE, threshold

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell_text(value) -> str:
    return value.text if isinstance(value, Value) else str(value)


def figure_csv(figure: Figure) -> str:
    """Semicolon-separated, as Dutch Excel opens it: the header, then the table rows (totals last)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([str(h) for h in figure.header()])
    for row in figure.table_rows():
        writer.writerow([_cell_text(v) for v in row])
    return out.getvalue()


def csv_response(figure: Figure, filename: str) -> HttpResponse:
    response = HttpResponse("\ufeff" + figure_csv(figure), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _sheet_name(key: str, used: set) -> str:
    name = key[:31]
    n = 2
    while name in used:
        suffix = f"-{n}"
        name = key[: 31 - len(suffix)] + suffix
        n += 1
    used.add(name)
    return name


def figures_xlsx(figures: Sequence[Figure], *, title: str, subtitle: str = "") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    about = book.active
    about.title = _("About")[:31]
    note = HIDDEN_NOTE % {"threshold": threshold()}
    for row in [
        [title],
        [subtitle],
        [_("Made on %(date)s by Kansrijk.") % {"date": date_format(timezone.localdate(), "j F Y")}],
        [str(note)],
        [_("Definitions: see each sheet, and the page “How the figures are counted”.")],
    ]:
        about.append(row)
    about["A1"].font = Font(bold=True, size=14)
    about.column_dimensions["A"].width = 110
    used = {about.title}
    for figure in figures:
        sheet = book.create_sheet(_sheet_name(figure.key, used))
        sheet.append([figure.title + (f" ({figure.unit})" if figure.unit else "")])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append([figure.definition])
        if figure.rivm:
            sheet.append([f"{_('National monitor:')} {figure.rivm}"])
        sheet.append([str(note)])
        for extra in figure.notes:
            sheet.append([str(extra)])
        sheet.append([])
        header_row = sheet.max_row + 1
        sheet.append([str(h) for h in figure.header()])
        for cell in sheet[header_row]:
            cell.font = Font(bold=True)
        for row in figure.table_rows():
            out = [row[0]]
            for value in row[1:]:
                # A shown count is a number; a hidden one the text "< 5"; a statistic keeps its number.
                out.append(value.number if (value.number is not None and not value.hidden) else value.text)
            sheet.append(out)
            if row[0] == figure.total_label and figure.has_totals:
                for cell in sheet[sheet.max_row]:
                    cell.font = Font(bold=True)
        for row in sheet.iter_rows(min_row=header_row + 1):
            for cell in row[1:]:
                cell.alignment = Alignment(horizontal="right")
        sheet.column_dimensions["A"].width = max(30, min(60, max((len(str(r)) for r in figure.rows), default=10) + 4))
        for j in range(2, len(figure.header()) + 1):
            sheet.column_dimensions[get_column_letter(j)].width = 18
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_response(figures: Sequence[Figure], filename: str, *, title: str, subtitle: str = "") -> HttpResponse:
    response = HttpResponse(figures_xlsx(figures, title=title, subtitle=subtitle), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
