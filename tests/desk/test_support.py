"""Find support: the public view of the social map, by postcode or municipality, subject, language and phase.

No login; only active offers and only their public fields; no audit rows (no client data).
"""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from kansrijk.audit.models import AuditEntry
from kansrijk.desk.demo_support import PUBLIC_NAMES
from kansrijk.desk.demo_support import load as load_demo_support
from kansrijk.desk.models import Page, PageText
from kansrijk.referrals.models import VulnerabilityDomain
from kansrijk.socialmap.models import Costs, Offer

from .. import factories as f
from ..conftest import World
from ..socialmap.conftest import make_offer
from ..translated import t

SEARCH = reverse("desk:support")


def offer_url(offer) -> str:
    return reverse("desk:support_offer", args=[offer.pk])


@pytest.fixture
def visitor():
    """An anonymous visitor who reads the desk in English (the msgids)."""

    def _visitor(language: str = "en") -> Client:
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return _visitor


@pytest.fixture
def offers(world: World):
    financial, housing = world.domains
    return {
        "debt": make_offer(
            world,
            name="Schuldhulp Maastricht",
            provider_name="Gemeente Maastricht",
            description="Hulp bij schulden.\nOok bij achterstand in de huur.",
            target_group="Inwoners van Maastricht met schulden",
            domains=[financial],
            municipalities=[world.maastricht],
            languages=["nl", "ar"],
            costs=Costs.FREE,
            phone="043 123 45 67",
            email="schuldhulp@example.org",
            website="https://example.org/schuldhulp",
            typical_wait_weeks=3,
            contact_person="Karel Contactpersoon",
            how_to_refer="Interne verwijsroute: bel de intakelijn",
            maintainer=world.officer,
            by=world.officer,
        ),
        "housing": make_offer(
            world,
            name="Woonhulp",
            provider_name="Woonstichting",
            description="Hulp bij wonen.",
            domains=[housing],
            municipalities=[world.maastricht, world.heerlen],
            languages=["nl", "tr"],
            for_pregnancy=False,
            costs=Costs.CONTRIBUTION,
            costs_note="Eigen bijdrage naar inkomen",
        ),
        "heerlen": make_offer(
            world,
            name="Wijkteam Heerlen",
            provider_name="Gemeente Heerlen",
            domains=[financial, housing],
            municipalities=[world.heerlen],
            languages=["nl"],
        ),
        "off": make_offer(
            world,
            name="Oud aanbod",
            provider_name="Gestopt",
            domains=[financial],
            municipalities=[world.maastricht],
            active=False,
        ),
    }


def names(response) -> list[str]:
    """The offers shown as results, in order (the card headings)."""
    html = response.content.decode()
    return re.findall(r'<h3 id="offer-\d+"><a href="[^"]*" lang="nl" dir="ltr">([^<]+)</a></h3>', html)


# --- Searching --------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("postcode", ["6221", "6221 AB", "6221ab"])
def test_a_postcode_finds_the_offers_that_serve_its_municipality(visitor, offers, postcode):
    response = visitor().get(SEARCH, {"postcode": postcode})
    assert response.status_code == 200
    assert names(response) == ["Schuldhulp Maastricht", "Woonhulp"]
    html = response.content.decode()
    assert "Support in Maastricht" in html
    assert "2 offers found" in html


@pytest.mark.django_db
def test_heerlen_gets_its_own_offers(visitor, offers):
    response = visitor().get(SEARCH, {"postcode": "6411"})
    assert names(response) == ["Wijkteam Heerlen", "Woonhulp"]


@pytest.mark.django_db
def test_a_municipality_can_be_chosen_instead(visitor, world, offers):
    response = visitor().get(SEARCH, {"municipality": world.heerlen.pk})
    assert names(response) == ["Wijkteam Heerlen", "Woonhulp"]


@pytest.mark.django_db
def test_one_result_is_counted_in_the_singular(visitor, world, offers):
    html = visitor().get(SEARCH, {"municipality": world.heerlen.pk, "subject": "financial"}).content.decode()
    assert "1 offer found" in html
    assert "1 offers" not in html


@pytest.mark.django_db
def test_subject_narrows_by_domain_code(visitor, offers):
    response = visitor().get(SEARCH, {"postcode": "6211", "subject": "housing"})
    assert names(response) == ["Woonhulp"]


@pytest.mark.django_db
def test_language_narrows_to_offers_given_in_it(visitor, offers):
    assert names(visitor().get(SEARCH, {"postcode": "6211", "language": "ar"})) == ["Schuldhulp Maastricht"]
    assert names(visitor().get(SEARCH, {"postcode": "6211", "language": "tr"})) == ["Woonhulp"]


@pytest.mark.django_db
def test_phase_narrows_to_offers_that_start_then(visitor, offers):
    response = visitor().get(SEARCH, {"postcode": "6211", "phase": "pregnancy"})
    assert names(response) == ["Schuldhulp Maastricht"]
    response = visitor().get(SEARCH, {"postcode": "6211", "phase": "after_birth"})
    assert names(response) == ["Schuldhulp Maastricht", "Woonhulp"]


@pytest.mark.django_db
def test_nothing_found_says_so_and_offers_the_jgz(visitor, world, offers):
    response = visitor().get(SEARCH, {"municipality": world.beek.pk})
    html = response.content.decode()
    assert names(response) == []
    assert "0 offers found" in html
    assert "We found nothing that fits all your choices." in html
    assert reverse("desk:ask") in html


@pytest.mark.django_db
def test_inactive_offers_are_never_shown(visitor, world, offers):
    for params in [
        {"postcode": "6211"},
        {"municipality": world.maastricht.pk},
        {"postcode": "6211", "subject": "financial"},
    ]:
        response = visitor().get(SEARCH, params)
        assert "Oud aanbod" not in response.content.decode()
        assert "Schuldhulp Maastricht" in names(response)


@pytest.mark.django_db
def test_an_offer_of_another_region_does_not_appear(visitor, world, offers):
    other = f.RegionFactory(name="Andere regio")
    elsewhere = f.MunicipalityFactory(region=other, cbs_code="GM0363", name="Amsterdam")
    f.PostcodeRangeFactory(municipality=elsewhere, start=1000, end=1109)
    Offer.objects.create(
        region=other, name="Amsterdams aanbod", provider_name="A", description="x", languages=["nl"]
    ).municipalities.add(elsewhere)
    assert names(visitor().get(SEARCH, {"postcode": "6211"})) == ["Schuldhulp Maastricht", "Woonhulp"]
    assert names(visitor().get(SEARCH, {"postcode": "1011"})) == ["Amsterdams aanbod"]


# --- Before a search, and bad input -----------------------------------------------------------


@pytest.mark.django_db
def test_without_a_place_the_form_and_the_municipalities_are_shown_and_no_results(visitor, world, offers):
    response = visitor().get(SEARCH)
    assert response.status_code == 200
    html = response.content.decode()
    assert names(response) == []
    assert "offers found" not in html
    for municipality in (world.maastricht, world.heerlen, world.sittard, world.beek):
        assert f'?municipality={municipality.pk}">{municipality.name}</a>' in html
    assert 'autocomplete="postal-code"' in html
    assert 'inputmode="numeric"' in html
    assert "Fill in your postcode or choose your municipality." not in html


@pytest.mark.django_db
def test_the_form_lists_the_plain_subjects_and_the_languages_by_their_own_names(visitor, world, offers):
    financial = world.domains[0]
    financial.public_names = {"en": "Money and bills", "nl": "Geld en rekeningen"}
    financial.save()
    page = visitor().get(SEARCH).content.decode()
    html = re.search(r'<select name="subject".*?<select name="phase"', page, re.S).group(0)
    assert '<option value="financial">Money and bills</option>' in html
    assert '<option value="housing">Huisvesting</option>' in html  # no plain name: the English name
    assert '<option value="tr" lang="tr">Türkçe</option>' in html
    assert '<option value="ar" lang="ar">العربيّة</option>' in html
    # Languages no active offer is given in are not offered.
    assert '<option value="pl"' not in html


@pytest.mark.django_db
def test_an_unknown_postcode_says_so_and_keeps_the_input(visitor, offers):
    response = visitor().get(SEARCH, {"postcode": "9999 ZZ", "subject": "housing", "language": "tr"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "We do not know this postcode here. Check it, or choose your municipality." in html
    assert 'value="9999 ZZ"' in html
    assert 'aria-invalid="true"' in html
    assert '<option value="housing" selected>' in html
    assert '<option value="tr" selected lang="tr">' in html
    assert names(response) == []


@pytest.mark.django_db
def test_a_malformed_postcode_gets_its_own_message(visitor, offers):
    html = visitor().get(SEARCH, {"postcode": "abc"}).content.decode()
    assert "Fill in a postcode like 6221 AB, or only the four numbers." in html
    assert 'value="abc"' in html


@pytest.mark.django_db
def test_searching_without_a_place_asks_for_one(visitor, offers):
    response = visitor().get(SEARCH, {"postcode": "", "municipality": "", "subject": "housing"})
    html = response.content.decode()
    assert "Fill in your postcode or choose your municipality." in html
    assert names(response) == []


@pytest.mark.django_db
def test_a_postcode_and_another_municipality_conflict(visitor, world, offers):
    response = visitor().get(SEARCH, {"postcode": "6211", "municipality": world.heerlen.pk})
    assert "Your postcode is not in the municipality you chose." in response.content.decode()
    assert names(response) == []
    # The same place twice is fine.
    response = visitor().get(SEARCH, {"postcode": "6211", "municipality": world.maastricht.pk})
    assert names(response) == ["Schuldhulp Maastricht", "Woonhulp"]


@pytest.mark.django_db
def test_an_unknown_choice_is_refused_without_an_error_page(visitor, offers):
    response = visitor().get(SEARCH, {"postcode": "6211", "subject": "nonsense", "municipality": "99999"})
    assert response.status_code == 200
    assert names(response) == []
    assert 'aria-invalid="true"' in response.content.decode()


# --- What a card shows, and what it never shows -----------------------------------------------


@pytest.mark.django_db
def test_a_card_shows_how_to_reach_the_offer(visitor, offers):
    html = visitor().get(SEARCH, {"postcode": "6211"}).content.decode()
    assert 'href="tel:0431234567"' in html
    assert 'href="mailto:schuldhulp@example.org"' in html
    assert 'href="https://example.org/schuldhulp" rel="noopener external"' in html
    assert "(external website)" in html
    assert "About 3 weeks" in html
    assert "Free" in html
    assert "You pay a part yourself" in html
    assert '<span lang="ar" dir="rtl">العربيّة</span>' in html
    assert '<p class="support-card__text" lang="nl" dir="ltr">Hulp bij schulden.' in html
    # The link to the offer carries the search, for the way back.
    assert f'{offer_url(offers["debt"])}?postcode=6211"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["search", "offer"])
def test_no_maintenance_details_leak(visitor, world, offers, page):
    url = offer_url(offers["debt"]) if page == "offer" else SEARCH + "?postcode=6211"
    html = visitor().get(url).content.decode()
    assert "Schuldhulp Maastricht" in html
    for secret in (
        world.officer.email,
        world.officer.full_name,
        world.admin.email,
        world.admin.full_name,
        "Karel Contactpersoon",
        "Interne verwijsroute",
        "Last checked",
        "To check",
        "Maintainer",
        "Recognised intervention",
    ):
        assert secret not in html, secret


@pytest.mark.django_db
def test_searching_writes_no_audit_rows(visitor, offers):
    before = AuditEntry.objects.count()
    visitor().get(SEARCH, {"postcode": "6211"})
    visitor().get(offer_url(offers["debt"]))
    assert AuditEntry.objects.count() == before


def _queries_for_search(client, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(SEARCH, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_the_results(visitor, world):
    for i in range(2):
        make_offer(world, name=f"Aanbod {i}", languages=["nl", "ar"], municipalities=[world.maastricht])
    client = visitor()
    few = _queries_for_search(client, {"postcode": "6211"})
    for i in range(2, 20):
        make_offer(world, name=f"Aanbod {i}", languages=["nl", "tr", "pl"], municipalities=[world.maastricht])
    response = client.get(SEARCH, {"postcode": "6211"})
    assert len(names(response)) == 20
    many = _queries_for_search(client, {"postcode": "6211"})
    assert many == few
    assert many <= 10


@pytest.mark.django_db
def test_a_long_result_is_split_into_pages_that_keep_the_search(visitor, world):
    for i in range(23):
        make_offer(world, name=f"Aanbod {i:02}", municipalities=[world.maastricht])
    client = visitor()
    first = client.get(SEARCH, {"postcode": "6211"})
    assert len(names(first)) == 20
    assert "23 offers found" in first.content.decode()
    second = client.get(SEARCH, {"postcode": "6211", "page": 2})
    assert names(second) == ["Aanbod 20", "Aanbod 21", "Aanbod 22"]
    assert "page=2" in second.content.decode()


# --- The offer page ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_offer_page_shows_everything_a_family_needs(visitor, world, offers):
    world.domains[0].public_names = {"en": "Money and bills"}
    world.domains[0].save()
    response = visitor().get(offer_url(offers["debt"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1><span lang="nl" dir="ltr">Schuldhulp Maastricht</span></h1>' in html
    assert "Gemeente Maastricht" in html
    # The whole description, line breaks kept, marked as Dutch.
    assert '<p class="pre" lang="nl" dir="ltr">Hulp bij schulden.\nOok bij achterstand in de huur.</p>' in html
    assert '<dd lang="nl" dir="ltr">Inwoners van Maastricht met schulden</dd>' in html
    assert "During pregnancy and after birth" in html
    assert "<li>Money and bills</li>" in html
    assert "About 3 weeks" in html
    assert "Maastricht" in html
    assert 'href="tel:0431234567"' in html
    assert 'rel="noopener external"' in html
    assert "Not sure? Ask the JGZ" in html
    assert f'href="{reverse("desk:ask")}"' in html
    assert f'href="{reverse("desk:register")}"' in html


@pytest.mark.django_db
def test_the_offer_page_shows_costs_note_and_phase(visitor, offers):
    html = visitor().get(offer_url(offers["housing"])).content.decode()
    assert "You pay a part yourself" in html
    assert '<span lang="nl" dir="ltr">Eigen bijdrage naar inkomen</span>' in html
    assert "After birth" in html
    assert "During pregnancy" not in html
    assert "Heerlen, Maastricht" in html


@pytest.mark.django_db
def test_the_way_back_keeps_the_search(visitor, offers):
    html = visitor().get(offer_url(offers["debt"]), {"postcode": "6211", "language": "ar", "x": "y"}).content.decode()
    assert f'href="{SEARCH}?postcode=6211&amp;language=ar"' in html
    assert "Back to your results" in html
    html = visitor().get(offer_url(offers["debt"])).content.decode()
    assert f'href="{SEARCH}"' in html
    assert "Back to your results" not in html


@pytest.mark.django_db
def test_an_inactive_or_unknown_offer_is_not_found(visitor, offers):
    assert visitor().get(offer_url(offers["off"])).status_code == 404
    assert visitor().get(reverse("desk:support_offer", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_a_subject_switched_off_is_not_shown_on_the_offer(visitor, world, offers):
    VulnerabilityDomain.objects.filter(pk=world.domains[0].pk).update(is_active=False)
    html = visitor().get(offer_url(offers["debt"])).content.decode()
    assert "Financiën" not in html
    # …and it is no longer a choice in the form.
    assert '<option value="financial"' not in visitor().get(SEARCH).content.decode()


# --- Who can use it, and in which language ----------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("as_user", [False, True])
def test_anyone_can_use_it_logged_in_or_not(world, offers, login, as_user):
    client = Client()
    if as_user:
        login(world.nurse, client)
    for url in (SEARCH, SEARCH + "?postcode=6211", offer_url(offers["debt"])):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "Schuldhulp Maastricht" in names(client.get(SEARCH, {"postcode": "6211"}))


@pytest.mark.django_db
def test_the_arabic_page_runs_right_to_left_and_marks_the_dutch_text(visitor, world, offers):
    world.domains[0].public_names = {"ar": "المال والفواتير", "nl": "Geld en rekeningen"}
    world.domains[0].save()
    response = visitor("ar").get(SEARCH, {"postcode": "6211"})
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert '<p class="support-card__text" lang="nl" dir="ltr">Hulp bij schulden.' in html
    assert '<option value="financial">المال والفواتير</option>' in html
    html = visitor("ar").get(offer_url(offers["debt"])).content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert '<p class="pre" lang="nl" dir="ltr">' in html
    assert "<li>المال والفواتير</li>" in html


@pytest.mark.django_db
def test_the_language_a_page_is_not_written_in_falls_back_to_dutch_or_english_names(world):
    domain = world.domains[0]  # name_nl = name_en = "Financiën" in the test world
    domain.name_en = "Finances"
    domain.public_names = {"nl": "Geld en rekeningen"}
    assert domain.public_name("tr") == "Geld en rekeningen"
    assert domain.public_name("en") == "Finances"
    domain.public_names = {}
    assert domain.public_name("ar") == "Financiën"
    domain.public_names = {"en": "Money and bills"}
    assert domain.public_name("en") == "Money and bills"
    assert domain.public_name("pl") == "Financiën"


@pytest.mark.django_db
def test_the_intro_comes_from_the_desk_page_with_a_dutch_fallback(visitor, world):
    page = Page.objects.create(slug="support")
    # (Not "Hulp zoeken": that is the Dutch page's own heading without an intro.)
    PageText.objects.create(page=page, language="nl", title="Hulp in de buurt", summary="Hulp dichtbij huis.")
    PageText.objects.create(
        page=page,
        language="en",
        title="Find help",
        summary="Help close to home.",
        body="Or **call us**.<script>alert(1)</script>",
    )
    html = visitor("en").get(SEARCH).content.decode()
    assert "<h1>Find help</h1>" in html
    assert "Help close to home." in html
    assert "<strong>call us</strong>" in html
    assert "<script>alert" not in html
    html = visitor("tr").get(SEARCH).content.decode()
    assert '<h1 lang="nl" dir="ltr">Hulp in de buurt</h1>' in html
    assert '<div class="desk-intro" lang="nl" dir="ltr">' in html
    assert "Hulp dichtbij huis." in html
    page.is_published = False
    page.save()
    html = visitor("nl").get(SEARCH).content.decode()
    assert "Hulp in de buurt" not in html and "Hulp dichtbij huis." not in html
    assert f"<h1>{t('Find support', 'nl')}</h1>" in html  # the page's own heading instead


@pytest.mark.django_db
def test_only_get_is_allowed(visitor, offers):
    assert visitor().post(SEARCH, {"postcode": "6211"}).status_code == 405


# --- Demo --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_names_the_subjects_in_six_languages_once_and_keeps_changes(world):
    from types import SimpleNamespace

    region = world.region
    for code in PUBLIC_NAMES:
        if not VulnerabilityDomain.objects.filter(region=region, code=code).exists():
            f.DomainFactory(region=region, code=code)
    changed = VulnerabilityDomain.objects.get(region=region, code="housing")
    changed.public_names = {"nl": "Een huis"}
    changed.save()
    context = SimpleNamespace(region=region)
    load_demo_support(context)
    load_demo_support(context)
    financial = VulnerabilityDomain.objects.get(region=region, code="financial")
    assert set(financial.public_names) == {"nl", "en", "ar", "tr", "pl", "uk"}
    assert financial.public_name("en") == "Money and bills"
    with translation.override("uk"):
        assert financial.public_name() == "Гроші та рахунки"
    assert VulnerabilityDomain.objects.get(pk=changed.pk).public_names == {"nl": "Een huis"}
    for code, names_ in PUBLIC_NAMES.items():
        assert set(names_) == {"nl", "en", "ar", "tr", "pl", "uk"}, code
        assert all(value.strip() for value in names_.values()), code
