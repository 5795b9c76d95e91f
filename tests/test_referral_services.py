"""referral_create: routing by postcode, joining an open case, idempotency, urgency; and what the referrer sees."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.messages import constants
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from kansrijk.audit.models import Action, AuditEntry
from kansrijk.cases import selectors
from kansrijk.cases.models import Case, CaseEvent, EventKind, Status
from kansrijk.cases.services import case_transition
from kansrijk.clients.models import Client
from kansrijk.organisations.models import Membership, Role
from kansrijk.referrals.models import Referral, ReferralSource, Urgency
from kansrijk.referrals.services import ClientDetails, referral_create, referral_status_for_referrer

from . import factories as f
from .conftest import http_request, make_case, refer, referral_data

TEST_BSN = "999990019"  # RvIG test range; allowed in these tests


@pytest.fixture(autouse=True)
def _test_bsns_allowed(settings):
    settings.KANSRIJK_ALLOW_TEST_BSN = True


# --- Routing ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("postcode", "organisation", "municipality"),
    [("6211 AB", "jgz", "maastricht"), ("6411 AB", "jgz", "heerlen"), ("6131 AB", "other_jgz", "sittard")],
)
def test_referral_goes_to_the_jgz_that_serves_the_municipality_of_the_postcode(
    world, postcode, organisation, municipality
):
    result = refer(world, postcode=postcode)

    case = result.referral.case
    assert case.organisation == getattr(world, organisation)
    assert case.municipality == getattr(world, municipality)
    assert case.region == world.region
    assert case.status == Status.RECEIVED
    assert not result.routed_to_region
    assert result.referral.source == ReferralSource.MIDWIFE


def test_postcode_nobody_serves_gives_a_case_without_organisation_in_the_municipalitys_region(world):
    other_region = f.RegionFactory(name="Elders")
    practice_elsewhere = f.OrganisationFactory(name="Praktijk Elders", kind="midwifery", region=other_region)
    referrer = f.UserFactory(email="elders@example.org")
    f.MembershipFactory(user=referrer, organisation=practice_elsewhere, role=Role.REFERRER)

    result = refer(world, referrer=referrer, postcode="6191 AB")  # Beek, Testregio, served by nobody

    case = result.referral.case
    assert result.routed_to_region
    assert case.organisation is None
    assert case.municipality == world.beek
    assert case.region == world.region  # the municipality's region, not the referrer's


def test_postcode_outside_every_municipality_stays_in_the_referrers_region(world):
    result = refer(world, postcode="1011 AB")

    case = result.referral.case
    assert result.routed_to_region
    assert case.organisation is None
    assert case.municipality is None
    assert case.region == world.practice.region


def test_unserved_case_is_in_the_administrators_intake_queue_and_not_the_planners(world):
    case = refer(world, postcode="6191 AB").referral.case

    assert list(selectors.intake_queue(world.admin)) == [case]
    assert list(selectors.intake_queue(world.planner)) == []
    assert list(selectors.intake_queue(world.other_planner)) == []


def test_unserved_case_in_another_region_is_not_for_this_regions_administrator(world):
    other_region = f.RegionFactory(name="Elders")
    make_case(world, organisation=None, region=other_region, municipality=None)
    assert list(selectors.intake_queue(world.admin)) == []


def test_routed_case_moves_from_the_administrator_to_the_planner(world, client, login):
    case = refer(world, postcode="6191 AB").referral.case
    login(world.admin)

    response = client.post(f"/trajecten/{case.pk}/doorzetten/", {"version": case.version, "organisation": world.jgz.pk})

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.organisation == world.jgz
    assert case.version == 2
    assert case.events.filter(kind=EventKind.ROUTED, actor=world.admin).exists()
    assert list(selectors.intake_queue(world.planner)) == [case]
    assert list(selectors.intake_queue(world.admin)) == []


def test_case_cannot_be_routed_to_an_organisation_that_is_no_jgz(world, client, login):
    case = refer(world, postcode="6191 AB").referral.case
    login(world.admin)

    response = client.post(
        f"/trajecten/{case.pk}/doorzetten/", {"version": case.version, "organisation": world.practice.pk}
    )

    assert response.status_code == 400
    case.refresh_from_db()
    assert case.organisation is None


# --- Joining an open case -------------------------------------------------------------


def test_second_referral_with_the_same_bsn_joins_the_open_case(world):
    first = refer(world, bsn=TEST_BSN)
    second = refer(world, bsn=TEST_BSN, first_name="Lota", last_name="Jansen-Smit", postcode="6221 CD")

    assert second.joined_existing_case
    assert second.referral.case == first.referral.case
    assert second.referral.joined_existing_case
    assert Case.objects.count() == 1
    assert Client.objects.count() == 1
    assert first.referral.case.referrals.count() == 2
    assert CaseEvent.objects.filter(case=first.referral.case, kind=EventKind.REFERRAL).count() == 2


def test_second_referral_with_the_same_name_birth_date_and_due_date_joins_the_open_case(world):
    due = timezone.localdate() + timedelta(weeks=18)
    first = refer(world, due_date=due)
    second = refer(world, due_date=due, first_name=" lotte ", last_name="JANSSEN")

    assert second.joined_existing_case
    assert second.referral.case == first.referral.case


def test_same_name_and_birth_date_with_another_due_date_is_another_pregnancy(world):
    first = refer(world, due_date=timezone.localdate() + timedelta(weeks=18))
    second = refer(world, due_date=timezone.localdate() + timedelta(weeks=30))

    assert not second.joined_existing_case
    assert second.referral.case != first.referral.case


def test_referral_for_a_woman_whose_case_is_closed_opens_a_new_case_for_the_same_client(world):
    first = refer(world, bsn=TEST_BSN)
    Case.objects.filter(pk=first.referral.case_id).update(status=Status.CLOSED, close_reason="completed")

    second = refer(world, bsn=TEST_BSN, postcode="6221 CD")

    assert not second.joined_existing_case
    assert second.referral.case != first.referral.case
    assert second.referral.case.client == first.referral.case.client  # one client per BSN
    assert second.referral.case.client.postcode == "6221 CD"  # her details brought up to date
    assert Case.objects.count() == 2


def test_referral_does_not_join_a_closed_case_by_name_either(world):
    due = timezone.localdate() + timedelta(weeks=18)
    first = refer(world, due_date=due)
    Case.objects.filter(pk=first.referral.case_id).update(status=Status.CLOSED, close_reason="moved")

    assert not refer(world, due_date=due).joined_existing_case


def test_more_urgent_referral_raises_the_urgency_of_the_open_case(world):
    first = refer(world, bsn=TEST_BSN, urgency=Urgency.NORMAL)
    refer(world, bsn=TEST_BSN, urgency=Urgency.URGENT)
    refer(world, bsn=TEST_BSN, urgency=Urgency.HIGH)  # a less urgent one does not lower it

    case = Case.objects.get(pk=first.referral.case_id)
    assert case.urgency == Urgency.URGENT


def test_joining_referral_moves_the_case_up_the_intake_queue(world):
    with time_machine.travel("2025-03-01 09:00 +01:00", tick=False):
        older = refer(world, last_name="Ouder").referral.case
    with time_machine.travel("2025-03-02 09:00 +01:00", tick=False):
        newer = refer(world, last_name="Nieuwer", bsn=TEST_BSN).referral.case
        assert list(selectors.intake_queue(world.planner)) == [older, newer]
        refer(world, bsn=TEST_BSN, urgency=Urgency.HIGH)
        assert list(selectors.intake_queue(world.planner)) == [newer, older]


# --- Idempotency ------------------------------------------------------------------------


def test_same_submission_key_twice_makes_one_referral(world):
    key = f.new_key()
    first = refer(world, key=key)
    second = refer(world, key=key)

    assert first.created
    assert not second.created
    assert second.referral == first.referral
    assert Referral.objects.count() == 1
    assert Case.objects.count() == 1
    assert AuditEntry.objects.filter(action=Action.CREATE).count() == 1


def test_same_post_twice_through_the_form_makes_one_referral(world, client, login):
    login(world.midwife)
    data = referral_data(world)

    first = client.post("/aanmeldingen/nieuw/", data)
    second = client.post("/aanmeldingen/nieuw/", data, follow=True)

    assert first.status_code == 302
    assert second.status_code == 200
    assert Referral.objects.count() == 1
    assert Case.objects.count() == 1
    referral = Referral.objects.get()
    assert second.redirect_chain[-1][0] == f"/aanmeldingen/{referral.pk}/"
    messages = list(second.context["messages"])
    assert messages[-1].level == constants.INFO  # "already sent", not "sent" again


def test_new_form_carries_a_fresh_submission_key_each_time(world, client, login):
    login(world.midwife)
    first = client.get("/aanmeldingen/nieuw/").context["form"]["submission_key"].value()
    second = client.get("/aanmeldingen/nieuw/").context["form"]["submission_key"].value()
    assert first != second


# --- Consent and other service rules ------------------------------------------------------


def test_service_refuses_a_referral_without_consent_to_contact(world):
    with pytest.raises(ValidationError):
        referral_create(
            request=http_request(world.midwife),
            referrer=world.midwife,
            membership=Membership.objects.get(user=world.midwife),
            details=ClientDetails(
                first_name="Lotte",
                last_name="Janssen",
                date_of_birth=timezone.localdate().replace(year=2000),
                postcode="6211 AB",
            ),
            due_date=timezone.localdate() + timedelta(weeks=20),
            urgency=Urgency.NORMAL,
            screening_instrument="none",
            domains=[],
            reason="x",
            consent_contact=False,
            consent_feedback=False,
            submission_key=f.new_key(),
        )
    assert not Referral.objects.exists()
    assert not Case.objects.exists()


def test_referral_records_consent_domains_event_and_audit_row(world):
    with time_machine.travel("2025-03-01 09:00 +01:00", tick=False):
        referral = refer(world, consent_feedback=False).referral

    assert referral.consent_contact
    assert not referral.consent_feedback
    assert referral.consent_recorded_at == datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
    assert list(referral.domains.all()) == world.domains[:1]
    event = CaseEvent.objects.get(case=referral.case)
    assert event.kind == EventKind.REFERRAL
    assert event.actor == world.midwife
    entry = AuditEntry.objects.get(action=Action.CREATE)
    assert (entry.user, entry.role, entry.organisation) == (world.midwife, Role.REFERRER, world.practice)
    assert (entry.client_id, entry.case_id) == (referral.case.client_id, referral.case_id)


# --- The intake queue and caseloads ----------------------------------------------------------


def test_intake_queue_shows_most_urgent_first_then_oldest(world):
    base = timezone.now() - timedelta(days=10)
    normal_old = make_case(world, urgency=Urgency.NORMAL, received_at=base)
    normal_new = make_case(world, urgency=Urgency.NORMAL, received_at=base + timedelta(days=3))
    urgent_new = make_case(world, urgency=Urgency.URGENT, received_at=base + timedelta(days=5))
    high_old = make_case(world, urgency=Urgency.HIGH, received_at=base + timedelta(days=1))
    high_new = make_case(world, urgency=Urgency.HIGH, received_at=base + timedelta(days=2))
    make_case(world, "assigned")  # no longer in intake
    make_case(world, "closed")

    assert list(selectors.intake_queue(world.planner)) == [urgent_new, high_old, high_new, normal_old, normal_new]


def test_intake_queue_page_lists_cases_in_queue_order(world, client, login):
    make_case(world, client=f.ClientFactory(last_name="Eerder"), received_at=timezone.now() - timedelta(days=3))
    make_case(world, client=f.ClientFactory(last_name="Urgenter"), urgency=Urgency.URGENT)
    login(world.planner)

    html = client.get("/trajecten/intake/").content.decode()

    assert html.index("Urgenter") < html.index("Eerder")


def test_nurse_caseload_counts_open_cases_only_least_loaded_first(world):
    for _ in range(3):
        make_case(world, "assigned", nurse=world.nurse)
    make_case(world, "in_contact", nurse=world.nurse2)
    make_case(world, "closed", nurse=world.nurse2)
    make_case(world, "closed", nurse=world.nurse2)
    idle = f.UserFactory(email="idle@example.org", full_name="Ida Idle")
    f.MembershipFactory(user=idle, organisation=world.jgz, role=Role.NURSE)
    gone = f.UserFactory(email="gone@example.org", full_name="Gone", is_active=False)
    f.MembershipFactory(user=gone, organisation=world.jgz, role=Role.NURSE)
    # Also a nurse of the other organisation: her cases there are not this team's load.
    f.MembershipFactory(user=world.nurse2, organisation=world.other_jgz, role=Role.NURSE)
    for _ in range(3):
        make_case(world, "assigned", organisation=world.other_jgz, nurse=world.nurse2)

    loads = [(n, n.open_cases) for n in selectors.nurse_caseloads(world.jgz)]

    assert loads == [(idle, 0), (world.nurse2, 1), (world.nurse, 3)]
    assert world.other_nurse not in [n for n, _ in loads]
    assert [(n, n.open_cases) for n in selectors.nurse_caseloads(world.other_jgz)] == [
        (world.other_nurse, 0),
        (world.nurse2, 3),
    ]


def test_my_cases_lists_her_open_cases_nearest_due_date_first(world):
    today = timezone.localdate()
    later = make_case(world, "assigned", due_date=today + timedelta(weeks=20))
    sooner = make_case(world, "in_contact", due_date=today + timedelta(weeks=5))
    closed = make_case(world, "closed")
    make_case(world, "assigned", nurse=world.nurse2)

    assert list(selectors.my_cases(world.nurse)) == [sooner, later]
    assert closed in selectors.my_cases(world.nurse, include_closed=True)


# --- What the referrer sees ---------------------------------------------------------------------


def _advance(world, case, *names):
    for name in names:
        actor = world.planner if name == "assign" else world.nurse
        case_transition(
            request=http_request(actor),
            case=case,
            name=name,
            nurse=world.nurse if name == "assign" else None,
            reason="declined" if name == "close" else "",
        )


def test_referrer_without_feedback_consent_sees_only_that_the_jgz_received_it(world):
    referral = refer(world, consent_feedback=False).referral
    with translation.override("en"):
        received = referral_status_for_referrer(referral)
        _advance(world, referral.case, "assign", "contact", "close")
        referral.refresh_from_db()
        assert referral_status_for_referrer(referral) == received
        assert "Closed" not in received
        assert str(Status.CLOSED.label) not in referral_status_for_referrer(referral)


def test_referrer_with_feedback_consent_follows_the_stage_of_the_case(world):
    referral = refer(world).referral
    with translation.override("en"):
        assert referral_status_for_referrer(referral) == str(Status.RECEIVED.label)
        _advance(world, referral.case, "assign")
        assert referral_status_for_referrer(referral) == str(Status.ASSIGNED.label)
        _advance(world, referral.case, "contact", "close")
        status = referral_status_for_referrer(referral)
        assert str(Status.CLOSED.label) in status
        assert "Declined" in status


def test_referral_page_shows_no_stage_without_feedback_consent(world, client, login):
    referral = refer(world, consent_feedback=False).referral
    _advance(world, referral.case, "assign", "contact")
    login(world.midwife)

    response = client.get(f"/aanmeldingen/{referral.pk}/")
    listing = client.get("/aanmeldingen/")

    html = response.content.decode() + listing.content.decode()
    with translation.override("nl"):
        assert str(Status.IN_CONTACT.label) not in html
    assert response.context["status_for_referrer"] == referral_status_for_referrer(Referral.objects.get(pk=referral.pk))
    assert world.nurse.full_name not in html
