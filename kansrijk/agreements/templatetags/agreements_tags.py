from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()

#: The badge's look per review state (services.review_state); the state is always told in words too.
BADGES = {"overdue": "urgent", "due": "high", "ended": "closed", "later": "normal"}


def review_text(state: str, days: int) -> str:
    if state == "overdue":
        return ngettext("Review overdue by %(days)s day", "Review overdue by %(days)s days", days) % {"days": days}
    if state == "due":
        if days == 0:
            return _("Review due today")
        return ngettext("Review due in %(days)s day", "Review due in %(days)s days", days) % {"days": days}
    if state == "ended":
        return _("Ended")
    return ngettext("Review in %(days)s day", "Review in %(days)s days", days) % {"days": days}


@register.simple_tag
def review_badge(state: str, days: int) -> str:
    """An agreement's review state as a badge, in words and not in colour alone. A tag rather than an included
    template: the register shows it on each of its 50 rows a page."""
    return format_html('<span class="badge badge--{}">{}</span>', BADGES[state], review_text(state, days))
