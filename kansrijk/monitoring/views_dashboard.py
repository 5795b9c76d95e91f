"""Figures pages: one municipality (or all of the user's together), the region side by side, exports and
the yearly report. Aggregates only: no page here shows or links to an individual record."""

from dataclasses import dataclass
from functools import lru_cache

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from kansrijk import access

from . import indicators, periods
from .indicators import Scope
from .suppression import HIDDEN_NOTE, SUM_NOTE, threshold

ALL = "alle"


@dataclass
class Selection:
    """What the user chose (GET), checked against what she may see."""

    scope: Scope
    municipality_code: str  # a CBS code or ALL
    label: str  # "Maastricht" or "All your municipalities"
    choices: list  # [(code, name)]
    period_options: str  # the period list's <optgroup>s (HTML)
    errors: list

    @property
    def query(self) -> str:
        return urlencode({"gemeente": self.municipality_code, "periode": self.scope.period.slug})


def _period_options(selected: periods.Period) -> str:
    """The period list's options (HTML), grouped by kind, the selected one selected."""
    return _period_options_on(timezone.localdate(), get_language(), selected)


@lru_cache(maxsize=64)
def _period_options_on(today, language: str, selected: periods.Period) -> str:
    # The same on every figures page of a day, in a language: the last six years, eight quarters, twelve months.
    with override(language):
        this_year = periods.current(periods.YEAR, today)
        years = [this_year.previous(n) for n in range(0, 6)]
        quarters = periods.current(periods.QUARTER, today).series(8)[::-1]
        months = periods.current(periods.MONTH, today).series(12)[::-1]
        groups = [(_("Year"), years), (_("Quarter"), quarters), (_("Month"), months)]
        if selected not in {p for _label, ps in groups for p in ps}:
            groups.insert(0, (_("Chosen"), [selected]))
        return format_html_join(
            "",
            '<optgroup label="{}">{}</optgroup>',
            (
                (
                    label,
                    format_html_join(
                        "",
                        '<option value="{}"{}>{}</option>',
                        ((p.slug, mark_safe(" selected") if p == selected else "", p.label) for p in ps),
                    ),
                )
                for label, ps in groups
            ),
        )


def _select(request, *, allow_all: bool = True) -> Selection:
    scope_by_id = access.monitoring_scope(request.user)
    access.require(bool(scope_by_id), "figures (monitoring)")
    municipalities = list(scope_by_id.values())
    errors = []
    period = periods.current(periods.YEAR)
    raw_period = request.GET.get("periode")
    if raw_period:
        parsed = periods.parse(raw_period)
        if parsed is None:
            errors.append(_("“%(value)s” is not a period. Choose a year, quarter or month.") % {"value": raw_period})
        elif parsed.is_future():
            errors.append(_("That period has not started yet; showing this year."))
        else:
            period = parsed
    code = request.GET.get("gemeente") or (ALL if len(municipalities) > 1 and allow_all else municipalities[0].cbs_code)
    chosen = municipalities
    label = _("All your municipalities") if len(municipalities) > 1 else municipalities[0].name
    if code != ALL or not allow_all:
        match = [m for m in municipalities if m.cbs_code == code.upper()]
        if not match:
            # Not hers (or not a municipality): figures of others are not shown, and the page says so.
            errors.append(_("You do not see figures of that municipality; showing your own."))
            match = municipalities[:1] if not allow_all or len(municipalities) == 1 else municipalities
            code = match[0].cbs_code if len(match) == 1 else ALL
        else:
            code = match[0].cbs_code
        chosen = match
        label = match[0].name if len(match) == 1 else label
    choices = ([(ALL, _("All your municipalities"))] if len(municipalities) > 1 and allow_all else []) + [
        (m.cbs_code, m.name) for m in municipalities
    ]
    return Selection(
        scope=Scope(tuple(chosen), period),
        municipality_code=code,
        label=label,
        choices=choices,
        period_options=_period_options(period),
        errors=errors,
    )


def _common(request, selection: Selection) -> dict:
    return {
        "selection": selection,
        "period": selection.scope.period,
        "threshold": threshold(),
        "hidden_note": HIDDEN_NOTE % {"threshold": threshold()},
        "sum_note": SUM_NOTE if len(selection.scope.municipalities) > 1 else "",
        "export_query": selection.query,
        "can_see_region": bool(access.monitoring_region_ids(request.user)) or len(selection.choices) > 2,
    }


def _key_numbers(figures) -> list[tuple[str, str]]:
    """The numbers at the top of the dashboard, taken from the (protected) figures."""
    by_key = {f.key: f for f in figures}
    funnel = by_key["funnel"]
    out = [(funnel.rows[0], funnel.cells[0][0].text), (funnel.rows[3], funnel.cells[3][0].text)]
    out.append((funnel.rows[5], funnel.cells[5][0].text))
    reach = by_key["reach"]
    if len(reach.rows) == 1:
        out.append((_("Reach"), reach.cells[0][2].text))
    lead = by_key["lead_times"]
    out.append((_("Median days to first home visit"), lead.cells[2][0].text))
    return out


@login_required
def dashboard(request):
    selection = _select(request)
    figures = indicators.dashboard_figures(selection.scope)
    context = _common(request, selection)
    context.update(
        {
            "figures": figures,
            "sections": indicators.sections(figures),
            "key_numbers": _key_numbers(figures),
            "agreements_due": _agreements_due(request.user),
        }
    )
    return render(request, "monitoring/dashboard.html", context)


def _agreements_due(user) -> list:
    try:
        from kansrijk.agreements.services import due_for
    except ImportError:  # the agreements register is optional for the figures
        return []
    return list(due_for(user))


@login_required
def region(request):
    """Every municipality the user sees in one region, side by side."""
    scope_by_id = access.monitoring_scope(request.user)
    access.require(bool(scope_by_id), "figures (region)")
    regions = {}
    for m in scope_by_id.values():
        regions.setdefault(m.region_id, m.region)
    chosen_id = request.GET.get("regio")
    region_obj = regions.get(int(chosen_id)) if chosen_id and chosen_id.isdigit() else None
    region_obj = region_obj or next(iter(regions.values()))
    selection = _select(request)
    municipalities = tuple(m for m in scope_by_id.values() if m.region_id == region_obj.pk)
    scope = Scope(municipalities, selection.scope.period)
    figures = indicators.region_figures(scope)
    context = _common(request, selection)
    context.update(
        {
            "region": region_obj,
            "regions": list(regions.values()),
            "figures": figures,
            "export_query": urlencode({"regio": region_obj.pk, "periode": scope.period.slug}),
            "municipality_count": len(municipalities),
            "sum_note": SUM_NOTE if len(municipalities) > 1 else "",
        }
    )
    return render(request, "monitoring/region.html", context)


def _figures_for_export(request) -> tuple[list, str]:
    if request.GET.get("regio"):
        scope_by_id = access.monitoring_scope(request.user)
        access.require(bool(scope_by_id), "figures export (region)")
        region_id = request.GET["regio"]
        municipalities = tuple(m for m in scope_by_id.values() if str(m.region_id) == region_id)
        if not municipalities:
            raise Http404
        selection = _select(request)
        scope = Scope(municipalities, selection.scope.period)
        return indicators.region_figures(scope), f"{municipalities[0].region.name}-{scope.period.slug}"
    selection = _select(request)
    return indicators.dashboard_figures(selection.scope), f"{selection.label}-{selection.scope.period.slug}"


def _filename(text: str) -> str:
    from django.utils.text import slugify

    return slugify(text) or "kansrijk"


@login_required
def export(request, key: str, fmt: str):
    figures, name = _figures_for_export(request)  # refuses first: 404 for anyone without figures
    from . import exports

    if key == "alles":
        if fmt != "xlsx":
            raise Http404
        return exports.xlsx_response(
            figures,
            f"kansrijk-{_filename(name)}.xlsx",
            title=_("Prenatal home visit — figures"),
            subtitle=name,
        )
    figure = next((f for f in figures if f.key == key), None)
    if figure is None:
        raise Http404
    filename = f"kansrijk-{_filename(name)}-{key}"
    if fmt == "csv":
        return exports.csv_response(figure, f"{filename}.csv")
    if fmt == "xlsx":
        return exports.xlsx_response([figure], f"{filename}.xlsx", title=figure.title, subtitle=name)
    raise Http404


@login_required
def report(request):
    """The yearly report of one municipality as PDF, for the council."""
    from .report import yearly_report_pdf

    scope_by_id = access.monitoring_scope(request.user)
    access.require(bool(scope_by_id), "yearly report")
    code = (request.GET.get("gemeente") or "").upper()
    municipality = next((m for m in scope_by_id.values() if m.cbs_code == code), None)
    if municipality is None:
        raise Http404
    year_text = request.GET.get("jaar") or str(timezone.localdate().year)
    if not year_text.isdigit() or not 2000 <= int(year_text) <= timezone.localdate().year:
        raise Http404
    year = int(year_text)
    scope = Scope((municipality,), periods.make(periods.YEAR, year))
    figures = indicators.dashboard_figures(scope)
    from .models_births import LiveBirths

    # The latest year CBS has published up to the report's (as the reach divides by); the cover names its year.
    births = LiveBirths.objects.filter(municipality=municipality, year__lte=year).order_by("-year").first()
    pdf = yearly_report_pdf(
        municipality_name=municipality.name, year=year, figures=figures, births=births, request=request
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="kansrijk-jaarrapport-{_filename(municipality.name)}-{year}.pdf"'
    )
    return response


def report_url(municipality, year: int) -> str:
    return f"{reverse('monitoring:report')}?{urlencode({'gemeente': municipality.cbs_code, 'jaar': year})}"


@login_required
def definitions(request):
    """How every figure is counted: built from the figures themselves, so it cannot drift from them."""
    access.require(access.can_monitor(request.user), "figures (definitions)")
    empty = Scope((), periods.current(periods.YEAR))
    figures = indicators.dashboard_figures(empty) + indicators.region_figures(empty)
    return render(
        request,
        "monitoring/definitions.html",
        {
            "figures": figures,
            "threshold": threshold(),
            "hidden_note": HIDDEN_NOTE % {"threshold": threshold()},
            "sum_note": SUM_NOTE,
        },
    )
