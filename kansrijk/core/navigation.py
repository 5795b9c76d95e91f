from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kansrijk import access


@dataclass(frozen=True)
class NavItem:
    url: str
    label: str
    active: bool


def nav_entries(user) -> list[tuple[str, object]]:
    """(url name, label) of the pages this user's roles include, in menu order."""
    can = access.capabilities(user)
    entries = []
    if can.my_cases:
        entries += [("worklist:day", _("My day")), ("cases:mine", _("My cases")), ("care:agenda", _("Agenda"))]
    if can.intake:
        entries.append(("cases:intake", _("Intake queue")))
    if can.team:
        entries += [("worklist:team_day", _("Team today")), ("cases:team", _("Team cases"))]
        if not can.my_cases:
            entries.append(("care:agenda", _("Agenda")))
    if can.refer:
        entries += [("referrals:list", _("My referrals")), ("referrals:new", _("New referral"))]
    if can.provider:
        entries.append(("followup:provider_list", _("Follow-up referrals")))
    if can.monitoring:
        entries += [("monitoring:dashboard", _("Figures")), ("monitoring:planner", _("Capacity planning"))]
    if can.agreements:
        entries.append(("agreements:list", _("Agreements")))
    if can.evaluation_results:
        entries.append(("evaluation:results", _("Evaluation")))
    elif can.evaluation:
        entries.append(("evaluation:professional", _("Evaluation")))
    if can.social_map:
        entries.append(("socialmap:search", _("Social map")))
    if can.questions:
        entries.append(("desk:question_queue", _("Questions")))
    if can.desk_pages:
        entries.append(("desk:editor", _("Desk pages")))
    if can.audit:
        entries.append(("audit:search", _("Audit log")))
    if can.admin_site:
        entries.append(("admin:index", _("Administration")))
    return entries


def start_url(user) -> str:
    entries = nav_entries(user)
    return reverse(entries[0][0]) if entries else reverse("core:no_role")
