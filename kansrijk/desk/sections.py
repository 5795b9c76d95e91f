"""On the case page: what a woman who registered herself at the desk told us about reaching her."""

from .models import SelfRegistration


def case_section(request, case):
    """(template, context) when she registered herself for this case; None otherwise. One query.

    Shown to everyone who may open the case page (the access layer has already decided that,
    and logged the reading).
    """
    registrations = list(
        SelfRegistration.objects.filter(referral__case=case).select_related("referral").order_by("created_at", "pk")
    )
    if not registrations:
        return None
    return ("desk/register/case_section.html", {"registrations": registrations, "client": case.client})
