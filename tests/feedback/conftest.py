"""Feedback fixtures: cases reached by a real referral (through the service), then put straight
into a given stage, with the care and follow-up records that make a moment happen."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from kansrijk.care.models import ContactAttempt, Visit, VisitStatus
from kansrijk.cases.models import Case
from kansrijk.followup.models import FollowUp, FollowUpStatus
from kansrijk.socialmap.models import Offer

from ..conftest import refer

_names = itertools.count(1)

#: The stamps a case carries in each stage (as tests/conftest.make_case, plus the visit).
STAMPS = {
    "assigned": ("assigned_at",),
    "in_contact": ("assigned_at", "first_contact_at"),
    "visited": ("assigned_at", "first_contact_at", "first_visit_at"),
    "follow_up": ("assigned_at", "first_contact_at", "first_visit_at"),
    "closed": ("assigned_at", "first_contact_at"),
}


def referred_case(world, status="in_contact", *, consent=True, referrer=None, nurse=None, **fields) -> Case:
    """A case made by the midwife's referral, moved to `status` for the test (nurse: world.nurse)."""
    referral = refer(
        world, referrer=referrer, consent_feedback=consent, last_name=f"Feedbackmoeder{next(_names)}"
    ).referral
    case = referral.case
    now = timezone.now()
    values = dict.fromkeys(STAMPS[status], now)
    if status == "closed":
        values.update(close_reason="completed", closed_at=now)
    values.update(fields)
    Case.objects.filter(pk=case.pk).update(status=status, nurse=nurse or world.nurse, **values)
    case.refresh_from_db()
    return case


def first_referral(case):
    return case.referrals.order_by("pk").first()


def held_visit(case, *, at=None, nurse=None) -> Visit:
    return Visit.objects.create(
        case=case,
        nurse=nurse or case.nurse,
        status=VisitStatus.HELD,
        scheduled_at=at or timezone.now() - timedelta(hours=1),
        duration_minutes=60,
    )


def attempt(case, *, at, reached: bool, user=None) -> ContactAttempt:
    return ContactAttempt.objects.create(
        case=case, at=at, method="phone", reached=reached, recorded_by=user or case.nurse
    )


def offer_of(world, name="") -> Offer:
    return Offer.objects.create(
        region=world.region,
        name=name or f"Steunouders {next(_names)}",
        provider=world.provider_org,
        provider_name="Aanbieder Test",
        description="-",
    )


def follow_up(world, case, *, status=FollowUpStatus.STARTED, changed=None, offer=None) -> FollowUp:
    """A follow-up referral put straight into `status` (with what the status needs)."""
    changed = changed or timezone.now()
    extra = {}
    if status not in (FollowUpStatus.PROPOSED, FollowUpStatus.DECLINED_FAMILY):
        extra["sent_at"] = changed
    if status == FollowUpStatus.WAITING_LIST:
        extra["expected_start"] = changed.date() + timedelta(weeks=6)
    return FollowUp.objects.create(
        case=case,
        offer=offer or offer_of(world),
        status=status,
        status_changed_at=changed,
        created_by=world.nurse,
        **extra,
    )


@pytest.fixture
def case(world):
    """An in-contact case of `world.nurse`, referred by `world.midwife` with consent to feedback."""
    return referred_case(world, "in_contact")
