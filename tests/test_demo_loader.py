"""`manage.py load_demo`: a working demo region, loaded as often as you like."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client

from kansrijk.audit.models import AuditEntry
from kansrijk.cases.models import Case, Status
from kansrijk.demo.management.commands.load_demo import DEMO_DOMAIN, DEMO_PASSWORD, USERS
from kansrijk.monitoring import monthly
from kansrijk.referrals.models import Referral


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def count_every_model() -> dict[str, int]:
    return {model._meta.label: model._base_manager.count() for model in apps.get_models()}


@pytest.fixture
def demo(db, settings):
    settings.KANSRIJK_ALLOW_TEST_BSN = True
    return load_demo()


def test_loading_the_demo_twice_adds_nothing_the_second_time(demo):
    before = count_every_model()
    output = load_demo()
    assert count_every_model() == before
    assert monthly.differences() == []  # the trend charts' summary agrees with the demo's cases
    assert "0 demo cases added" in output


def test_demo_holds_cases_in_several_stages_with_their_audit_trail(demo):
    statuses = set(Case.objects.values_list("status", flat=True))
    assert {Status.RECEIVED, Status.ASSIGNED, Status.IN_CONTACT, Status.VISITED, Status.FOLLOW_UP} <= statuses
    assert Case.objects.filter(organisation__isnull=True).exists()  # something for the administrator to route
    assert Referral.objects.count() == Case.objects.count()
    # The hand-made demo cases went through the services; the invented history (kansrijk.monitoring.demo_history,
    # for the figures) was written in bulk and is all closed.
    made = Referral.objects.exclude(case__client__last_name__startswith="Synthetisch")
    referral_rows = AuditEntry.objects.filter(action="create", description__startswith="referral created")
    self_rows = AuditEntry.objects.filter(action="create", description__startswith="self-registration at the desk")
    assert referral_rows.count() == made.exclude(source="self").count()
    assert self_rows.count() == made.filter(source="self").count() == 2


def test_demo_output_lists_every_demo_login(demo):
    for local, _name, _roles in USERS:
        assert f"{local}@{DEMO_DOMAIN}" in demo
    assert DEMO_PASSWORD in demo


@pytest.mark.parametrize("local", [local for local, _name, _roles in USERS])
def test_every_demo_login_works_with_the_demo_password(demo, local):
    browser = Client()
    response = browser.post("/accounts/login/", {"username": f"{local}@{DEMO_DOMAIN}", "password": DEMO_PASSWORD})

    assert response.status_code == 302, local
    start = browser.get("/start/", follow=True)
    assert start.status_code == 200, local
