"""The follow-up referral's status, declared once: which change leads where, and who may make it.

    proposed → sent → accepted / waiting list (expected start) → started → ended
    declined by the family (JGZ) or by the provider, each with a reason.

Two sides act on a follow-up referral (`access.follow_up_side`): the **JGZ** (the case's
nurse or a planner of its organisation, on an open case) proposes and sends it and may
record any status the family or provider reports to her; the **provider** (a user of the
offer's provider organisation, once it is sent) answers it. Every change goes through
`followup.services.follow_up_send` or `follow_up_change`.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import FollowUpStatus as S

JGZ = "jgz"
PROVIDER = "provider"
BOTH = frozenset({JGZ, PROVIDER})


@dataclass(frozen=True)
class Change:
    name: str
    label: Promise
    sources: frozenset[str]
    target: str
    sides: frozenset[str]
    needs_reason: bool = False
    needs_expected_start: bool = False
    #: Sending: what the family agreed to share, and her consent, are required.
    needs_consent: bool = False


CHANGES: dict[str, Change] = {
    c.name: c
    for c in [
        Change(
            name="send",
            label=_("Send to the provider"),
            sources=frozenset({S.PROPOSED}),
            target=S.SENT,
            sides=frozenset({JGZ}),
            needs_consent=True,
        ),
        Change(
            name="accept",
            label=_("Accepted"),
            sources=frozenset({S.SENT}),
            target=S.ACCEPTED,
            sides=BOTH,
        ),
        Change(
            name="waiting_list",
            label=_("On a waiting list"),
            sources=frozenset({S.SENT, S.ACCEPTED, S.WAITING_LIST}),
            target=S.WAITING_LIST,
            sides=BOTH,
            needs_expected_start=True,
        ),
        Change(
            name="start",
            label=_("Support has started"),
            sources=frozenset({S.SENT, S.ACCEPTED, S.WAITING_LIST}),
            target=S.STARTED,
            sides=BOTH,
        ),
        Change(
            name="end",
            label=_("Support has ended"),
            sources=frozenset({S.STARTED}),
            target=S.ENDED,
            sides=BOTH,
        ),
        Change(
            name="decline_family",
            label=_("Declined by the family"),
            sources=frozenset({S.PROPOSED, S.SENT, S.ACCEPTED, S.WAITING_LIST}),
            target=S.DECLINED_FAMILY,
            sides=frozenset({JGZ}),
            needs_reason=True,
        ),
        Change(
            name="decline_provider",
            label=_("Declined by the provider"),
            sources=frozenset({S.SENT, S.ACCEPTED, S.WAITING_LIST}),
            target=S.DECLINED_PROVIDER,
            sides=BOTH,
            needs_reason=True,
        ),
    ]
}


def changes_for(side: str | None, status: str) -> list[Change]:
    """The changes this side may make from this status, in table order."""
    return [c for c in CHANGES.values() if side in c.sides and status in c.sources]
