"""Logging in: by e-mail through the real form, lockout, password rules, idle sessions, two-factor login."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from .factories import PASSWORD

LOGIN = "/accounts/login/"


def log_in(browser: Client, user, password: str = PASSWORD, **extra):
    return browser.post(LOGIN, {"username": user.email, "password": password}, **extra)


def logged_in_as(browser: Client):
    session_key = browser.cookies.get(settings.SESSION_COOKIE_NAME)
    if session_key is None:
        return None
    return browser.session.get(SESSION_KEY)


# --- Logging in by e-mail ----------------------------------------------------------------


def test_person_logs_in_with_her_email_address_and_lands_on_her_start_page(world):
    browser = Client()
    response = log_in(browser, world.nurse)

    assert response.status_code == 302
    assert response.url == "/start/"
    assert browser.get("/start/").url == "/vandaag/"  # the nurse's day
    assert browser.get("/trajecten/mijn/").status_code == 200


def test_login_follows_next_within_the_site_only(world):
    browser = Client()
    inside = browser.post(LOGIN, {"username": world.planner.email, "password": PASSWORD, "next": "/trajecten/team/"})
    assert inside.url == "/trajecten/team/"

    browser = Client()
    outside = browser.post(
        LOGIN, {"username": world.planner.email, "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert not outside.url.startswith("https://evil.example")


def test_wrong_password_is_refused_and_the_page_says_so(world):
    browser = Client()
    response = log_in(browser, world.nurse, "wrong-password-123")

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert logged_in_as(browser) is None
    assert browser.get("/trajecten/mijn/").status_code == 302


def test_inactive_person_cannot_log_in(world):
    world.nurse.is_active = False
    world.nurse.save()
    browser = Client()
    assert log_in(browser, world.nurse).status_code == 200
    assert logged_in_as(browser) is None


def test_logout_ends_the_session(world):
    browser = Client()
    log_in(browser, world.nurse)
    browser.post("/accounts/logout/")
    assert browser.get("/trajecten/mijn/").status_code == 302


# --- Lockout (django-axes) -------------------------------------------------------------------


def _fail(browser, user, times: int, **extra):
    for _ in range(times):
        log_in(browser, user, "wrong-password-123", **extra)


def test_four_failures_do_not_lock_the_account(world):
    browser = Client()
    _fail(browser, world.nurse, 4)
    assert log_in(browser, world.nurse).status_code == 302


def test_account_is_locked_after_five_failures_even_with_the_right_password(world):
    browser = Client()
    _fail(browser, world.nurse, 5)

    response = log_in(browser, world.nurse)

    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert logged_in_as(browser) is None


def test_lockout_follows_the_account_to_another_address(world):
    _fail(Client(), world.nurse, 5, REMOTE_ADDR="198.51.100.1")

    response = log_in(Client(), world.nurse, REMOTE_ADDR="198.51.100.2")

    assert response.status_code == 429


def test_lockout_of_one_account_does_not_lock_out_colleagues(world):
    browser = Client()
    _fail(browser, world.nurse, 5)

    colleague = Client()
    response = log_in(colleague, world.planner)

    assert response.status_code == 302
    assert logged_in_as(colleague) == str(world.planner.pk)


def test_lockout_ends_after_the_cool_off_time(world):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _fail(Client(), world.nurse, 5)
        assert log_in(Client(), world.nurse).status_code == 429
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        assert log_in(Client(), world.nurse).status_code == 302


# --- Passwords and sessions ----------------------------------------------------------------------


@pytest.mark.parametrize("password", ["kort", "Xq7!kPz2#vR", "password1234", "123456789012"])
def test_weak_password_is_refused(world, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=world.nurse)


def test_password_like_the_email_address_is_refused(world):
    with pytest.raises(ValidationError):
        validate_password("nurse@example.org", user=world.nurse)


def test_long_unusual_password_is_accepted(world):
    validate_password("Xq7!kPz2#vRw-ochtendzon", user=world.nurse)


def _logged_in_at(moment, user) -> Client:
    browser = Client()
    with time_machine.travel(moment, tick=False):
        log_in(browser, user)
    return browser


def test_session_ends_after_30_minutes_without_activity(world):
    assert settings.SESSION_COOKIE_AGE == 1800
    start = timezone.now()
    browser = _logged_in_at(start, world.nurse)
    with time_machine.travel(start + timedelta(minutes=20), tick=False):
        assert browser.get("/trajecten/mijn/").status_code == 200  # activity keeps it alive
    with time_machine.travel(start + timedelta(minutes=45), tick=False):
        assert browser.get("/trajecten/mijn/").status_code == 200  # 25 minutes since the last request
    with time_machine.travel(start + timedelta(minutes=76), tick=False):
        response = browser.get("/trajecten/mijn/")
        assert response.status_code == 302
        assert response.url.startswith(LOGIN)


def _session_writes(browser: Client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert browser.get(path).status_code == 200
    return [q["sql"] for q in captured.captured_queries if "django_session" in q["sql"] and "SELECT" not in q["sql"]]


def test_a_session_in_use_is_written_at_most_once_a_minute(world):
    """Not a database write on every click: the session is saved again once a minute has passed."""
    start = timezone.now()
    browser = _logged_in_at(start, world.nurse)
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        assert _session_writes(browser, "/trajecten/mijn/") == []
    with time_machine.travel(start + timedelta(seconds=59), tick=False):
        assert _session_writes(browser, "/trajecten/mijn/") == []
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        assert len(_session_writes(browser, "/trajecten/mijn/")) == 1
    with time_machine.travel(start + timedelta(seconds=90), tick=False):
        assert _session_writes(browser, "/trajecten/mijn/") == []
    # Logged in without the form (as the tests and the bench do): the login's save counts as well.
    other = Client()
    other.force_login(world.nurse)
    assert _session_writes(other, "/trajecten/mijn/") == []


def test_an_idle_session_ends_between_29_and_30_minutes_after_the_last_request(world):
    start = timezone.now()
    browser = _logged_in_at(start, world.nurse)
    with time_machine.travel(start + timedelta(seconds=50), tick=False):
        assert browser.get("/trajecten/mijn/").status_code == 200  # within the minute: not saved again
    with time_machine.travel(start + timedelta(minutes=29, seconds=55), tick=False):
        assert browser.get("/trajecten/mijn/").status_code == 200  # 29 minutes after the last request: still in
    # Used every 50 seconds for an hour: it stays alive.
    for step in range(1, 73):
        with time_machine.travel(start + timedelta(minutes=29, seconds=55 + 50 * step), tick=False):
            assert browser.get("/trajecten/mijn/").status_code == 200
    last = start + timedelta(minutes=29, seconds=55 + 50 * 72)
    with time_machine.travel(last + timedelta(minutes=30, seconds=1), tick=False):
        response = browser.get("/trajecten/mijn/")  # never later than 30 minutes after the last request
        assert response.status_code == 302
        assert response.url.startswith(LOGIN)


def test_a_visitor_without_a_session_or_with_an_expired_one_gets_no_new_session(world):
    from django.contrib.sessions.models import Session

    assert Client().get("/").status_code == 200  # the public desk
    assert not Session.objects.exists()
    start = timezone.now()
    browser = _logged_in_at(start, world.nurse)
    assert Session.objects.count() == 1
    with time_machine.travel(start + timedelta(hours=2), tick=False):
        assert browser.get(LOGIN).status_code == 200  # (a page that does not ask who is logged in)
        assert browser.get("/").status_code == 200
        assert browser.get("/trajecten/mijn/").status_code == 302
    assert not Session.objects.filter(expire_date__gt=start + timedelta(hours=2)).exists()


def test_an_expired_session_that_no_one_read_before_is_not_brought_back(world):
    """A page that never asks who is logged in: the activity check loads the session itself, finds it expired,
    and must not save it as a new one."""
    from importlib import import_module

    from django.contrib.sessions.models import Session
    from django.http import HttpResponse
    from django.test import RequestFactory

    from kansrijk.accounts.middleware import SessionActivityMiddleware

    store = import_module(settings.SESSION_ENGINE).SessionStore
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        session = store()
        session["anything"] = 1
        session.save()
    with time_machine.travel(start + timedelta(hours=2), tick=False):
        request = RequestFactory().get("/static/x.css")
        request.session = store(session.session_key)
        SessionActivityMiddleware(lambda request: HttpResponse())(request)
        assert not request.session.modified
        assert request.session.is_empty()
    assert Session.objects.count() == 1


def test_session_cookie_is_not_readable_by_scripts(world):
    browser = Client()
    log_in(browser, world.nurse)
    assert browser.cookies[settings.SESSION_COOKIE_NAME]["httponly"]


# --- Two-factor login --------------------------------------------------------------------------------


def token_for(device: TOTPDevice, offset: int = 0) -> str:
    """The code the authenticator app shows now (offset in steps)."""
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset)
    return f"{value:0{device.digits}d}"


def wrong_token_for(device: TOTPDevice) -> str:
    right = {token_for(device, offset) for offset in (-1, 0, 1)}
    return next(code for code in (f"{n:06d}" for n in range(1000000)) if code not in right)


@pytest.fixture
def require_2fa(settings):
    settings.KANSRIJK_REQUIRE_2FA = True


def test_nurse_is_sent_to_set_up_two_factor_login_first(world, require_2fa):
    browser = Client()
    log_in(browser, world.nurse)

    response = browser.get("/trajecten/mijn/", follow=True)

    assert [url for url, _ in response.redirect_chain] == [
        "/accounts/2fa/?next=/trajecten/mijn/",
        "/accounts/2fa/instellen/?next=/trajecten/mijn/",
    ]
    html = response.content.decode()
    assert "<svg" in html
    device = TOTPDevice.objects.get(user=world.nurse)
    assert not device.confirmed
    assert response.context["secret"] in device.config_url


def test_correct_code_confirms_the_device_and_lets_her_through(world, require_2fa):
    browser = Client()
    log_in(browser, world.nurse)
    browser.get("/accounts/2fa/instellen/?next=/trajecten/mijn/")
    device = TOTPDevice.objects.get(user=world.nurse)

    response = browser.post("/accounts/2fa/instellen/", {"token": token_for(device), "next": "/trajecten/mijn/"})

    assert response.status_code == 302
    assert response.url == "/trajecten/mijn/"
    device.refresh_from_db()
    assert device.confirmed
    assert browser.get("/trajecten/mijn/").status_code == 200


def test_wrong_code_is_refused_and_she_stays_outside(world, require_2fa):
    browser = Client()
    log_in(browser, world.nurse)
    browser.get("/accounts/2fa/instellen/")
    device = TOTPDevice.objects.get(user=world.nurse)

    response = browser.post("/accounts/2fa/instellen/", {"token": wrong_token_for(device)})

    assert response.status_code == 200
    assert "token" in response.context["form"].errors
    device.refresh_from_db()
    assert not device.confirmed
    assert browser.get("/trajecten/mijn/").status_code == 302


def test_set_up_device_is_asked_for_at_the_next_login_and_cannot_be_replaced(world, require_2fa):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        first = Client()
        log_in(first, world.nurse)
        first.get("/accounts/2fa/instellen/")
        device = TOTPDevice.objects.get(user=world.nurse)
        first.post("/accounts/2fa/instellen/", {"token": token_for(device)})

    with time_machine.travel(start + timedelta(minutes=2), tick=False):
        browser = Client()
        log_in(browser, world.nurse)
        assert browser.get("/trajecten/mijn/").url == "/accounts/2fa/?next=/trajecten/mijn/"
        # Someone with only her password cannot enrol a device of their own.
        assert browser.get("/accounts/2fa/instellen/").url == "/accounts/2fa/"
        assert browser.post("/accounts/2fa/", {"token": wrong_token_for(device)}).status_code == 200
        assert browser.get("/trajecten/mijn/").status_code == 302

    # After a wrong code django-otp throttles the device for a moment.
    with time_machine.travel(start + timedelta(minutes=2, seconds=5), tick=False):
        device.refresh_from_db()
        response = browser.post("/accounts/2fa/", {"token": token_for(device), "next": "/trajecten/mijn/"})

        assert response.url == "/trajecten/mijn/"
        assert browser.get("/trajecten/mijn/").status_code == 200
        assert TOTPDevice.objects.filter(user=world.nurse).count() == 1


def test_two_factor_page_does_not_redirect_to_another_site(world, require_2fa):
    browser = Client()
    log_in(browser, world.nurse)
    browser.get("/accounts/2fa/instellen/")
    device = TOTPDevice.objects.get(user=world.nurse)

    response = browser.post("/accounts/2fa/instellen/", {"token": token_for(device), "next": "https://evil.example/"})

    assert response.url == "/"


@pytest.mark.parametrize("persona", ["midwife", "planner", "nurse", "provider", "privacy", "admin"])
def test_every_role_with_client_data_must_use_two_factor_login(world, require_2fa, persona):
    browser = Client()
    log_in(browser, getattr(world, persona))
    response = browser.get("/start/", follow=True)
    assert response.redirect_chain[0][0].startswith("/accounts/2fa/")


@pytest.mark.parametrize("persona", ["officer", "nobody"])
def test_roles_without_client_data_are_not_forced_to_two_factor_login(world, require_2fa, persona):
    browser = Client()
    log_in(browser, getattr(world, persona))
    response = browser.get("/start/", follow=True)
    assert response.status_code == 200
    assert not any(url.startswith("/accounts/2fa/") for url, _ in response.redirect_chain)


def test_with_the_setting_off_nobody_is_forced_to_two_factor_login(world, settings):
    settings.KANSRIJK_REQUIRE_2FA = False
    for persona in ("nurse", "planner", "midwife", "privacy", "admin"):
        browser = Client()
        log_in(browser, getattr(world, persona))
        response = browser.get("/start/", follow=True)
        assert response.status_code == 200, persona
        assert not any(url.startswith("/accounts/2fa/") for url, _ in response.redirect_chain), persona


def test_production_requires_two_factor_login_by_default(monkeypatch):
    import importlib
    import sys

    monkeypatch.setenv("DJANGO_SECRET_KEY", "test-only-key")
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "kansrijk.example.nl")
    monkeypatch.delenv("KANSRIJK_REQUIRE_2FA", raising=False)
    monkeypatch.delitem(sys.modules, "kansrijk.settings.production", raising=False)

    production = importlib.import_module("kansrijk.settings.production")

    assert production.KANSRIJK_REQUIRE_2FA is True
    assert production.SESSION_COOKIE_SECURE is True


def test_production_keeps_database_connections_and_checks_them_before_use(monkeypatch, settings):
    import importlib
    import sys

    monkeypatch.setenv("DJANGO_SECRET_KEY", "test-only-key")
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "kansrijk.example.nl")
    monkeypatch.delenv("DJANGO_CONN_MAX_AGE", raising=False)
    monkeypatch.delitem(sys.modules, "kansrijk.settings.production", raising=False)
    base = importlib.import_module("kansrijk.settings.base")

    production = importlib.import_module("kansrijk.settings.production")

    assert production.DATABASES["default"]["CONN_MAX_AGE"] == 600
    assert production.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    assert production.DATABASES["default"]["ATOMIC_REQUESTS"] is True  # the rest as base has it
    # base's settings (and the tests', which import them) are not changed by importing production
    assert base.DATABASES["default"].get("CONN_MAX_AGE", 0) == 0

    monkeypatch.setenv("DJANGO_CONN_MAX_AGE", "0")
    monkeypatch.delitem(sys.modules, "kansrijk.settings.production")
    assert importlib.import_module("kansrijk.settings.production").DATABASES["default"]["CONN_MAX_AGE"] == 0


def test_after_two_factor_setup_she_lands_on_the_page_she_asked_for_with_all_its_filters(world, require_2fa):
    wanted = f"/trajecten/team/?nurse={world.nurse.pk}&status=assigned"
    browser = Client()
    log_in(browser, world.planner)

    setup = browser.get(wanted, follow=True)
    device = TOTPDevice.objects.get(user=world.planner)
    response = browser.post(setup.redirect_chain[-1][0], {"token": token_for(device), "next": setup.context["next"]})

    assert response.url == wanted


def test_changing_capitals_in_the_email_does_not_get_round_the_lockout(world):
    browser = Client()
    for _ in range(5):
        browser.post("/accounts/login/", {"username": "nurse@example.org", "password": "wrong-password"})
    response = browser.post("/accounts/login/", {"username": "NURSE@Example.org", "password": PASSWORD})
    assert not response.wsgi_request.user.is_authenticated
    assert SESSION_KEY not in browser.session
