from django import template
from django.utils.translation import gettext as _

from kansrijk.cases.models import pregnancy_weeks

register = template.Library()


@register.filter
def weeks_pregnant(due_date) -> str:
    """'24+3 weeks' today, counted back from the due date."""
    if not due_date:
        return ""
    weeks = pregnancy_weeks(due_date)
    if weeks is None:
        return _("not yet pregnant by this due date")
    return _("%(weeks)s+%(days)s weeks") % {"weeks": weeks[0], "days": weeks[1]}


@register.filter
def badge_urgency(value: int) -> str:
    return {3: "urgent", 2: "high"}.get(value, "normal")
