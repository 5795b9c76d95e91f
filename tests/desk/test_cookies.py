"""The desk sets only strictly necessary cookies — the language choice, the session and CSRF — and loads
nothing from other sites, so it needs no cookie banner (the privacy page says so)."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from kansrijk.desk.content import load_content
from kansrijk.socialmap.models import Offer

from .test_questions import ask_data
from .test_register import register_data

STRICTLY_NECESSARY = {settings.LANGUAGE_COOKIE_NAME, settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME}


@pytest.fixture
def desk(world):
    load_content()
    return world


def cookies_set(response) -> set[str]:
    return set(response.cookies.keys())


def test_reading_registering_asking_and_searching_set_only_strictly_necessary_cookies(desk):
    visitor = Client(enforce_csrf_checks=True)
    seen: set[str] = set()
    pages = [
        "/",
        reverse("desk:home"),
        reverse("desk:page", args=["about"]),
        reverse("desk:page", args=["privacy"]),
        reverse("desk:faq"),
        reverse("desk:professionals"),
        reverse("desk:leaflet", args=["ar"]),
        reverse("desk:support") + "?postcode=6211",
        reverse("desk:register"),
        reverse("desk:ask"),
    ]
    for path in pages:
        response = visitor.get(path)
        assert response.status_code == 200, path
        seen |= cookies_set(response)
    token = visitor.cookies[settings.CSRF_COOKIE_NAME].value

    response = visitor.post(reverse("desk:register"), register_data(csrfmiddlewaretoken=token), follow=True)
    assert response.status_code == 200 and response.redirect_chain
    seen |= {name for r in [response, *getattr(response, "redirect_chain", [])] for name in getattr(r, "cookies", {})}
    response = visitor.post(reverse("desk:ask"), ask_data(desk, csrfmiddlewaretoken=token), follow=True)
    assert response.status_code == 200 and response.redirect_chain
    response = visitor.post(reverse("set_language"), {"language": "uk", "next": "/", "csrfmiddlewaretoken": token})
    seen |= cookies_set(response)

    assert settings.LANGUAGE_COOKIE_NAME in seen
    assert set(visitor.cookies.keys()) <= STRICTLY_NECESSARY, visitor.cookies.keys()
    assert seen <= STRICTLY_NECESSARY, seen


def test_reading_the_desk_sets_no_session_and_no_language_cookie(desk):
    """Only the CSRF cookie, which protects the language switch on every page; no session for readers."""
    visitor = Client()
    for path in ("/", reverse("desk:page", args=["about"]), reverse("desk:faq")):
        assert cookies_set(visitor.get(path)) <= {settings.CSRF_COOKIE_NAME}, path


def test_the_desk_loads_nothing_from_other_sites(desk):
    offer = Offer.objects.filter(is_active=True).first() or None
    visitor = Client()
    paths = ["/", reverse("desk:faq"), reverse("desk:register"), reverse("desk:ask"), reverse("desk:support")]
    if offer is not None:
        paths.append(reverse("desk:support_offer", args=[offer.pk]))
    for path in paths:
        response = visitor.get(path)
        html = response.content.decode()
        # Scripts, stylesheets, images, fonts and frames come from this site only …
        assert not re.search(r'<(script|img|iframe|link)[^>]+(src|href)="(https?:)?//', html), path
        # … and the browser is told so.
        assert "default-src 'self'" in response["Content-Security-Policy"], path
