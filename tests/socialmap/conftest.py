"""Offers for the social map's tests, made through the services as the region's administrator."""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation

from kansrijk.socialmap.models import Offer
from kansrijk.socialmap.services import OfferData, offer_create

from ..conftest import World, http_request


def offer_data(world: World, **overrides) -> OfferData:
    values = {
        "name": "Steunouders",
        "provider_name": "Stichting Test",
        "description": "Vrijwillige steunouders vangen het kind af en toe op.",
        "domains": [world.domains[0]],
        "municipalities": [world.maastricht],
        "languages": ["nl"],
    }
    values.update(overrides)
    return OfferData(**values)


_TODAY = object()


def make_offer(world: World, *, by=None, checked_on=_TODAY, active: bool = True, **overrides) -> Offer:
    """An offer of `world.region` (default: Maastricht, domain financial, Dutch, checked today by the admin)."""
    offer = offer_create(
        request=http_request(by or world.admin),
        region=world.region,
        data=offer_data(world, **overrides),
        checked_on=timezone.localdate() if checked_on is _TODAY else checked_on,
    )
    if not active:
        Offer.objects.filter(pk=offer.pk).update(is_active=False)
        offer.is_active = False
    return offer


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the msgids), whatever the Dutch catalogue says."""
    with translation.override("en"):
        yield


@pytest.fixture
def browse(login):
    """A logged-in test client that reads the pages in English."""

    def _browse(user):
        client = login(user, Client())
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return _browse
