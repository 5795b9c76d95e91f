"""The nurse's day and the planner's team day."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from kansrijk import access
from kansrijk.audit.models import Action
from kansrijk.audit.services import audit_log_many
from kansrijk.organisations.models import Role

from . import selectors


def _log_shown(request, day: selectors.Day, description: str) -> None:
    audit_log_many(
        request,
        action=Action.LIST,
        description=description,
        rows=[(c.client_id, c.pk, access.membership_for_case(request.user, c)) for c in day.shown_cases()],
    )


@login_required
def day(request):
    access.require(access.has_role(request.user, Role.NURSE), "my day")
    today = selectors.nurse_day(request.user)
    _log_shown(request, today, "my day")
    return render(request, "worklist/day.html", {"day": today, "team": False})


@login_required
def team_day(request):
    access.require(access.has_role(request.user, Role.PLANNER), "team day")
    today = selectors.team_day(request.user)
    _log_shown(request, today, "team day")
    return render(request, "worklist/day.html", {"day": today, "team": True})
