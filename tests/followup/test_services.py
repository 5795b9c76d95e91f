"""Proposing, sending and changing follow-up referrals: the rules, the records and the audit rows."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from kansrijk.audit.models import Action, AuditEntry
from kansrijk.cases.models import CaseEvent, Status
from kansrijk.cases.services import ConcurrentEdit
from kansrijk.followup.models import FollowUp, FollowUpStatus
from kansrijk.followup.services import follow_up_change, follow_up_propose, follow_up_send

from ..conftest import http_request, make_case
from .conftest import OfferFactory, put_follow_up

S = FollowUpStatus
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


@pytest.fixture(autouse=True)
def english():
    """Messages are matched on their English msgid."""
    with translation.override("en"):
        yield


def propose(world, case, offer, **kwargs):
    return follow_up_propose(request=http_request(world.nurse), case=case, offer=offer, **kwargs)


def send(user, follow_up, **kwargs):
    values = {"shared_with_provider": "Zoekt een steunouder.", "share_phone": True, "consent": True}
    values.update(kwargs)
    return follow_up_send(request=http_request(user), follow_up=follow_up, **values)


# --- Proposing --------------------------------------------------------------------


def test_proposing_records_the_follow_up_its_event_and_an_audit_row(world, offer):
    case = make_case(world, "visited")
    with time_machine.travel(T0, tick=False):
        follow_up, created = propose(world, case, offer, domain=world.domains[0])

    assert created
    assert (follow_up.status, follow_up.status_changed_at, follow_up.domain) == (S.PROPOSED, T0, world.domains[0])
    event = follow_up.events.get()
    assert (event.actor, event.from_status, event.to_status, event.at) == (world.nurse, "", S.PROPOSED, T0)
    entry = AuditEntry.objects.get(action=Action.CREATE, case_id=case.pk)
    assert (entry.user, entry.client_id, entry.role) == (world.nurse, case.client_id, "nurse")


def test_an_offer_outside_her_municipality_needs_a_reason(world, offer):
    case = make_case(world, "visited", municipality=world.sittard)

    with pytest.raises(ValidationError, match="does not serve"):
        propose(world, case, offer)
    assert not FollowUp.objects.exists()

    follow_up, created = propose(world, case, offer, outside_area_reason="  Dichtstbijzijnde met plek.  ")
    assert created
    assert follow_up.outside_area_reason == "Dichtstbijzijnde met plek."
    assert "Dichtstbijzijnde" in follow_up.events.get().note


def test_a_reason_for_an_offer_in_her_municipality_is_not_kept(world, offer):
    follow_up, _ = propose(world, make_case(world, "visited"), offer, outside_area_reason="Niet nodig")
    assert follow_up.outside_area_reason == ""


def test_a_case_without_municipality_needs_a_reason_too(world, offer):
    case = make_case(world, "visited", municipality=None)
    with pytest.raises(ValidationError):
        propose(world, case, offer)


@pytest.mark.parametrize("problem", ["inactive", "other_region", "domain_of_other_region"])
def test_only_active_offers_and_domains_of_the_case_region_are_proposed(world, offer, problem):
    from ..factories import DomainFactory, RegionFactory

    case = make_case(world, "visited")
    kwargs = {}
    if problem == "inactive":
        offer.is_active = False
        offer.save()
    elif problem == "other_region":
        offer = OfferFactory(region=RegionFactory(name="Elders"), provider=None, municipalities=[world.maastricht])
    else:
        kwargs["domain"] = DomainFactory(region=RegionFactory(name="Elders"))
    with pytest.raises(ValidationError):
        propose(world, case, offer, **kwargs)
    assert not FollowUp.objects.exists()


@pytest.mark.parametrize("who", ["nurse2", "other_nurse", "provider", "midwife"])
def test_only_the_nurse_or_planner_of_the_case_proposes(world, offer, who):
    with pytest.raises(PermissionDenied):
        follow_up_propose(request=http_request(getattr(world, who)), case=make_case(world, "visited"), offer=offer)


def test_nobody_proposes_on_a_closed_case(world, offer):
    with pytest.raises(PermissionDenied):
        propose(world, make_case(world, "closed"), offer)


def test_a_second_proposal_of_an_open_offer_returns_the_first(world, offer):
    case = make_case(world, "visited")
    first, created = propose(world, case, offer)
    again, created_again = propose(world, case, offer)

    assert created and not created_again
    assert again == first
    assert FollowUp.objects.count() == 1
    assert AuditEntry.objects.filter(action=Action.CREATE).count() == 1


def test_after_a_decline_the_same_offer_may_be_proposed_again(world, offer):
    case = make_case(world, "visited")
    put_follow_up(world, offer=offer, case=case, status=S.DECLINED_PROVIDER)
    _, created = propose(world, case, offer)
    assert created


def test_the_database_refuses_two_open_follow_ups_to_one_offer(world, offer):
    case = make_case(world, "visited")
    put_follow_up(world, offer=offer, case=case, status=S.SENT)
    with pytest.raises(IntegrityError), transaction.atomic():
        put_follow_up(world, offer=offer, case=case, status=S.PROPOSED)


# --- Sending ----------------------------------------------------------------------


def test_sending_records_what_is_shared_and_when_with_consent(world, offer):
    follow_up, _ = propose(world, make_case(world, "follow_up"), offer)
    with time_machine.travel(T0, tick=False):
        send(world.nurse, follow_up, share_phone=False)

    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.sent_at, follow_up.status_changed_at) == (S.SENT, T0, T0)
    assert (follow_up.shared_with_provider, follow_up.share_phone, follow_up.version) == (
        "Zoekt een steunouder.",
        False,
        2,
    )
    event = follow_up.events.get(to_status=S.SENT)
    assert (event.from_status, event.to_status, event.actor) == (S.PROPOSED, S.SENT, world.nurse)
    assert "consented" in event.note
    assert AuditEntry.objects.filter(action=Action.UPDATE, description__contains="proposed → sent").count() == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"consent": False}, "Confirm"), ({"shared_with_provider": "   "}, "Write down")],
)
def test_sending_needs_the_familys_consent_and_what_she_shares(world, offer, kwargs, message):
    follow_up, _ = propose(world, make_case(world, "follow_up"), offer)
    with pytest.raises(ValidationError, match=message):
        send(world.nurse, follow_up, **kwargs)
    follow_up.refresh_from_db()
    assert follow_up.status == S.PROPOSED
    assert follow_up.sent_at is None


def test_sending_the_first_follow_up_of_a_visited_case_moves_the_case_to_follow_up(world, offer):
    case = make_case(world, "visited")
    follow_up, _ = propose(world, case, offer)

    send(world.nurse, follow_up)

    case.refresh_from_db()
    assert case.status == Status.FOLLOW_UP
    event = CaseEvent.objects.get(case=case, transition="follow_up")
    assert event.actor == world.nurse
    assert AuditEntry.objects.filter(case_id=case.pk, description__contains="(follow_up)").exists()


def test_sending_from_a_case_before_its_visit_leaves_the_case_status_alone(world, offer):
    case = make_case(world, "in_contact")
    follow_up, _ = propose(world, case, offer)
    send(world.nurse, follow_up)
    case.refresh_from_db()
    assert case.status == Status.IN_CONTACT


def test_a_planner_sends_but_the_case_step_stays_with_the_nurse(world, offer):
    case = make_case(world, "visited")
    follow_up, _ = follow_up_propose(request=http_request(world.planner), case=case, offer=offer)
    send(world.planner, follow_up)
    case.refresh_from_db()
    follow_up.refresh_from_db()
    assert follow_up.status == S.SENT
    assert case.status == Status.VISITED  # "follow_up" is the nurse's transition (cases/workflow.py)


# --- Changing the status --------------------------------------------------------------


def test_waiting_list_needs_an_expected_start_not_in_the_past(world, offer):
    follow_up = put_follow_up(world, offer=offer, status=S.SENT)
    with time_machine.travel(T0, tick=False):
        with pytest.raises(ValidationError, match="expected start"):
            follow_up_change(request=http_request(world.provider), follow_up=follow_up, name="waiting_list")
        with pytest.raises(ValidationError, match="past"):
            follow_up_change(
                request=http_request(world.provider),
                follow_up=follow_up,
                name="waiting_list",
                expected_start=T0.date() - timedelta(days=1),
            )
        follow_up_change(
            request=http_request(world.provider),
            follow_up=follow_up,
            name="waiting_list",
            expected_start=T0.date() + timedelta(weeks=6),
        )
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.expected_start) == (S.WAITING_LIST, T0.date() + timedelta(weeks=6))


@pytest.mark.parametrize(("name", "user"), [("decline_family", "nurse"), ("decline_provider", "provider")])
def test_declining_needs_a_reason_which_is_kept(world, offer, name, user):
    follow_up = put_follow_up(world, offer=offer, status=S.SENT)
    actor = getattr(world, user)
    with pytest.raises(ValidationError, match="reason"):
        follow_up_change(request=http_request(actor), follow_up=follow_up, name=name, reason="  ")

    follow_up_change(request=http_request(actor), follow_up=follow_up, name=name, reason="Geen plek tot juni.")

    follow_up.refresh_from_db()
    assert follow_up.decline_reason == "Geen plek tot juni."
    assert follow_up.events.get().note == "Geen plek tot juni."


def test_every_change_stamps_status_changed_at_and_writes_event_and_audit_row_with_the_providers_membership(
    world, offer
):
    follow_up = put_follow_up(world, offer=offer, status=S.SENT)
    with time_machine.travel(T0, tick=False):
        follow_up_change(request=http_request(world.provider), follow_up=follow_up, name="accept", note="Bellen ma.")
    follow_up.refresh_from_db()
    assert follow_up.status_changed_at == T0
    event = follow_up.events.get()
    assert (event.at, event.actor, event.note) == (T0, world.provider, "Bellen ma.")
    entry = AuditEntry.objects.get(user=world.provider, action=Action.UPDATE)
    assert (entry.role, entry.organisation, entry.client_id, entry.case_id) == (
        "provider",
        world.provider_org,
        follow_up.case.client_id,
        follow_up.case_id,
    )


def test_send_is_not_a_status_change_of_its_own(world, offer):
    follow_up = put_follow_up(world, offer=offer, status=S.PROPOSED)
    with pytest.raises(ValidationError):
        follow_up_change(request=http_request(world.nurse), follow_up=follow_up, name="send")
    with pytest.raises(ValidationError):
        follow_up_change(request=http_request(world.nurse), follow_up=follow_up, name="reopen")


# --- Two people at once ---------------------------------------------------------------


def test_nurse_and_provider_changing_at_once_the_second_is_refused_and_nothing_is_overwritten(world, offer):
    follow_up = put_follow_up(world, offer=offer, status=S.SENT)
    seen_by_nurse = FollowUp.objects.get(pk=follow_up.pk)
    seen_by_provider = FollowUp.objects.get(pk=follow_up.pk)

    follow_up_change(
        request=http_request(world.provider),
        follow_up=seen_by_provider,
        name="accept",
        expected_version=seen_by_provider.version,
    )
    with pytest.raises(ConcurrentEdit, match="Someone else changed this follow-up"):
        follow_up_change(
            request=http_request(world.nurse),
            follow_up=seen_by_nurse,
            name="decline_family",
            reason="Wil niet meer.",
            expected_version=seen_by_nurse.version,
        )

    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.decline_reason, follow_up.version) == (S.ACCEPTED, "", 2)
    assert follow_up.events.count() == 1


def test_sending_twice_with_the_same_version_sends_once(world, offer):
    follow_up = put_follow_up(world, offer=offer, status=S.PROPOSED)
    version = follow_up.version
    send(world.nurse, FollowUp.objects.get(pk=follow_up.pk), expected_version=version)
    with pytest.raises((ConcurrentEdit, PermissionDenied)):
        send(world.nurse, FollowUp.objects.get(pk=follow_up.pk), expected_version=version)
    assert follow_up.events.count() == 1


def test_a_stale_copy_is_refused_even_without_a_version_from_a_form(world, offer):
    follow_up = put_follow_up(world, offer=offer, status=S.SENT)
    stale = FollowUp.objects.get(pk=follow_up.pk)
    follow_up_change(request=http_request(world.provider), follow_up=follow_up, name="accept")
    # `stale` still believes it is "sent", version 1: the guard, not the table, stops it.
    with pytest.raises(ConcurrentEdit):
        follow_up_change(request=http_request(world.nurse), follow_up=stale, name="accept")
