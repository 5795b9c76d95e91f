"""The follow-up part of `manage.py load_demo`: every status, the demo provider's work, a stagnating
referral, a declined one with reason, gaps; and nothing added the second time."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from kansrijk.cases.models import Status
from kansrijk.followup.models import FollowUp, FollowUpStatus, Gap
from kansrijk.followup.selectors import stagnating
from kansrijk.organisations.models import Organisation, Region

from .conftest import OfferFactory


def load_demo():
    call_command("load_demo", stdout=StringIO())


@pytest.fixture
def demo(db, settings):
    settings.KANSRIJK_ALLOW_TEST_BSN = True
    load_demo()
    # Offers of the demo provider and others, in case the social map's demo has none (yet).
    region = Region.objects.get(name="Demo-regio")
    provider = Organisation.objects.get(region=region, name__startswith="Stichting Steunouders")
    everywhere = list(region.municipalities.all())
    for n in range(2):
        OfferFactory(region=region, provider=provider, name=f"Test steunouders {n}", municipalities=everywhere)
    for n in range(5):
        OfferFactory(region=region, provider=None, name=f"Test aanbod {n}", municipalities=everywhere)
    load_demo()
    return provider


def test_the_demo_has_follow_ups_in_every_status(demo):
    assert set(FollowUp.objects.values_list("status", flat=True)) == set(FollowUpStatus.values)


def test_several_are_sent_to_the_demo_provider_and_she_sees_them(demo):
    sent = FollowUp.objects.filter(offer__provider=demo).exclude(status=FollowUpStatus.PROPOSED)
    assert sent.count() >= 2
    browser = Client()
    browser.post("/accounts/login/", {"username": "aanbieder@demo.kansrijk.nl", "password": "kansrijk-demo"})
    response = browser.get("/vervolg/aanbieder/")
    assert response.status_code == 200
    assert set(response.context["follow_ups"]) == set(sent)


def test_one_is_stagnating_and_one_declined_with_a_reason(demo):
    assert stagnating(FollowUp.objects.all()).count() == 1
    declined = FollowUp.objects.filter(status__startswith="declined")
    assert declined.exists()
    assert all(f.decline_reason for f in declined)


def test_gaps_are_recorded_in_beek_or_heerlen(demo):
    assert Gap.objects.filter(municipality__name__in=["Beek", "Heerlen"]).exists()


def test_the_visited_demo_case_stays_visited(demo):
    from kansrijk.cases.models import Case

    assert Case.objects.filter(status=Status.VISITED).exists()


def test_loading_again_adds_no_follow_ups_events_or_gaps(demo):
    before = (FollowUp.objects.count(), Gap.objects.count(), sum(f.events.count() for f in FollowUp.objects.all()))
    load_demo()
    after = (FollowUp.objects.count(), Gap.objects.count(), sum(f.events.count() for f in FollowUp.objects.all()))
    assert after == before


def test_without_offers_of_the_demo_provider_the_loader_skips_follow_ups_quietly(db, settings, monkeypatch):
    from kansrijk.demo.management.commands import load_demo as command

    settings.KANSRIJK_ALLOW_TEST_BSN = True
    monkeypatch.setattr(command, "DEMO_EXTENSIONS", [p for p in command.DEMO_EXTENSIONS if "socialmap" not in p])

    load_demo()

    assert not FollowUp.objects.exists()
    # The demo's own two gaps (the invented history of kansrijk.monitoring.demo_history has its own).
    assert Gap.objects.exclude(case__client__last_name__startswith="Synthetisch").count() == 2
