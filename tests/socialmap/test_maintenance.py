"""Maintaining the social map: who may change which offer, the periodic check, concurrent edits, audit rows."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kansrijk import access
from kansrijk.audit.models import Action, AuditEntry, Outcome
from kansrijk.organisations.models import Role
from kansrijk.socialmap.models import Offer
from kansrijk.socialmap.selectors import offers_to_check, search_offers
from kansrijk.socialmap.services import (
    ConcurrentOfferEdit,
    offer_mark_checked,
    offer_set_active,
    offer_update,
)

from .. import factories as f
from ..conftest import http_request
from .conftest import make_offer, offer_data

NOT_MAINTAINERS = [
    "midwife",
    "planner",
    "nurse",
    "nurse2",
    "other_nurse",
    "other_planner",
    "provider",
    "privacy",
    "nobody",
]


@pytest.fixture
def maastricht_offer(world):
    return make_offer(world, name="Schuldhulp Maastricht", municipalities=[world.maastricht])


@pytest.fixture
def heerlen_offer(world):
    return make_offer(world, name="Wijkteam Heerlen", municipalities=[world.heerlen])


@pytest.fixture
def shared_offer(world):
    return make_offer(world, name="Steunouders", municipalities=[world.maastricht, world.heerlen])


def fresh(offer) -> Offer:
    return Offer.objects.get(pk=offer.pk)


def form_post(offer, **overrides) -> dict:
    """A valid POST of the edit form for `offer`, as it is now."""
    data = {
        "version": offer.version,
        "name": offer.name,
        "provider_name": offer.provider_name,
        "provider": offer.provider_id or "",
        "description": offer.description,
        "target_group": offer.target_group,
        "domains": [d.pk for d in offer.domains.all()],
        "phases": offer.phases,
        "municipalities": [m.pk for m in offer.municipalities.all()],
        "languages": offer.languages,
        "costs": offer.costs,
        "maintainer": offer.maintainer_id,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- Who may maintain what -------------------------------------------------------------


def test_administrator_maintains_every_offer_of_her_region(world, maastricht_offer, heerlen_offer, shared_offer):
    for offer in (maastricht_offer, heerlen_offer, shared_offer):
        assert access.can_maintain_offer(world.admin, offer)
        assert access.can_deactivate_offer(world.admin, offer)


def test_administrator_of_another_region_maintains_nothing_here(world, maastricht_offer):
    stranger = f.UserFactory(email="beheer@elders.example.org")
    f.MembershipFactory(
        user=stranger,
        role=Role.ADMINISTRATOR,
        organisation=f.OrganisationFactory(region=f.RegionFactory(name="Elders")),
    )
    assert not access.can_maintain_offer(stranger, maastricht_offer)
    assert maastricht_offer not in access.maintainable_offers(stranger)


def test_officer_maintains_offers_serving_her_municipality_only(world, maastricht_offer, heerlen_offer, shared_offer):
    assert access.can_maintain_offer(world.officer, maastricht_offer)
    assert access.can_maintain_offer(world.officer, shared_offer)
    assert not access.can_maintain_offer(world.officer, heerlen_offer)
    assert set(access.maintainable_offers(world.officer)) == {maastricht_offer, shared_offer}


def test_officer_switches_off_only_offers_that_serve_her_municipalities_alone(world, maastricht_offer, shared_offer):
    assert access.can_deactivate_offer(world.officer, maastricht_offer)
    assert not access.can_deactivate_offer(world.officer, shared_offer)


@pytest.mark.parametrize("persona", NOT_MAINTAINERS)
def test_other_roles_maintain_nothing(world, maastricht_offer, persona):
    user = getattr(world, persona)
    assert not access.can_maintain_social_map(user)
    assert not access.can_maintain_offer(user, maastricht_offer)
    assert not access.maintainable_offers(user).exists()
    with pytest.raises(PermissionDenied):
        offer_mark_checked(request=http_request(user), offer=maastricht_offer)
    with pytest.raises(PermissionDenied):
        make_offer(world, by=user, name="Nieuw")


def test_inactive_membership_gives_no_maintenance(world, maastricht_offer):
    world.officer.memberships.update(is_active=False)
    assert not access.can_maintain_offer(world.officer, maastricht_offer)


# --- Creating and editing --------------------------------------------------------------


def test_officer_creates_an_offer_for_her_municipality(world):
    offer = make_offer(world, by=world.officer, name="Babypakket", maintainer=world.officer)
    assert offer.region == world.region
    assert offer.maintainer == world.officer
    assert offer.last_checked_at == timezone.localdate() and offer.last_checked_by == world.officer


def test_new_offer_form_for_an_officer_of_one_municipality_ticks_hers(world, browse):
    html = browse(world.officer).get("/sociale-kaart/nieuw/").content.decode()
    assert f'name="municipalities" value="{world.maastricht.pk}" id="id_municipalities_0" checked' in html
    assert f'name="municipalities" value="{world.heerlen.pk}"' not in html


def test_officer_may_not_put_another_municipality_on_an_offer(world):
    with pytest.raises(ValidationError) as error:
        make_offer(world, by=world.officer, name="Babypakket", municipalities=[world.maastricht, world.heerlen])
    assert "Heerlen" in error.value.message_dict["municipalities"][0]
    assert not Offer.objects.filter(name="Babypakket").exists()


def test_officer_editing_a_shared_offer_keeps_the_municipalities_of_others(world, shared_offer):
    request = http_request(world.officer)
    offer_update(
        request=request,
        offer=shared_offer,
        data=offer_data(world, name="Steunouders", municipalities=[]),  # she takes Maastricht off
        expected_version=shared_offer.version,
    )
    assert list(fresh(shared_offer).municipalities.all()) == [world.heerlen]


def test_officer_may_keep_but_not_add_a_municipality_she_does_not_maintain(world, shared_offer, maastricht_offer):
    request = http_request(world.officer)
    offer_update(
        request=request,
        offer=shared_offer,
        data=offer_data(world, name="Steunouders", municipalities=[world.maastricht, world.heerlen]),
        expected_version=shared_offer.version,
    )
    with pytest.raises(ValidationError) as error:
        offer_update(
            request=request,
            offer=maastricht_offer,
            data=offer_data(world, name=maastricht_offer.name, municipalities=[world.maastricht, world.heerlen]),
            expected_version=maastricht_offer.version,
        )
    assert "municipalities" in error.value.message_dict
    assert list(fresh(maastricht_offer).municipalities.all()) == [world.maastricht]


def test_officers_edit_form_offers_only_her_municipalities_and_names_the_others(world, shared_offer, browse):
    html = browse(world.officer).get(f"/sociale-kaart/{shared_offer.pk}/wijzigen/").content.decode()
    assert f'value="{world.maastricht.pk}"' in html
    assert f'name="municipalities" value="{world.heerlen.pk}"' not in html
    assert "The offer also serves Heerlen" in html


def test_an_offer_needs_a_name_description_domain_phase_municipality_and_language(world):
    with pytest.raises(ValidationError) as error:
        make_offer(
            world,
            name=" ",
            description="",
            domains=[],
            municipalities=[],
            languages=[],
            for_pregnancy=False,
            for_after_birth=False,
        )
    assert {"name", "description", "domains", "phases", "languages"} <= set(error.value.message_dict)


def test_domains_municipalities_and_provider_must_belong_to_the_region(world):
    elsewhere = f.RegionFactory(name="Elders")
    with pytest.raises(ValidationError) as error:
        make_offer(
            world,
            domains=[f.DomainFactory(region=elsewhere)],
            municipalities=[f.MunicipalityFactory(region=elsewhere, cbs_code="GM0363")],
            provider=f.OrganisationFactory(region=elsewhere),
        )
    assert {"domains", "municipalities", "provider"} <= set(error.value.message_dict)


def test_the_same_name_and_provider_twice_in_a_region_is_refused(world, maastricht_offer):
    with pytest.raises(ValidationError) as error:
        make_offer(world, name=maastricht_offer.name.upper(), provider_name=maastricht_offer.provider_name)
    assert "name" in error.value.message_dict
    assert Offer.objects.count() == 1


def test_a_maintainer_must_be_able_to_maintain_the_offer(world, heerlen_offer):
    with pytest.raises(ValidationError) as error:
        offer_update(
            request=http_request(world.admin),
            offer=heerlen_offer,
            data=offer_data(world, name=heerlen_offer.name, municipalities=[world.heerlen], maintainer=world.officer),
            expected_version=heerlen_offer.version,
        )
    assert "maintainer" in error.value.message_dict


def test_create_through_the_page_and_a_double_submit_makes_one_offer(world, browse):
    browser = browse(world.officer)
    post = {
        "name": "Babypakket",
        "provider_name": "Gemeente",
        "description": "Een pakket met babyspullen.",
        "domains": [world.domains[0].pk],
        "phases": ["pregnancy"],
        "municipalities": [world.maastricht.pk],
        "languages": ["nl", "ar"],
        "costs": "free",
        "website": "example.org/baby",
        "maintainer": world.officer.pk,
    }
    first = browser.post("/sociale-kaart/nieuw/", post)
    second = browser.post("/sociale-kaart/nieuw/", post)

    offer = Offer.objects.get()
    assert first.status_code == 302 and first.url == offer.get_absolute_url()
    assert second.status_code == 200 and "already has an offer with this name" in second.content.decode()
    assert offer.website == "https://example.org/baby"
    assert offer.for_pregnancy and not offer.for_after_birth
    assert offer.languages == ["nl", "ar"]


def test_officer_cannot_post_another_municipality_through_the_page(world, browse):
    response = browse(world.officer).post(
        "/sociale-kaart/nieuw/",
        {
            "name": "Babypakket",
            "provider_name": "Gemeente",
            "description": "x",
            "domains": [world.domains[0].pk],
            "phases": ["pregnancy"],
            "municipalities": [world.heerlen.pk],
            "languages": ["nl"],
            "costs": "free",
            "maintainer": world.officer.pk,
        },
    )
    assert response.status_code == 200
    assert not Offer.objects.exists()


def test_edit_through_the_page_with_mark_checked(world, maastricht_offer, browse):
    Offer.objects.filter(pk=maastricht_offer.pk).update(last_checked_at=date(2020, 1, 1))
    offer = fresh(maastricht_offer)
    response = browse(world.officer).post(
        f"/sociale-kaart/{offer.pk}/wijzigen/", form_post(offer, typical_wait_weeks=4, mark_checked="on")
    )
    assert response.status_code == 302
    offer = fresh(offer)
    assert offer.typical_wait_weeks == 4
    assert offer.version == 2
    assert offer.last_checked_at == timezone.localdate() and offer.last_checked_by == world.officer


def test_a_last_check_never_moves_back(world, maastricht_offer):
    offer_update(
        request=http_request(world.admin),
        offer=maastricht_offer,
        data=offer_data(world, name=maastricht_offer.name),
        expected_version=maastricht_offer.version,
        checked_on=timezone.localdate() - timedelta(days=30),
    )
    assert fresh(maastricht_offer).last_checked_at == timezone.localdate()


def test_officer_editing_a_heerlen_offer_gets_404_and_a_denied_audit_row(world, heerlen_offer, browse):
    browser = browse(world.officer)
    url = f"/sociale-kaart/{heerlen_offer.pk}/wijzigen/"
    assert browser.post(url, form_post(heerlen_offer, name="Gekaapt")).status_code == 404
    assert fresh(heerlen_offer).name == "Wijkteam Heerlen"
    denied = AuditEntry.objects.get(outcome=Outcome.DENIED, path=url)
    assert denied.action == Action.UPDATE and denied.user == world.officer


# --- Two people editing one offer --------------------------------------------------------


def test_the_second_of_two_concurrent_edits_is_refused_and_nothing_is_overwritten(world, maastricht_offer):
    opened_by_admin = fresh(maastricht_offer)
    opened_by_officer = fresh(maastricht_offer)
    offer_update(
        request=http_request(world.admin),
        offer=opened_by_admin,
        data=offer_data(world, name=maastricht_offer.name, description="Door de beheerder."),
        expected_version=1,
    )
    with pytest.raises(ConcurrentOfferEdit):
        offer_update(
            request=http_request(world.officer),
            offer=opened_by_officer,
            data=offer_data(world, name=maastricht_offer.name, description="Door de gemeente.", domains=world.domains),
            expected_version=1,
        )
    offer = fresh(maastricht_offer)
    assert offer.description == "Door de beheerder."
    assert list(offer.domains.all()) == [world.domains[0]]  # the refused edit's domains were not written either
    assert offer.version == 2


def test_concurrent_edit_through_the_page_says_so_clearly(world, maastricht_offer, browse):
    admin, officer = browse(world.admin), browse(world.officer)
    url = f"/sociale-kaart/{maastricht_offer.pk}/wijzigen/"
    assert admin.post(url, form_post(maastricht_offer, description="Eerste.")).status_code == 302
    response = officer.post(url, form_post(maastricht_offer, description="Tweede."))  # still version 1
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this offer while you were working on it" in html
    assert "Tweede." in html  # what she typed is kept on the page
    assert fresh(maastricht_offer).description == "Eerste."


def test_switching_off_with_an_old_version_is_refused(world, maastricht_offer, browse):
    offer_update(
        request=http_request(world.admin),
        offer=fresh(maastricht_offer),
        data=offer_data(world, name=maastricht_offer.name),
        expected_version=1,
    )
    with pytest.raises(ConcurrentOfferEdit):
        offer_set_active(
            request=http_request(world.officer), offer=fresh(maastricht_offer), active=False, expected_version=1
        )
    assert fresh(maastricht_offer).is_active


# --- Switching off and on ------------------------------------------------------------------


def test_switched_off_offer_disappears_from_search_and_comes_back(world, maastricht_offer, browse):
    browser = browse(world.officer)
    url = f"/sociale-kaart/{maastricht_offer.pk}/actief/"
    browser.post(url, {"version": 1, "active": "0"})
    assert not fresh(maastricht_offer).is_active
    assert maastricht_offer not in search_offers(region=world.region)
    browser.post(url, {"version": 2, "active": "1"})
    assert fresh(maastricht_offer).is_active
    assert maastricht_offer in search_offers(region=world.region)


def test_officer_cannot_switch_off_a_shared_offer(world, shared_offer, browse):
    response = browse(world.officer).post(
        f"/sociale-kaart/{shared_offer.pk}/actief/", {"version": 1, "active": "0"}, follow=True
    )
    assert fresh(shared_offer).is_active
    assert "also serves municipalities you do not maintain" in response.content.decode()


def test_switching_off_twice_changes_nothing_the_second_time(world, maastricht_offer):
    request = http_request(world.admin)
    offer_set_active(request=request, offer=maastricht_offer, active=False, expected_version=1)
    offer_set_active(request=request, offer=fresh(maastricht_offer), active=False, expected_version=1)
    assert fresh(maastricht_offer).version == 2


# --- The periodic check ---------------------------------------------------------------------


def test_an_offer_is_flagged_the_day_after_the_check_period_ends(world):
    with time_machine.travel(date(2025, 1, 1), tick=False):
        offer = make_offer(world)
        assert not offer.needs_check
    with time_machine.travel(date(2026, 1, 1), tick=False):  # 365 days later
        assert not fresh(offer).needs_check
        assert not offers_to_check(world.admin).exists()
    with time_machine.travel(date(2026, 1, 2), tick=False):
        assert fresh(offer).needs_check
        assert list(offers_to_check(world.admin)) == [offer]


def test_the_check_period_is_a_setting(world, settings):
    settings.KANSRIJK_OFFER_CHECK_DAYS = 30
    offer = make_offer(world, checked_on=timezone.localdate() - timedelta(days=31))
    assert offer.needs_check


def test_an_offer_never_checked_is_flagged(world):
    assert make_offer(world, checked_on=None).needs_check


def test_mark_as_checked_sets_today_and_who(world, maastricht_offer):
    Offer.objects.filter(pk=maastricht_offer.pk).update(last_checked_at=date(2020, 1, 1), last_checked_by=None)
    with time_machine.travel(date(2026, 3, 4), tick=False):
        offer_mark_checked(request=http_request(world.officer), offer=fresh(maastricht_offer))
        offer = fresh(maastricht_offer)
        assert (offer.last_checked_at, offer.last_checked_by) == (date(2026, 3, 4), world.officer)
        assert not offer.needs_check
    assert offer.version == 1  # it does not touch what an edit form holds, so it does not refuse one


def test_to_check_list_puts_the_maintainers_own_first_and_leaves_out_others(world, heerlen_offer):
    long_ago = timezone.localdate() - timedelta(days=400)
    admins = make_offer(world, name="Van de beheerder", checked_on=long_ago - timedelta(days=10))
    officers = make_offer(world, name="Van de gemeente", checked_on=long_ago, maintainer=world.officer)
    never = make_offer(world, name="Nooit gecontroleerd", checked_on=None, maintainer=world.officer)
    make_offer(world, name="Uitgeschakeld", checked_on=long_ago, active=False)
    make_offer(world, name="Net gecontroleerd")

    assert list(offers_to_check(world.officer)) == [never, officers, admins]
    assert list(offers_to_check(world.admin)) == [admins, never, officers]
    assert heerlen_offer not in offers_to_check(world.admin)  # checked today


def test_to_check_page_and_badges(world, browse):
    offer = make_offer(world, name="Oud nieuws", checked_on=timezone.localdate() - timedelta(days=500))
    officer = browse(world.officer)
    html = officer.get("/sociale-kaart/te-controleren/").content.decode()
    assert "Oud nieuws" in html and "Mark as checked" in html
    assert "1 offer you maintain is due for a check." in officer.get("/sociale-kaart/").content.decode()
    nurse_view = browse(world.nurse).get("/sociale-kaart/").content.decode()
    assert "To check: not checked for a long time" in nurse_view  # the badge warns every reader
    assert "due for a check" not in nurse_view  # the reminder is for maintainers

    response = officer.post(f"/sociale-kaart/{offer.pk}/gecontroleerd/", {"next": "/sociale-kaart/te-controleren/"})
    assert response.status_code == 302 and response.url == "/sociale-kaart/te-controleren/"
    assert not fresh(offer).needs_check


def test_mark_as_checked_does_not_redirect_off_site(world, maastricht_offer, browse):
    response = browse(world.admin).post(
        f"/sociale-kaart/{maastricht_offer.pk}/gecontroleerd/", {"next": "https://evil.example.com/"}
    )
    assert response.url == maastricht_offer.get_absolute_url()


def test_maintenance_list_shows_active_and_switched_off_offers(world, maastricht_offer, heerlen_offer, browse):
    make_offer(world, name="Opgeheven", active=False)
    officer = browse(world.officer)
    active = officer.get("/sociale-kaart/beheer/").content.decode()
    assert "Schuldhulp Maastricht" in active and "Wijkteam Heerlen" not in active and "Opgeheven" not in active
    inactive = officer.get("/sociale-kaart/beheer/", {"show": "inactive"}).content.decode()
    assert "Opgeheven" in inactive and "Schuldhulp Maastricht" not in inactive


# --- Audit rows for every change ---------------------------------------------------------------


def test_every_change_writes_an_audit_row_without_client(world, maastricht_offer):
    rows = AuditEntry.objects.filter(description__startswith=f"social map offer {maastricht_offer.pk} ")
    assert rows.get().action == Action.CREATE
    request = http_request(world.officer)
    offer_update(request=request, offer=maastricht_offer, data=offer_data(world, name="Anders"), expected_version=1)
    offer_mark_checked(request=request, offer=fresh(maastricht_offer))
    offer_set_active(request=request, offer=fresh(maastricht_offer), active=False, expected_version=2)

    assert list(rows.order_by("pk").values_list("action", "description", "role", "client_id")) == [
        (Action.CREATE, f"social map offer {maastricht_offer.pk} created (form)", Role.ADMINISTRATOR, None),
        (Action.UPDATE, f"social map offer {maastricht_offer.pk} changed (form)", Role.MUNICIPALITY_OFFICER, None),
        (Action.UPDATE, f"social map offer {maastricht_offer.pk} marked as checked", Role.MUNICIPALITY_OFFICER, None),
        (Action.UPDATE, f"social map offer {maastricht_offer.pk} deactivated", Role.MUNICIPALITY_OFFICER, None),
    ]


def test_a_refused_change_writes_no_audit_row(world, maastricht_offer):
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError):
        offer_update(
            request=http_request(world.admin),
            offer=maastricht_offer,
            data=offer_data(world, name=""),
            expected_version=1,
        )
    assert AuditEntry.objects.count() == before
