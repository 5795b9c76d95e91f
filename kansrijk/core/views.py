from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render

from kansrijk import access
from kansrijk.cases.models import Case, Status
from kansrijk.organisations.models import Role

from .navigation import start_url


def home(request):
    """The start page depends on the role; visitors go to the login page."""
    if not request.user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    return redirect(start_url(request.user))


@login_required
def start(request):
    return redirect(start_url(request.user))


@login_required
def no_role(request):
    return render(request, "core/no_role.html")


SMALL_NUMBER_THRESHOLD = 5


@login_required
def municipality_figures(request):
    """Aggregates only: counts per status for the officer's municipalities, small numbers hidden."""
    members = access.memberships_with(request.user, Role.MUNICIPALITY_OFFICER)
    access.require(bool(members), "municipality figures")
    municipality_ids = {m.pk for member in members for m in member.municipalities.all()}
    counts = dict(
        Case.objects.filter(municipality_id__in=municipality_ids)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    rows = []
    for value, label in Status.choices:
        n = counts.get(value, 0)
        rows.append((label, n if n >= SMALL_NUMBER_THRESHOLD or n == 0 else None))
    total = sum(counts.values())
    # Secondary suppression: with any cell hidden, the total is hidden too, so
    # a hidden cell cannot be recovered by subtraction.
    if any(n is None for _, n in rows):
        total = None
    return render(
        request,
        "core/municipality.html",
        {
            "municipalities": sorted({m.name for member in members for m in member.municipalities.all()}),
            "rows": rows,
            "total": total if total is None or total >= SMALL_NUMBER_THRESHOLD or total == 0 else None,
            "threshold": SMALL_NUMBER_THRESHOLD,
        },
    )
