"""Searching the social map: by municipality or postcode, domain, phase, language and free text.

Run on PostgreSQL too: DATABASE_URL=postgres://postgres@127.0.0.1:5432/test pytest tests/socialmap
"""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kansrijk.audit.models import AuditEntry
from kansrijk.socialmap.selectors import municipality_for_search, offer_serves, search_offers

from .. import factories as f
from .conftest import make_offer


@pytest.fixture
def catalogue(world):
    financial, housing = world.domains
    other_region = f.RegionFactory(name="Andere regio")
    elsewhere = f.MunicipalityFactory(region=other_region, cbs_code="GM0363", name="Amsterdam")
    f.PostcodeRangeFactory(municipality=elsewhere, start=1000, end=1109)
    other_domain = f.DomainFactory(region=other_region, code="financial")
    from kansrijk.socialmap.services import OfferData, offer_create

    from ..conftest import http_request

    other_admin = f.UserFactory(email="admin@elders.example.org")
    f.MembershipFactory(
        user=other_admin,
        role="administrator",
        organisation=f.OrganisationFactory(region=other_region, name="JGZ Elders"),
    )
    return SimpleNamespace(
        debt=make_offer(
            world,
            name="Schuldhulp",
            provider_name="Gemeente",
            domains=[financial],
            municipalities=[world.maastricht],
            languages=["nl", "ar"],
        ),
        team=make_offer(
            world,
            name="Wijkteam Heerlen",
            provider_name="Gemeente Heerlen",
            domains=[housing],
            municipalities=[world.heerlen],
            for_pregnancy=False,
            languages=["nl"],
            target_group="Iedereen in Heerlen",
        ),
        cafe=make_offer(
            world,
            name="Taalcafé",
            provider_name="Bibliotheek",
            domains=[housing, financial],
            municipalities=[world.maastricht, world.heerlen],
            for_after_birth=False,
            languages=["ar", "ti"],
        ),
        old=make_offer(world, name="Oud aanbod", provider_name="Weg", active=False),
        elsewhere=offer_create(
            request=http_request(other_admin),
            region=other_region,
            data=OfferData(
                name="Schuldhulp",
                provider_name="Gemeente Amsterdam",
                description="Elders.",
                domains=[other_domain],
                municipalities=[elsewhere],
            ),
            checked_on=None,
        ),
    )


def names(offers) -> list[str]:
    return [o.name for o in offers]


def test_without_filters_every_active_offer_of_the_region_by_name(world, catalogue):
    assert names(search_offers(region=world.region)) == ["Schuldhulp", "Taalcafé", "Wijkteam Heerlen"]


def test_by_municipality(world, catalogue):
    assert names(search_offers(region=world.region, municipality=world.maastricht)) == ["Schuldhulp", "Taalcafé"]
    assert names(search_offers(region=world.region, municipality=world.heerlen)) == ["Taalcafé", "Wijkteam Heerlen"]
    assert names(search_offers(region=world.region, municipality=world.beek)) == []


@pytest.mark.parametrize(
    ("postcode", "expected"),
    [
        ("6211 AB", ["Schuldhulp", "Taalcafé"]),
        ("6211ab", ["Schuldhulp", "Taalcafé"]),
        ("6411", ["Taalcafé", "Wijkteam Heerlen"]),  # four digits are enough
        ("6191 GH", []),  # Beek: in the region, but no offers
        ("9999 ZZ", []),  # in no municipality at all
        ("1011 AB", []),  # another region's municipality
        ("not a postcode", []),
    ],
)
def test_by_postcode_including_unknown_ones(world, catalogue, postcode, expected):
    assert names(search_offers(region=world.region, postcode=postcode)) == expected


def test_municipality_for_search_resolves_only_real_postcodes(world):
    assert municipality_for_search("6211 AB") == world.maastricht
    assert municipality_for_search("6411") == world.heerlen
    assert municipality_for_search("9999 ZZ") is None
    assert municipality_for_search("62") is None


def test_by_domain(world, catalogue):
    financial, housing = world.domains
    assert names(search_offers(region=world.region, domain=financial)) == ["Schuldhulp", "Taalcafé"]
    assert names(search_offers(region=world.region, domain=housing)) == ["Taalcafé", "Wijkteam Heerlen"]


def test_by_phase(world, catalogue):
    assert names(search_offers(region=world.region, phase="pregnancy")) == ["Schuldhulp", "Taalcafé"]
    assert names(search_offers(region=world.region, phase="after_birth")) == ["Schuldhulp", "Wijkteam Heerlen"]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ar", ["Schuldhulp", "Taalcafé"]), ("ti", ["Taalcafé"]), ("nl", ["Schuldhulp", "Wijkteam Heerlen"]), ("en", [])],
)
def test_by_language(world, catalogue, language, expected):
    assert names(search_offers(region=world.region, language=language)) == expected


def test_language_matches_whole_codes_only(world, catalogue):
    assert names(search_offers(region=world.region, language="t")) == []  # not a part of "ti"


def test_by_free_text_in_name_description_provider_and_target_group(world, catalogue):
    assert names(search_offers(region=world.region, query="taal")) == ["Taalcafé"]
    assert names(search_offers(region=world.region, query="bibliotheek")) == ["Taalcafé"]
    assert names(search_offers(region=world.region, query="iedereen")) == ["Wijkteam Heerlen"]


def test_filters_combine_and_an_offer_matching_twice_appears_once(world, catalogue):
    financial, _housing = world.domains
    found = search_offers(
        region=world.region, municipality=world.maastricht, domain=financial, phase="pregnancy", language="ar"
    )
    assert names(found) == ["Schuldhulp", "Taalcafé"]


def test_inactive_offers_and_other_regions_are_not_found(world, catalogue):
    found = names(search_offers(region=world.region))
    assert "Oud aanbod" not in found
    assert catalogue.elsewhere.pk not in [o.pk for o in search_offers(region=world.region)]


def test_offer_serves(world, catalogue):
    assert offer_serves(catalogue.cafe, world.heerlen)
    assert not offer_serves(catalogue.debt, world.heerlen)
    assert not offer_serves(catalogue.debt, None)


def _count_queries(callable_) -> int:
    with CaptureQueriesContext(connection) as captured:
        callable_()
    return len(captured)


def _read_everything(region):
    for offer in search_offers(region=region):
        list(offer.domains.all()), list(offer.municipalities.all()), offer.provider, offer.last_checked_by


def test_search_offers_costs_the_same_number_of_queries_for_3_as_for_15_offers(world):
    for i in range(3):
        make_offer(world, name=f"Aanbod {i}", municipalities=[world.maastricht, world.heerlen])
    few = _count_queries(lambda: _read_everything(world.region))
    for i in range(3, 15):
        make_offer(world, name=f"Aanbod {i}", municipalities=[world.maastricht, world.heerlen])
    many = _count_queries(lambda: _read_everything(world.region))
    assert few == many == 3  # offers (with provider and checker), domains, municipalities


def test_search_page_costs_the_same_number_of_queries_for_3_as_for_15_offers(world, browse):
    browser = browse(world.nurse)
    for i in range(3):
        make_offer(world, name=f"Aanbod {i}")
    with CaptureQueriesContext(connection) as few:
        assert browser.get("/sociale-kaart/").status_code == 200
    for i in range(3, 15):
        make_offer(world, name=f"Aanbod {i}")
    with CaptureQueriesContext(connection) as many:
        response = browser.get("/sociale-kaart/")
    assert response.content.decode().count('class="panel" aria-labelledby="offer-') == 15
    assert len(many) == len(few)


# --- The page ------------------------------------------------------------------------------


def test_search_page_shows_what_a_referrer_needs_for_each_offer(world, catalogue, browse):
    catalogue_offer = catalogue.debt
    catalogue_offer.contact_person = "Mevrouw Geld"
    catalogue_offer.phone = "043 123 45 67"
    catalogue_offer.email = "geld@example.org"
    catalogue_offer.website = "https://example.org/geld"
    catalogue_offer.how_to_refer = "Bel het Geldpunt."
    catalogue_offer.typical_wait_weeks = 3
    catalogue_offer.recognised_intervention = True
    catalogue_offer.costs_note = "Geen eigen bijdrage"
    catalogue_offer.save()

    html = browse(world.midwife).get("/sociale-kaart/", {"municipality": world.maastricht.pk}).content.decode()

    for text in [
        "Schuldhulp",
        "Gemeente",
        "Financiën",
        "Maastricht",
        "Arabic",
        "Geen eigen bijdrage",
        "about 3 weeks",
        "Recognised intervention",
        "Bel het Geldpunt.",
        "Mevrouw Geld",
        'href="tel:0431234567"',
        'href="mailto:geld@example.org"',
        'href="https://example.org/geld"',
        "Admin",  # who checked it last
    ]:
        assert text in html, text
    assert "Wijkteam Heerlen" not in html


def test_search_page_filters_by_postcode_and_says_where_it_lies(world, catalogue, browse):
    html = browse(world.nurse).get("/sociale-kaart/", {"postcode": "6411 AB"}).content.decode()
    assert "Wijkteam Heerlen" in html and "Schuldhulp" not in html
    assert "lies in Heerlen" in html


def test_search_page_explains_an_unknown_postcode(world, catalogue, browse):
    html = browse(world.nurse).get("/sociale-kaart/", {"postcode": "9999 ZZ"}).content.decode()
    assert "in none of the region's municipalities" in html
    assert "0 offers found" in html


def test_search_page_refuses_a_malformed_postcode_and_municipality_plus_postcode(world, catalogue, browse):
    browser = browse(world.nurse)
    bad = browser.get("/sociale-kaart/", {"postcode": "12"}).content.decode()
    assert 'aria-invalid="true"' in bad
    both = browser.get("/sociale-kaart/", {"postcode": "6211 AB", "municipality": world.maastricht.pk})
    assert "not both" in both.content.decode()


def test_search_page_filters_by_domain_phase_language_and_text(world, catalogue, browse):
    browser = browse(world.planner)
    _financial, housing = world.domains
    html = browser.get(
        "/sociale-kaart/", {"domain": housing.pk, "phase": "pregnancy", "language": "ti", "q": "café"}
    ).content.decode()
    assert "Taalcafé" in html
    assert "Wijkteam Heerlen" not in html and "Schuldhulp" not in html


def test_search_page_pages_through_many_offers(world, browse):
    for i in range(25):
        make_offer(world, name=f"Aanbod {i:02d}")
    browser = browse(world.nurse)
    first = browser.get("/sociale-kaart/").content.decode()
    second = browser.get("/sociale-kaart/", {"page": 2}).content.decode()
    assert "Aanbod 00" in first and "Aanbod 20" not in first
    assert 'href="?page=2"' in first
    assert "Aanbod 20" in second and "Aanbod 00" not in second


def test_reading_the_social_map_writes_no_audit_rows(world, catalogue, browse):
    browser = browse(world.nurse)
    before = AuditEntry.objects.count()
    browser.get("/sociale-kaart/")
    browser.get(f"/sociale-kaart/{catalogue.debt.pk}/")
    assert AuditEntry.objects.count() == before


def test_offer_of_another_region_is_not_found(world, catalogue, browse):
    response = browse(world.nurse).get(f"/sociale-kaart/{catalogue.elsewhere.pk}/")
    assert response.status_code == 404


def test_switched_off_offer_detail_stays_readable_with_a_notice(world, catalogue, browse):
    html = browse(world.nurse).get(f"/sociale-kaart/{catalogue.old.pk}/").content.decode()
    assert "This offer is switched off" in html


def test_the_menu_entry_leads_to_the_search_page(world):
    browser = Client()
    browser.force_login(world.nurse, backend="django.contrib.auth.backends.ModelBackend")
    html = browser.get("/sociale-kaart/").content.decode()
    assert 'href="/sociale-kaart/" aria-current="page"' in html
