"""The nurse's pages: choosing an offer in one step, sending it, recording its status; and the case section."""

import pytest
from django.utils import timezone

from kansrijk.cases.models import Status
from kansrijk.clients.models import Client
from kansrijk.followup.models import FollowUp, FollowUpStatus

from ..conftest import make_case, refer
from .conftest import OfferFactory, put_follow_up

S = FollowUpStatus


@pytest.fixture
def nurse_client(world, client, login):
    login(world.nurse)
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def case(world):
    """A visited case of `nurse` in Maastricht whose referral signalled the first domain (financial)."""
    referral = refer(world, last_name="Kiezer").referral
    case = referral.case
    type(case).objects.filter(pk=case.pk).update(
        nurse=world.nurse, status=Status.VISITED, assigned_at=timezone.now(), first_contact_at=timezone.now()
    )
    case.refresh_from_db()
    return case


@pytest.fixture
def offers(world, offer):
    """`offer` (financial, Maastricht+Heerlen, nl); and others to filter away."""
    return {
        "serving": offer,
        "housing": OfferFactory(
            region=world.region,
            provider=None,
            name="Woonhulp",
            municipalities=[world.maastricht],
            domains=[world.domains[1]],
        ),
        "elsewhere": OfferFactory(
            region=world.region,
            provider=None,
            name="Elders",
            municipalities=[world.sittard],
            domains=[world.domains[0]],
        ),
        "arabic": OfferFactory(
            region=world.region,
            provider=None,
            name="Arabisch",
            languages=["ar"],
            municipalities=[world.maastricht],
            domains=[world.domains[0]],
        ),
        "after_birth": OfferFactory(
            region=world.region,
            provider=None,
            name="Na de geboorte",
            for_pregnancy=False,
            municipalities=[world.maastricht],
            domains=[world.domains[0]],
        ),
        "inactive": OfferFactory(
            region=world.region,
            provider=None,
            name="Gestopt",
            is_active=False,
            municipalities=[world.maastricht],
            domains=[world.domains[0]],
        ),
    }


def names(response):
    return {o.name for o in response.context["offers"]}


def test_the_picker_starts_with_her_municipality_her_domains_phase_and_language(case, offers, nurse_client):
    response = nurse_client.get(f"/vervolg/traject/{case.pk}/aanbod/")
    assert response.status_code == 200
    assert names(response) == {"Steunouders"}


def test_the_picker_widens_on_request(case, offers, nurse_client):
    url = f"/vervolg/traject/{case.pk}/aanbod/"
    every_domain = nurse_client.get(url, {"domain": "all", "phase": "pregnancy", "language": "nl"})
    assert names(every_domain) == {"Steunouders", "Woonhulp"}
    any_language_either_phase = nurse_client.get(url, {"domain": "", "phase": "", "language": ""})
    assert names(any_language_either_phase) == {"Steunouders", "Arabisch", "Na de geboorte"}
    everywhere = nurse_client.get(url, {"domain": "", "phase": "pregnancy", "language": "nl", "everywhere": "on"})
    assert names(everywhere) == {"Steunouders", "Elders"}
    assert [o.serves for o in everywhere.context["offers"]] == [True, False]  # hers first
    assert "does not serve Maastricht" in everywhere.content.decode()


def test_the_picker_defaults_to_the_clients_language_and_after_birth_once_born(world, case, offers, nurse_client):
    Client.objects.filter(pk=case.client_id).update(preferred_language="ar")
    offers["arabic"].for_after_birth = False
    offers["arabic"].save()
    assert names(nurse_client.get(f"/vervolg/traject/{case.pk}/aanbod/")) == {"Arabisch"}
    type(case).objects.filter(pk=case.pk).update(birth_date=timezone.localdate())
    assert names(nurse_client.get(f"/vervolg/traject/{case.pk}/aanbod/")) == set()  # Arabisch is for pregnancy
    offers["arabic"].for_after_birth = True
    offers["arabic"].save()
    assert names(nurse_client.get(f"/vervolg/traject/{case.pk}/aanbod/")) == {"Arabisch"}


def test_refer_in_one_step_creates_the_proposal_with_the_domain_and_opens_it(world, case, offers, nurse_client):
    response = nurse_client.post(
        f"/vervolg/traject/{case.pk}/aanbod/verwijzen/", {"offer": offers["serving"].pk, "domain": world.domains[0].pk}
    )
    follow_up = FollowUp.objects.get()
    assert response.status_code == 302
    assert response.url == follow_up.get_absolute_url()
    assert (follow_up.status, follow_up.domain, follow_up.created_by) == (S.PROPOSED, world.domains[0], world.nurse)
    page = nurse_client.get(response.url)
    assert page.context["send_form"] is not None


def test_a_double_submit_of_refer_makes_one_follow_up(case, offers, nurse_client):
    url = f"/vervolg/traject/{case.pk}/aanbod/verwijzen/"
    first = nurse_client.post(url, {"offer": offers["serving"].pk})
    second = nurse_client.post(url, {"offer": offers["serving"].pk})
    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    assert FollowUp.objects.count() == 1


def test_refer_outside_her_municipality_without_reason_is_refused_with_the_warning(case, offers, nurse_client):
    url = f"/vervolg/traject/{case.pk}/aanbod/verwijzen/?domain=&phase=pregnancy&language=nl&everywhere=on"
    response = nurse_client.post(url, {"offer": offers["elsewhere"].pk})
    assert response.status_code == 400
    assert "Explain why you refer her to it anyway" in response.content.decode()
    assert not FollowUp.objects.exists()

    response = nurse_client.post(url, {"offer": offers["elsewhere"].pk, "outside_area_reason": "Enige met plek."})
    assert response.status_code == 302
    assert FollowUp.objects.get().outside_area_reason == "Enige met plek."


@pytest.mark.parametrize("offer_key", ["inactive", None])
def test_refer_to_an_unknown_or_inactive_offer_makes_nothing(case, offers, nurse_client, offer_key):
    pk = offers[offer_key].pk if offer_key else 999999
    response = nurse_client.post(f"/vervolg/traject/{case.pk}/aanbod/verwijzen/", {"offer": pk})
    assert response.status_code == 302
    assert not FollowUp.objects.exists()


def test_send_from_the_page_moves_the_visited_case_to_follow_up(world, case, offer, nurse_client):
    follow_up = put_follow_up(world, offer=offer, case=case, status=S.PROPOSED)
    response = nurse_client.post(
        f"/vervolg/traject/{case.pk}/{follow_up.pk}/verzenden/",
        {"version": 1, "shared_with_provider": "Mag gebeld worden.", "share_phone": "on", "consent": "on"},
        follow=True,
    )
    follow_up.refresh_from_db()
    case.refresh_from_db()
    assert (follow_up.status, follow_up.share_phone) == (S.SENT, True)
    assert case.status == Status.FOLLOW_UP
    assert "The case is now in follow-up." in response.content.decode()


def test_send_without_consent_shows_the_form_again_and_sends_nothing(world, case, offer, nurse_client):
    follow_up = put_follow_up(world, offer=offer, case=case, status=S.PROPOSED)
    response = nurse_client.post(
        f"/vervolg/traject/{case.pk}/{follow_up.pk}/verzenden/", {"version": 1, "shared_with_provider": "Iets."}
    )
    assert response.status_code == 400
    assert response.context["send_form"].errors["consent"]
    assert FollowUp.objects.get(pk=follow_up.pk).status == S.PROPOSED


def test_the_nurse_records_what_the_provider_told_her_and_sees_the_history(world, case, offer, nurse_client):
    follow_up = put_follow_up(world, offer=offer, case=case, status=S.SENT)
    nurse_client.post(
        f"/vervolg/traject/{case.pk}/{follow_up.pk}/status/", {"version": 1, "change": "start", "note": "Belde op."}
    )
    page = nurse_client.get(follow_up.get_absolute_url())
    assert FollowUp.objects.get(pk=follow_up.pk).status == S.STARTED
    assert "Belde op." in page.content.decode()
    assert [c[0] for c in page.context["status_form"].fields["change"].choices] == ["end"]


def test_two_nurses_pages_changing_at_once_the_second_gets_a_clear_message(world, case, offer, nurse_client, client):
    follow_up = put_follow_up(world, offer=offer, case=case, status=S.SENT)
    url = f"/vervolg/traject/{case.pk}/{follow_up.pk}/status/"
    nurse_client.post(url, {"version": 1, "change": "accept"})
    response = nurse_client.post(url, {"version": 1, "change": "decline_family", "reason": "Toch niet."}, follow=True)
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.decline_reason) == (S.ACCEPTED, "")
    assert "Someone else changed this follow-up referral" in response.content.decode()


def test_the_case_section_lists_follow_ups_gaps_and_the_links(world, case, offer, nurse_client):
    follow_up = put_follow_up(world, offer=offer, case=case, status=S.WAITING_LIST)
    html = nurse_client.get(case.get_absolute_url()).content.decode()
    assert offer.name in html
    assert follow_up.get_absolute_url() in html
    assert "On a waiting list" in html
    assert f"/vervolg/traject/{case.pk}/aanbod/" in html
    assert f"/vervolg/traject/{case.pk}/lacune/" in html


def test_no_section_for_a_case_still_in_intake(world, client, login):
    case = make_case(world, "received")
    login(world.planner)
    assert "/aanbod/" not in client.get(case.get_absolute_url()).content.decode()


def test_a_closed_case_shows_its_follow_ups_but_no_links_to_add(world, offer, client, login):
    case = make_case(world, "closed")
    put_follow_up(world, offer=offer, case=case, status=S.STARTED)
    login(world.nurse)
    html = client.get(case.get_absolute_url()).content.decode()
    assert offer.name in html
    assert "/aanbod/" not in html
    response = client.get(f"/vervolg/traject/{case.pk}/aanbod/")
    assert response.status_code == 302
    assert response.url == case.get_absolute_url()


def test_an_offer_for_two_of_her_domains_is_listed_once(world, case, offers, nurse_client):
    from kansrijk.referrals.models import Referral

    Referral.objects.get(case=case).domains.add(world.domains[1])
    offers["serving"].domains.add(world.domains[1])
    response = nurse_client.get(f"/vervolg/traject/{case.pk}/aanbod/")
    assert [o.name for o in response.context["offers"]].count("Steunouders") == 1
    assert names(response) == {"Steunouders", "Woonhulp"}
