"""The follow-up provider sees only the referrals sent to her organisation, only what the family
consented to share, and nothing else of the case."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import dateformat, timezone, translation

from kansrijk.audit.models import Action, AuditEntry, Outcome
from kansrijk.cases.models import Case
from kansrijk.followup.models import FollowUp, FollowUpStatus

from ..conftest import make_case, refer
from ..factories import ClientFactory
from .conftest import put_follow_up

S = FollowUpStatus


@pytest.fixture
def provider_client(world, client, login):
    login(world.provider)
    client.cookies["django_language"] = "en"
    return client


def _client(**fields):
    values = {
        "first_name": "Noor",
        "last_name": "Bakker",
        "phone": "0611112222",
        "bsn": "999990019",
        "street": "Geheimstraat",
        "house_number": "7",
        "email": "noor@example.org",
    }
    values.update(fields)
    return ClientFactory(**values)


def test_the_list_holds_only_referrals_sent_to_her_organisation(world, offer, other_provider, provider_client):
    sent = put_follow_up(world, offer=offer, status=S.SENT, case=make_case(world, "follow_up", client=_client()))
    started = put_follow_up(world, offer=offer, status=S.STARTED, case=make_case(world, "follow_up"))
    proposed = put_follow_up(world, offer=offer, status=S.PROPOSED, case=make_case(world, "follow_up"))
    elsewhere = put_follow_up(world, offer=other_provider.offer, status=S.SENT, case=make_case(world, "follow_up"))

    response = provider_client.get("/vervolg/aanbieder/")

    assert response.status_code == 200
    assert set(response.context["follow_ups"]) == {sent, started}
    assert proposed.case.client.last_name not in response.content.decode()
    assert elsewhere.case.client.last_name not in response.content.decode()
    rows = AuditEntry.objects.filter(user=world.provider, action=Action.LIST)
    assert sorted(rows.values_list("client_id", flat=True)) == sorted([sent.case.client_id, started.case.client_id])
    assert set(rows.values_list("role", flat=True)) == {"provider"}


def test_the_list_filters_by_status(world, offer, provider_client):
    put_follow_up(world, offer=offer, status=S.SENT)
    waiting = put_follow_up(world, offer=offer, status=S.WAITING_LIST)
    response = provider_client.get("/vervolg/aanbieder/?status=waiting_list")
    assert list(response.context["follow_ups"]) == [waiting]
    # A proposal is not a status she can ask for.
    assert len(provider_client.get("/vervolg/aanbieder/?status=proposed").context["follow_ups"]) == 2


def test_the_list_costs_the_same_number_of_queries_for_many_referrals(world, offer, provider_client):
    from .conftest import OfferFactory

    put_follow_up(world, offer=offer, status=S.SENT)
    with CaptureQueriesContext(connection) as few:
        provider_client.get("/vervolg/aanbieder/")
    for _ in range(6):
        other = OfferFactory(region=world.region, provider=world.provider_org)
        put_follow_up(world, offer=other, status=S.ACCEPTED)
    with CaptureQueriesContext(connection) as many:
        provider_client.get("/vervolg/aanbieder/")
    assert len(many) == len(few)


def test_the_detail_shows_only_what_the_family_consented_to_share(world, offer, provider_client):
    referral = refer(
        world, first_name="Noor", last_name="Bakker", phone="0611112222", email="noor@example.org"
    ).referral
    Case.objects.filter(pk=referral.case_id).update(nurse=world.nurse, status="follow_up")
    case = Case.objects.get(pk=referral.case_id)
    follow_up = put_follow_up(
        world, offer=offer, case=case, status=S.SENT, shared_with_provider="Wil hulp bij de administratie."
    )

    html = provider_client.get(f"/vervolg/aanbieder/{follow_up.pk}/").content.decode()

    assert "Noor Bakker" in html
    assert "0611112222" in html
    assert "Wil hulp bij de administratie." in html
    assert offer.name in html
    with translation.override("en"):  # the page is in English (cookie): so are the dates looked for
        secrets = [
            "noor@example.org",
            referral.reason,
            case.client.postcode,
            f"/trajecten/{case.pk}/",
            case.due_date.isoformat(),  # no due date
            dateformat.format(case.due_date, "j F Y"),
            dateformat.format(case.client.date_of_birth, "j F Y"),
            world.domains[0].name_nl,  # no signals
        ]
        sent_on = dateformat.format(timezone.localtime(follow_up.sent_at), "j F Y")
    assert sent_on in html  # dates are shown in this format, so the search for the others means something
    for secret in secrets:
        assert secret not in html, secret


def test_the_phone_number_is_shown_only_when_the_family_agreed(world, offer, provider_client):
    case = make_case(world, "follow_up", client=_client())
    follow_up = put_follow_up(world, offer=offer, case=case, status=S.SENT, share_phone=False)
    html = provider_client.get(f"/vervolg/aanbieder/{follow_up.pk}/").content.decode()
    assert "Noor Bakker" in html
    assert "0611112222" not in html


def test_the_familys_own_reason_for_declining_stays_with_the_jgz(world, offer, provider_client):
    follow_up = put_follow_up(world, offer=offer, status=S.DECLINED_FAMILY, sent_at=None)
    FollowUp.objects.filter(pk=follow_up.pk).update(
        sent_at=follow_up.status_changed_at, decline_reason="Privé-reden van het gezin."
    )
    html = provider_client.get(f"/vervolg/aanbieder/{follow_up.pk}/").content.decode()
    assert "Declined by the family" in html
    assert "Privé-reden" not in html


def test_another_providers_referral_and_a_proposal_answer_404_with_a_denied_row(
    world, offer, other_provider, provider_client
):
    elsewhere = put_follow_up(world, offer=other_provider.offer, status=S.SENT)
    proposal = put_follow_up(world, offer=offer, status=S.PROPOSED)
    for follow_up in (elsewhere, proposal):
        assert provider_client.get(f"/vervolg/aanbieder/{follow_up.pk}/").status_code == 404
    assert AuditEntry.objects.filter(user=world.provider, outcome=Outcome.DENIED).count() == 2


def test_the_case_and_the_nurses_pages_answer_404_to_the_provider(world, offer, provider_client):
    follow_up = put_follow_up(world, offer=offer, status=S.SENT)
    case = follow_up.case
    for url in [
        case.get_absolute_url(),
        follow_up.get_absolute_url(),
        f"/vervolg/traject/{case.pk}/aanbod/",
        f"/vervolg/traject/{case.pk}/lacune/",
        "/trajecten/mijn/",
    ]:
        assert provider_client.get(url).status_code == 404, url


def test_the_provider_puts_a_referral_on_the_waiting_list_and_the_nurse_sees_it_at_once(
    world, offer, provider_client, client, login
):
    follow_up = put_follow_up(world, offer=offer, status=S.SENT)

    response = provider_client.post(
        f"/vervolg/aanbieder/{follow_up.pk}/",
        {"version": follow_up.version, "change": "waiting_list", "expected_start": "2099-01-15"},
    )

    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert (follow_up.status, str(follow_up.expected_start)) == (S.WAITING_LIST, "2099-01-15")
    assert AuditEntry.objects.filter(user=world.provider, action=Action.UPDATE, case_id=follow_up.case_id).count() == 2
    login(world.nurse)
    html = client.get(follow_up.case.get_absolute_url()).content.decode()
    assert "badge--follow_up" in html  # the waiting-list badge
    assert "2099" in html


def test_the_provider_cannot_record_the_familys_decline(world, offer, provider_client):
    follow_up = put_follow_up(world, offer=offer, status=S.SENT)
    response = provider_client.post(
        f"/vervolg/aanbieder/{follow_up.pk}/", {"version": 1, "change": "decline_family", "reason": "x"}
    )
    assert response.status_code == 400
    assert FollowUp.objects.get(pk=follow_up.pk).status == S.SENT


def test_declining_without_a_reason_is_refused_in_the_form(world, offer, provider_client):
    follow_up = put_follow_up(world, offer=offer, status=S.SENT)
    response = provider_client.post(
        f"/vervolg/aanbieder/{follow_up.pk}/", {"version": 1, "change": "decline_provider", "reason": ""}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["reason"]


def test_a_provider_change_on_a_stale_page_is_refused_with_a_message(world, offer, provider_client):
    follow_up = put_follow_up(world, offer=offer, status=S.SENT)
    provider_client.post(f"/vervolg/aanbieder/{follow_up.pk}/", {"version": 1, "change": "accept"})
    response = provider_client.post(
        f"/vervolg/aanbieder/{follow_up.pk}/", {"version": 1, "change": "start"}, follow=True
    )
    assert FollowUp.objects.get(pk=follow_up.pk).status == S.ACCEPTED
    assert "Someone else changed this follow-up referral" in response.content.decode()


def test_nothing_for_the_provider_to_change_once_it_ended(world, offer, provider_client):
    follow_up = put_follow_up(world, offer=offer, status=S.ENDED)
    response = provider_client.get(f"/vervolg/aanbieder/{follow_up.pk}/")
    assert response.status_code == 200
    assert response.context["form"] is None


def test_the_providers_start_page_is_her_list(world, provider_client):
    response = provider_client.get("/start/")
    assert response.url == "/vervolg/aanbieder/"


def test_a_proposal_the_family_declined_before_sending_never_reaches_the_provider(world, offer, provider_client):
    declined = put_follow_up(world, offer=offer, status=S.DECLINED_FAMILY, case=make_case(world, "follow_up"))
    assert declined.sent_at is None

    listing = provider_client.get("/vervolg/aanbieder/")

    assert declined not in set(listing.context["follow_ups"])
    assert declined.case.client.last_name not in listing.content.decode()
    assert provider_client.get(f"/vervolg/aanbieder/{declined.pk}/").status_code == 404
