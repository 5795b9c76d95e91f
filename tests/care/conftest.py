"""Helpers for the nurse's work: cases in a known state and services called as a persona."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone, translation

from kansrijk.audit.models import AuditEntry
from kansrijk.care.services import HeldVisit

from ..conftest import http_request, make_case

#: A Monday morning; cases in time-sensitive tests are referred then.
T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def in_english():
    """Messages are checked by their English msgid, whatever the Dutch catalogue says."""
    with translation.override("en"):
        yield


@pytest.fixture
def assigned(world):
    """A case of `world.nurse`, assigned and not yet reached."""
    return make_case(world, "assigned")


def as_user(user):
    return http_request(user)


def held(**overrides) -> HeldVisit:
    values = {
        "scheduled_at": timezone.now() - timedelta(hours=1),
        "form": "home",
        "location": "",
        "duration_minutes": 60,
        "partner_present": True,
        "others_present": "",
        "interpreter_used": False,
        "notes": "Kennismaking.",
    }
    values.update(overrides)
    return HeldVisit(**values)


def audit_rows(case, action=None, **filters):
    rows = AuditEntry.objects.filter(case_id=case.pk, **filters)
    if action is not None:
        rows = rows.filter(action=action)
    return rows


__all__ = ["T0", "as_user", "audit_rows", "held", "make_case"]
