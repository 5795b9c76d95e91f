"""The follow-up part of the case page: follow-up referrals with their status, and gaps."""

from kansrijk import access
from kansrijk.cases.models import Status

from . import selectors


def case_section(request, case):
    """(template, context) for the case page, or None for a case still in intake."""
    if case.status == Status.RECEIVED:
        return None
    follow_ups = selectors.case_follow_ups(case)
    gaps = list(selectors.case_gaps(case))
    can_work = access.can_work_on(request.user, case)
    if not (follow_ups or gaps or can_work):
        return None
    return (
        "followup/case_section.html",
        {"follow_ups": follow_ups, "gaps": gaps, "can_work": can_work},
    )
