"""The demo region's social map: realistic, spread over the municipalities, loaded as often as you like."""

from io import StringIO

import pytest
from django.core.management import call_command

from kansrijk.demo.management.commands import load_demo as load_demo_command
from kansrijk.socialmap.demo import DEMO_OFFERS, PROVIDER_OFFERS
from kansrijk.socialmap.models import Offer


@pytest.fixture
def demo(db, settings, monkeypatch):
    """The demo with only this app's loader, so another app's demo cannot break these tests."""
    settings.KANSRIJK_ALLOW_TEST_BSN = True
    monkeypatch.setattr(load_demo_command, "DEMO_EXTENSIONS", ["kansrijk.socialmap.demo.load"])
    call_command("load_demo", stdout=StringIO())


def test_loading_twice_adds_no_offer_the_second_time(demo):
    before = list(Offer.objects.order_by("pk").values_list("pk", "version", "last_checked_at"))
    call_command("load_demo", stdout=StringIO())
    assert list(Offer.objects.order_by("pk").values_list("pk", "version", "last_checked_at")) == before
    assert len(before) == len(DEMO_OFFERS)


def test_the_demo_provider_has_at_least_two_offers(demo):
    offers = Offer.objects.filter(provider__name="Stichting Steunouders Limburg (demo)")
    assert set(PROVIDER_OFFERS) <= set(offers.values_list("name", flat=True))


def test_the_offers_named_in_the_issue_are_there(demo):
    names = " ".join(Offer.objects.values_list("name", flat=True)).lower()
    for word in [
        "voorzorg",
        "stevig ouderschap",
        "schuldhulp",
        "steunouders",
        "wijkteam",
        "kraamzorg plus",
        "positief opvoeden",
        "taalcafé",
        "ggz",
        "voedselbank",
        "tolk",
    ]:
        assert word in names, word


def test_offers_are_spread_over_municipalities_phases_languages_and_costs(demo):
    offers = list(Offer.objects.prefetch_related("municipalities"))
    for municipality in ("Maastricht", "Heerlen", "Beek"):
        assert any(municipality in {m.name for m in o.municipalities.all()} for o in offers), municipality
    assert any(not o.for_pregnancy for o in offers) and any(not o.for_after_birth for o in offers)
    assert {"nl", "en", "ar", "tr", "pl", "uk", "ti"} <= {code for o in offers for code in o.languages}
    assert {o.costs for o in offers} >= {"free", "insured"}
    assert any(o.recognised_intervention for o in offers)


def test_exactly_one_offer_is_due_for_a_check_and_every_offer_has_a_maintainer(demo):
    assert [o.name for o in Offer.objects.all() if o.needs_check] == ["Voedselbank Parkstad"]
    assert not Offer.objects.filter(maintainer__isnull=True).exists()


def test_offers_only_for_maastricht_are_maintained_by_the_municipality(demo):
    for offer in Offer.objects.prefetch_related("municipalities").select_related("maintainer"):
        only_maastricht = [m.name for m in offer.municipalities.all()] == ["Maastricht"]
        expected = "gemeente@demo.kansrijk.nl" if only_maastricht else "beheer@demo.kansrijk.nl"
        assert offer.maintainer.email == expected, offer.name
