"""List pages cost the same number of queries for 3 cases as for 15 (no query per row)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kansrijk.audit.models import AuditEntry

from .conftest import make_case, refer


def queries_for(user, url: str) -> int:
    browser = Client()
    browser.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    with CaptureQueriesContext(connection) as captured:
        response = browser.get(url)
    assert response.status_code == 200
    return len(captured)


def _add(world, n: int, status: str, **kwargs):
    for _ in range(n):
        make_case(world, status, **kwargs)


@pytest.mark.parametrize(
    ("persona", "url", "status"),
    [
        ("planner", "/trajecten/intake/", "received"),
        ("nurse", "/trajecten/mijn/", "in_contact"),
        ("planner", "/trajecten/team/", "assigned"),
    ],
)
def test_case_list_uses_a_constant_number_of_queries(world, persona, url, status):
    user = getattr(world, persona)
    _add(world, 3, status)
    few = queries_for(user, url)
    shown_few = AuditEntry.objects.count()

    _add(world, 12, status)
    many = queries_for(user, url)

    assert AuditEntry.objects.count() - shown_few == 15  # all 15 were really listed
    assert many == few


def test_administrators_intake_queue_uses_a_constant_number_of_queries(world):
    _add(world, 3, "received", organisation=None)
    few = queries_for(world.admin, "/trajecten/intake/")
    _add(world, 12, "received", organisation=None)
    assert queries_for(world.admin, "/trajecten/intake/") == few


def test_referral_list_uses_a_constant_number_of_queries(world):
    for n in range(3):
        refer(world, last_name=f"Een{n}")
    few = queries_for(world.midwife, "/aanmeldingen/")
    for n in range(12):
        refer(world, last_name=f"Twee{n}")
    assert queries_for(world.midwife, "/aanmeldingen/") == few


def test_case_page_query_count_does_not_grow_with_its_referrals(world, settings):
    settings.KANSRIJK_ALLOW_TEST_BSN = True
    case = refer(world, bsn="999990019").referral.case
    few = queries_for(world.planner, case.get_absolute_url())
    for _ in range(5):
        refer(world, bsn="999990019")
    assert queries_for(world.planner, case.get_absolute_url()) == few
