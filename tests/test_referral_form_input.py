"""Bad input on the referral form, posted through the page as a referrer would.

Whatever is wrong, nothing is saved and the form comes back with what she typed;
whatever she typed, it is stored as typed and shown back escaped.
"""

import importlib
import re
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django import forms
from django.contrib.messages import constants
from django.utils import timezone

from kansrijk.cases.models import Case
from kansrijk.clients.models import Client
from kansrijk.referrals.forms import KNOWN_INVALID_BSNS, ReferralForm, clean_bsn
from kansrijk.referrals.models import Referral

from . import factories as f
from .conftest import referral_data

URL = "/aanmeldingen/nieuw/"
NOON = datetime(2025, 6, 2, 12, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


@pytest.fixture(autouse=True)
def _frozen_noon():
    """Dates are checked against today: keep today still, far from midnight."""
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def midwife(world, client, login):
    login(world.midwife)
    return client


def today():
    return timezone.localdate()


def assert_nothing_saved():
    assert not Referral.objects.exists()
    assert not Case.objects.exists()
    assert not Client.objects.exists()


def assert_form_came_back_filled_in(response, data):
    """The typed values are in the page again: nothing she typed is lost."""
    html = response.content.decode()
    for name in ("last_name", "street", "phone"):
        assert f'value="{data[name]}"' in html, name
    assert data["reason"] in html
    domain = data["domains"][0]
    assert re.search(rf'<input type="checkbox" name="domains" value="{domain}"[^>]*checked', html)


# --- Each kind of bad input ------------------------------------------------------------------


def _years_ago(years: int, days: int = 0):
    return (today().replace(year=today().year - years) - timedelta(days=days)).isoformat()


BAD_INPUT = {
    "bsn_fails_11_proof": ("bsn", lambda: "123456789"),
    "bsn_too_short": ("bsn", lambda: "12345678"),
    "bsn_letters": ("bsn", lambda: "12345678a"),
    "bsn_all_zeros": ("bsn", lambda: "000000000"),
    "bsn_known_example_123456782": ("bsn", lambda: "123456782"),
    "bsn_all_ones": ("bsn", lambda: "111111111"),
    "postcode_five_digits": ("postcode", lambda: "12345"),
    "postcode_without_letters": ("postcode", lambda: "6211"),
    "postcode_leading_zero": ("postcode", lambda: "0211 AB"),
    "postcode_forbidden_letters_SA": ("postcode", lambda: "6211 SA"),
    "postcode_letters_first": ("postcode", lambda: "AB 6211"),
    "postcode_empty": ("postcode", lambda: ""),
    "due_date_in_the_past": ("due_date", lambda: (today() - timedelta(days=1)).isoformat()),
    "due_date_more_than_43_weeks_away": ("due_date", lambda: (today() + timedelta(weeks=43, days=1)).isoformat()),
    "due_date_not_a_date": ("due_date", lambda: "2025-02-31"),
    "date_of_birth_in_the_future": ("date_of_birth", lambda: (today() + timedelta(days=1)).isoformat()),
    "date_of_birth_of_a_child": ("date_of_birth", lambda: _years_ago(5)),
    "date_of_birth_too_old": ("date_of_birth", lambda: _years_ago(70)),
    "first_name_missing": ("first_name", lambda: ""),
    "first_name_only_spaces": ("first_name", lambda: "   "),
    "reason_missing": ("reason", lambda: ""),
    "email_not_an_address": ("email", lambda: "lotte-at-example"),
    "urgency_unknown": ("urgency", lambda: "9"),
    "language_unknown": ("preferred_language", lambda: "xx"),
    "screening_instrument_unknown": ("screening_instrument", lambda: "tarot"),
    "submission_key_not_a_uuid": ("submission_key", lambda: "not-a-uuid"),
}


@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_bad_input_is_refused_nothing_is_saved_and_the_form_comes_back_filled_in(world, midwife, case):
    field, value = BAD_INPUT[case]
    data = referral_data(world, **{field: value()})
    if field == "reason":
        data["street"] = "Kerkstraat"  # the reason itself is what is missing
        data["reason"] = ""

    response = midwife.post(URL, data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert_nothing_saved()
    if field != "reason":
        assert_form_came_back_filled_in(response, data)
    if field in ("bsn", "postcode") and data[field]:
        assert f'value="{data[field]}"' in response.content.decode()  # she sees what she typed wrong


@pytest.mark.parametrize(
    "field",
    ["missing", "domain_of_another_region"],
)
def test_signals_must_be_ticked_from_the_regions_own_catalogue(world, midwife, field):
    elsewhere = f.DomainFactory(region=f.RegionFactory(name="Elders"), code="housing")
    domains = [] if field == "missing" else [str(elsewhere.pk)]
    data = referral_data(world)
    data["domains"] = domains

    response = midwife.post(URL, data)

    assert response.status_code == 200
    assert "domains" in response.context["form"].errors
    assert_nothing_saved()


def test_test_range_bsn_is_refused_when_test_numbers_are_not_allowed(world, midwife, settings):
    settings.KANSRIJK_ALLOW_TEST_BSN = False

    response = midwife.post(URL, referral_data(world, bsn="999990019"))

    assert response.status_code == 200
    assert "bsn" in response.context["form"].errors
    assert_nothing_saved()


def test_test_range_bsn_is_accepted_where_test_numbers_are_allowed_and_stored_without_dots(world, midwife, settings):
    settings.KANSRIJK_ALLOW_TEST_BSN = True

    response = midwife.post(URL, referral_data(world, bsn="9999.90 019"))

    assert response.status_code == 302
    assert Client.objects.get().bsn == "999990019"


def test_production_settings_never_allow_test_bsns(monkeypatch):
    monkeypatch.setenv("DJANGO_SECRET_KEY", "test-only-key")
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "kansrijk.example.nl")
    monkeypatch.setenv("KANSRIJK_ALLOW_TEST_BSN", "true")
    monkeypatch.delitem(sys.modules, "kansrijk.settings.production", raising=False)

    production = importlib.import_module("kansrijk.settings.production")

    assert production.KANSRIJK_ALLOW_TEST_BSN is False  # (monkeypatch forgets the module again afterwards)


@pytest.mark.parametrize(
    ("bsn", "known_invalid"),
    [("123456789", False), ("000000000", True), ("123456782", True), ("111111111", True)],
)
def test_known_invalid_bsns_are_refused_even_where_they_pass_the_11_proof(bsn, known_invalid):
    assert (bsn in KNOWN_INVALID_BSNS) is known_invalid
    with pytest.raises(forms.ValidationError):
        clean_bsn(bsn)


def test_postcode_is_stored_in_one_notation(world, midwife):
    midwife.post(URL, referral_data(world, postcode=" 6211ab "))
    assert Client.objects.get().postcode == "6211 AB"


@pytest.mark.parametrize("due", [0, 43 * 7])
def test_due_date_from_today_up_to_43_weeks_is_accepted(world, midwife, due):
    response = midwife.post(URL, referral_data(world, due_date=(today() + timedelta(days=due)).isoformat()))
    assert response.status_code == 302


def test_postcode_served_by_nobody_is_accepted_and_sent_to_the_region_administrators(world, midwife):
    response = midwife.post(URL, referral_data(world, postcode="6191 AB"), follow=True)

    assert response.status_code == 200
    case = Case.objects.get()
    assert case.organisation is None
    assert case.municipality == world.beek
    levels = [m.level for m in response.context["messages"]]
    assert levels == [constants.WARNING]


def test_referral_without_consent_explains_why_it_cannot_be_sent(world, midwife):
    data = referral_data(world)
    del data["consent_contact"]

    response = midwife.post(URL, data)

    assert response.status_code == 200
    assert_nothing_saved()
    assert_form_came_back_filled_in(response, data)
    errors = response.context["form"].errors["consent_contact"]
    explanation = str(ReferralForm.base_fields["consent_contact"].error_messages["required"])
    assert errors == [explanation]
    assert len(explanation) > 60  # an explanation, not a bare "this field is required"
    html = response.content.decode()
    assert explanation.replace("'", "&#x27;") in html


MAX_LENGTHS = {
    "first_name": 100,
    "last_name": 150,
    "street": 150,
    "house_number": 20,
    "city": 100,
    "phone": 30,
    "reason": 4000,
    "bsn": 11,
    "postcode": 7,
}


@pytest.mark.parametrize("field", list(MAX_LENGTHS))
def test_oversized_field_is_refused(world, midwife, field):
    response = midwife.post(URL, referral_data(world, **{field: "9" * (MAX_LENGTHS[field] + 1)}))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert_nothing_saved()


def test_oversized_email_is_refused(world, midwife):
    response = midwife.post(URL, referral_data(world, email="a" * 250 + "@example.org"))
    assert "email" in response.context["form"].errors
    assert_nothing_saved()


@pytest.mark.parametrize("field", [name for name in MAX_LENGTHS if name not in ("bsn", "postcode")])
def test_field_of_exactly_max_length_is_accepted_and_fits_the_database(world, midwife, field):
    value = "x" * MAX_LENGTHS[field]
    response = midwife.post(URL, referral_data(world, **{field: value}))

    assert response.status_code == 302
    referral = Referral.objects.select_related("case__client").get()
    stored = referral.reason if field == "reason" else getattr(referral.case.client, field)
    assert stored == value


# --- Markup typed into text fields ---------------------------------------------------------------

SCRIPT_FIELDS = ["first_name", "last_name", "street", "house_number", "city", "phone", "reason"]


def script(field: str) -> str:
    return f"<script>{field[:2]}</script>"


def escaped(field: str) -> str:
    return f"&lt;script&gt;{field[:2]}&lt;/script&gt;"


def assert_no_live_script(html: str):
    # The layout's own scripts all carry a src attribute; a bare <script> can only be injected.
    assert "<script>" not in html


@pytest.fixture
def scripted_referral(world, midwife):
    response = midwife.post(URL, referral_data(world, **{name: script(name) for name in SCRIPT_FIELDS}))
    assert response.status_code == 302
    return Referral.objects.select_related("case__client").get()


def test_markup_in_text_fields_is_stored_as_typed(scripted_referral):
    client = scripted_referral.case.client
    for name in SCRIPT_FIELDS:
        stored = scripted_referral.reason if name == "reason" else getattr(client, name)
        assert stored == script(name)


def test_markup_is_shown_escaped_on_the_referrers_pages(world, midwife, scripted_referral):
    detail = midwife.get(f"/aanmeldingen/{scripted_referral.pk}/").content.decode()
    listing = midwife.get("/aanmeldingen/").content.decode()

    for html in (detail, listing):
        assert_no_live_script(html)
        assert escaped("first_name") in html
        assert escaped("last_name") in html
    assert escaped("reason") in detail


def test_markup_is_shown_escaped_on_the_planners_case_page_and_intake_queue(world, scripted_referral, client, login):
    login(world.planner)
    case_page = client.get(scripted_referral.case.get_absolute_url()).content.decode()
    queue = client.get("/trajecten/intake/").content.decode()

    assert_no_live_script(case_page)
    assert_no_live_script(queue)
    for name in SCRIPT_FIELDS:
        assert escaped(name) in case_page, name
    assert escaped("first_name") in queue
    assert escaped("last_name") in queue


def test_markup_is_shown_escaped_in_the_privacy_officers_search(world, scripted_referral, client, login):
    login(world.privacy)
    html = client.post("/audit/", {"query": script("last_name")}).content.decode()
    assert_no_live_script(html)
    assert escaped("last_name") in html


def test_markup_comes_back_escaped_in_a_refused_form(world, midwife):
    data = referral_data(world, **{name: script(name) for name in SCRIPT_FIELDS}, postcode="12345")

    response = midwife.post(URL, data)

    assert response.status_code == 200
    html = response.content.decode()
    assert_no_live_script(html)
    for name in SCRIPT_FIELDS:
        assert escaped(name) in html, name
    assert_nothing_saved()
