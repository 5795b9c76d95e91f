from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import get_language

from kansrijk import access
from kansrijk.cases.models import Case, Status
from kansrijk.desk.public import public_page
from kansrijk.followup.models import Gap
from kansrijk.organisations.models import Role

from .navigation import start_url


@public_page
def home(request):
    """Visitors get the public desk; a logged-in professional her start page (the desk is at /balie/)."""
    if not request.user.is_authenticated:
        from kansrijk.desk.views_pages import home as desk_home

        return desk_home(request)
    return redirect(start_url(request.user))


@login_required
def start(request):
    return redirect(start_url(request.user))


@login_required
def no_role(request):
    return render(request, "core/no_role.html")


SMALL_NUMBER_THRESHOLD = 5


def suppressed(labelled_counts: list[tuple[str, int]]) -> tuple[list[tuple[str, int | None]], int | None]:
    """Rows with counts below the threshold hidden (None), and the total.

    Secondary suppression: with any cell hidden, the total is hidden too, so a
    hidden cell cannot be recovered by subtraction. A zero is shown: it reveals no one.
    """
    rows = [(label, n if n >= SMALL_NUMBER_THRESHOLD or n == 0 else None) for label, n in labelled_counts]
    total = sum(n for _, n in labelled_counts)
    if any(n is None for _, n in rows) or 0 < total < SMALL_NUMBER_THRESHOLD:
        total = None
    return rows, total


@login_required
def municipality_figures(request):
    """Aggregates only: cases per status and gaps per domain for the officer's municipalities."""
    members = access.memberships_with(request.user, Role.MUNICIPALITY_OFFICER)
    access.require(bool(members), "municipality figures")
    municipalities = {m for member in members for m in member.municipalities.all()}
    ids = {m.pk for m in municipalities}
    by_status = dict(
        Case.objects.filter(municipality_id__in=ids)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    rows, total = suppressed([(label, by_status.get(value, 0)) for value, label in Status.choices])
    gaps_by_domain = (
        Gap.objects.filter(municipality_id__in=ids)
        .values("domain__name_nl", "domain__name_en")
        .annotate(n=Count("pk"))
        .order_by("domain__order", "domain__name_nl")
    )
    english = (get_language() or "nl").startswith("en")
    gap_rows, gap_total = suppressed(
        [(g["domain__name_en"] if english else g["domain__name_nl"], g["n"]) for g in gaps_by_domain]
    )
    return render(
        request,
        "core/municipality.html",
        {
            "municipalities": sorted(m.name for m in municipalities),
            "rows": rows,
            "total": total,
            "gap_rows": gap_rows,
            "gap_total": gap_total,
            "threshold": SMALL_NUMBER_THRESHOLD,
        },
    )
