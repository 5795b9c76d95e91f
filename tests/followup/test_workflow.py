"""The follow-up referral's transition table: every change, from every status, by every kind of user."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from kansrijk.audit.models import Action, AuditEntry
from kansrijk.followup.models import FollowUpEvent, FollowUpStatus
from kansrijk.followup.services import follow_up_change, follow_up_send
from kansrijk.followup.workflow import CHANGES

from ..conftest import http_request, make_case
from .conftest import put_follow_up

S = FollowUpStatus
OPEN = {S.SENT, S.ACCEPTED, S.WAITING_LIST}
#: Written out from the issue, independently of `workflow.CHANGES`: change -> (from statuses, who).
EXPECTED = {
    "send": ({S.PROPOSED}, {"jgz"}),
    "accept": ({S.SENT}, {"jgz", "provider"}),
    "waiting_list": (OPEN, {"jgz", "provider"}),
    "start": (OPEN, {"jgz", "provider"}),
    "end": ({S.STARTED}, {"jgz", "provider"}),
    "decline_family": ({S.PROPOSED} | OPEN, {"jgz"}),
    "decline_provider": (OPEN, {"jgz", "provider"}),
}
#: persona -> side ("outsider" never acts)
PERSONAS = {
    "nurse": "jgz",
    "planner": "jgz",
    "provider": "provider",
    "nurse2": "outsider",
    "other_nurse": "outsider",
    "other_provider": "outsider",
    "midwife": "outsider",
}


def test_the_declared_table_is_the_one_the_issue_asks_for():
    assert set(CHANGES) == set(EXPECTED)
    for name, (sources, sides) in EXPECTED.items():
        assert CHANGES[name].sources == sources, name
        assert CHANGES[name].sides == sides, name


def _make(request, follow_up, name):
    if name == "send":
        return follow_up_send(
            request=request, follow_up=follow_up, shared_with_provider="Wil steun.", share_phone=False, consent=True
        )
    return follow_up_change(
        request=request,
        follow_up=follow_up,
        name=name,
        reason="Past nu niet.",
        expected_start=timezone.localdate() + timedelta(days=10),
    )


@pytest.mark.parametrize("persona", list(PERSONAS))
@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_change_is_made_only_from_its_statuses_and_by_its_side(world, offer, other_provider, name, persona):
    user = other_provider if persona == "other_provider" else getattr(world, persona)
    sources, sides = EXPECTED[name]
    case = make_case(world, "follow_up")
    for status in S.values:
        follow_up = put_follow_up(world, offer=offer, status=status, case=case)
        allowed = status in sources and PERSONAS[persona] in sides
        if allowed:
            _make(http_request(user), follow_up, name)
            follow_up.refresh_from_db()
            assert follow_up.status == CHANGES[name].target, (status, persona)
            event = FollowUpEvent.objects.get(follow_up=follow_up)
            assert (event.actor, event.from_status, event.to_status) == (user, status, follow_up.status)
            assert AuditEntry.objects.filter(
                user=user, action=Action.UPDATE, case_id=case.pk, description__contains=f"{follow_up.pk} to offer"
            ).exists()
        else:
            with pytest.raises(PermissionDenied):
                _make(http_request(user), follow_up, name)
            follow_up.refresh_from_db()
            assert follow_up.status == status, (status, persona)
            assert not follow_up.events.exists()
        # Done with this one; close it so the next status may open a new one on the same offer.
        follow_up.delete()


def test_the_jgz_no_longer_changes_follow_ups_of_a_closed_case_but_the_provider_still_does(world, offer):
    case = make_case(world, "closed")
    follow_up = put_follow_up(world, offer=offer, status=S.ACCEPTED, case=case)

    with pytest.raises(PermissionDenied):
        follow_up_change(request=http_request(world.nurse), follow_up=follow_up, name="start")
    follow_up_change(request=http_request(world.provider), follow_up=follow_up, name="start")

    follow_up.refresh_from_db()
    assert follow_up.status == S.STARTED


def test_the_provider_does_not_see_or_answer_a_proposal_not_sent_yet(world, offer):
    follow_up = put_follow_up(world, offer=offer, status=S.PROPOSED)
    with pytest.raises(PermissionDenied):
        follow_up_change(request=http_request(world.provider), follow_up=follow_up, name="decline_provider", reason="x")
