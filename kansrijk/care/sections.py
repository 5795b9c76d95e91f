"""The nurse's work on the case page: contacts, visits, the current assessment and the plan."""

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kansrijk import access
from kansrijk.cases.models import Status

from . import rules, selectors
from .models import VisitStatus


def _day(value) -> str:
    return formats.date_format(value, "j F Y")


def unreachable_explanation(state: rules.UnreachableState) -> list[str]:
    """Sentences telling the nurse when the case may be closed as unreachable."""
    if state.met:
        return [
            ngettext(
                "%(count)s failed contact attempt, from %(first)s to %(last)s, and no contact since.",
                "%(count)s failed contact attempts, from %(first)s to %(last)s, and no contact since.",
                state.failed_attempts,
            )
            % {"count": state.failed_attempts, "first": _day(state.first_failed), "last": _day(state.last_failed)},
            _("This case may now be closed with the reason “Unreachable”."),
        ]
    lines = [
        _(
            "A case may be closed as unreachable after at least %(attempts)s failed contact attempts "
            "spread over at least %(days)s days, with no contact since."
        )
        % {"attempts": state.needed_attempts, "days": state.needed_days}
    ]
    if state.failed_attempts:
        lines.append(
            ngettext(
                "So far: %(count)s failed attempt since the last contact, on %(first)s.",
                "So far: %(count)s failed attempts since the last contact, from %(first)s to %(last)s.",
                state.failed_attempts,
            )
            % {"count": state.failed_attempts, "first": _day(state.first_failed), "last": _day(state.last_failed)}
        )
        days_short = (state.last_failed - state.first_failed).days < state.needed_days
        missing = max(state.attempts_missing, 1 if days_short else 0)
        if days_short:
            lines.append(
                ngettext(
                    "Still needed: %(count)s more failed attempt, on or after %(date)s.",
                    "Still needed: %(count)s more failed attempts, the last on or after %(date)s.",
                    missing,
                )
                % {"count": missing, "date": _day(state.earliest_date)}
            )
        else:
            lines.append(
                ngettext(
                    "Still needed: %(count)s more failed attempt.",
                    "Still needed: %(count)s more failed attempts.",
                    missing,
                )
                % {"count": missing}
            )
    return lines


def case_section(request, case):
    """The part of the case page this app contributes: (template, context) or None.

    Nothing before a nurse is assigned; read-only once the case is closed.
    """
    if case.status == Status.RECEIVED or case.nurse_id is None:
        return None
    attempts = selectors.case_contact_attempts(case)
    visits = selectors.case_visits(case)
    unreachable = rules.unreachable_state(case, attempts) if case.is_open else None
    return (
        "care/case_section.html",
        {
            "can_work": access.can_work_on(request.user, case),
            "attempts": attempts,
            "unreachable": unreachable,
            "unreachable_lines": unreachable_explanation(unreachable)
            if unreachable and (unreachable.failed_attempts or case.status == Status.ASSIGNED)
            else [],
            "planned_visits": [v for v in visits if v.status == VisitStatus.PLANNED],
            "other_visits": [v for v in visits if v.status != VisitStatus.PLANNED],
            "assessment": selectors.current_assessment(case),
            "goals": selectors.plan_goals(case),
        },
    )
