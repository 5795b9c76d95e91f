"""The case status state machine, declared once.

Every status change goes through `cases.services.case_transition`, which looks the
transition up here, checks the role, records a `CaseEvent` and stamps the
lead-time fields. Nothing else writes `Case.status`.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kansrijk.organisations.models import Role

from .models import CloseReason, Status

OPEN_STATUSES = frozenset({Status.ASSIGNED, Status.IN_CONTACT, Status.VISITED, Status.FOLLOW_UP})


@dataclass(frozen=True)
class Transition:
    name: str
    label: Promise
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    #: Field on Case stamped with the time of the first time this transition happens.
    stamps: str = ""
    needs_nurse: bool = False
    needs_reason: bool = False
    fixed_reason: str = ""
    needs_note: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition(
            name="assign",
            label=_("Assign a nurse"),
            sources=frozenset({Status.RECEIVED}),
            target=Status.ASSIGNED,
            roles=frozenset({Role.PLANNER}),
            stamps="assigned_at",
            needs_nurse=True,
        ),
        Transition(
            name="reject",
            label=_("Close: not in the target group"),
            sources=frozenset({Status.RECEIVED}),
            target=Status.CLOSED,
            roles=frozenset({Role.PLANNER}),
            fixed_reason=CloseReason.NOT_IN_TARGET_GROUP,
            needs_note=True,
        ),
        Transition(
            name="contact",
            label=_("Record first contact"),
            sources=frozenset({Status.ASSIGNED}),
            target=Status.IN_CONTACT,
            roles=frozenset({Role.NURSE, Role.PLANNER}),
            stamps="first_contact_at",
        ),
        Transition(
            name="visit",
            label=_("Record home visit held"),
            sources=frozenset({Status.IN_CONTACT}),
            target=Status.VISITED,
            roles=frozenset({Role.NURSE}),
            stamps="first_visit_at",
        ),
        Transition(
            name="follow_up",
            label=_("Start follow-up"),
            sources=frozenset({Status.VISITED}),
            target=Status.FOLLOW_UP,
            roles=frozenset({Role.NURSE}),
        ),
        Transition(
            name="close",
            label=_("Close the case"),
            sources=OPEN_STATUSES,
            target=Status.CLOSED,
            roles=frozenset({Role.NURSE, Role.PLANNER}),
            needs_reason=True,
        ),
    ]
}


def transitions_from(status: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if status in t.sources]
