"""Changing agreements: one place, with a version guard against lost updates and idempotent submits."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kansrijk import access

from .models import Agreement, AgreementStatus, Evaluation


class StaleVersion(Exception):
    pass


def notice_days() -> int:
    return settings.KANSRIJK_AGREEMENT_REVIEW_NOTICE_DAYS


def due(queryset, today=None):
    """Active agreements whose review is due within the notice period, or overdue."""
    today = today or timezone.localdate()
    return queryset.filter(status=AgreementStatus.ACTIVE, next_review_on__lte=today + timedelta(days=notice_days()))


def due_for(user, today=None):
    """The agreements due for review that this user keeps (for a notice on her pages)."""
    regions = access.agreement_region_ids(user, edit=True)
    return due(Agreement.objects.filter(region_id__in=regions), today).order_by("next_review_on", "pk")


def review_state(agreement, today=None) -> tuple[str, int]:
    """("overdue" | "due" | "later" | "ended", days) — told in words on the pages, not in colour alone."""
    today = today or timezone.localdate()
    if agreement.status == AgreementStatus.ENDED:
        return "ended", 0
    days = (agreement.next_review_on - today).days
    if days < 0:
        return "overdue", -days
    if days <= notice_days():
        return "due", days
    return "later", days


@transaction.atomic
def create(*, user, region, values: dict, municipalities, parties, submission_key) -> Agreement:
    existing = Agreement.objects.filter(submission_key=submission_key).first()
    if existing is not None:  # a double submit returns the first
        return existing
    agreement = Agreement.objects.create(
        region=region, created_by=user, updated_by=user, submission_key=submission_key, **values
    )
    agreement.municipalities.set(municipalities)
    agreement.parties.set(parties)
    return agreement


@transaction.atomic
def update(agreement, *, user, version: int, values: dict, municipalities, parties) -> Agreement:
    updated = Agreement.objects.filter(pk=agreement.pk, version=version).update(
        **values, updated_by=user, updated_at=timezone.now(), version=F("version") + 1
    )
    if not updated:
        raise StaleVersion(
            _("Someone else changed this agreement after you opened it. Reload it and make your change again.")
        )
    agreement.refresh_from_db()
    agreement.municipalities.set(municipalities)
    agreement.parties.set(parties)
    return agreement


@transaction.atomic
def evaluate(agreement, *, user, on, notes: str, next_review_on, submission_key) -> Evaluation:
    """Record a review; the agreement's next review moves to the date given (or it ends, with none)."""
    existing = Evaluation.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        return existing
    evaluation = Evaluation.objects.create(
        agreement=agreement, on=on, notes=notes, next_review_on=next_review_on, by=user, submission_key=submission_key
    )
    changes = {"updated_by": user, "updated_at": timezone.now(), "version": F("version") + 1}
    if next_review_on:
        changes["next_review_on"] = next_review_on
    else:
        changes["status"] = AgreementStatus.ENDED
    Agreement.objects.filter(pk=agreement.pk).update(**changes)
    agreement.refresh_from_db()
    return evaluation
