"""The feedback, birth and handover panel on the case page."""

from kansrijk import access
from kansrijk.organisations.models import Role

from . import selectors
from .forms import BirthForm


def case_section(request, case):
    """(template, context) for the JGZ staff who see the case; None for anyone else."""
    membership = access.membership_for_case(request.user, case)
    if membership is None or membership.role not in (Role.PLANNER, Role.NURSE):
        return None
    may_record_birth = selectors.can_record_birth(request.user, case)
    return (
        "feedback/section.html",
        {
            "due": selectors.feedback_due(case),
            "feedback": list(selectors.case_feedback(case)),
            # A woman who registered herself has no referrer: there is nobody to give feedback to.
            "without_consent": list(
                case.referrals.filter(consent_feedback=False, referrer__isnull=False).select_related(
                    "referrer_organisation"
                )
            ),
            "may_give_feedback": selectors.can_give_feedback(request.user, case),
            "birth_form": BirthForm(initial={"version": case.version, "birth_date": case.birth_date})
            if may_record_birth
            else None,
        },
    )
