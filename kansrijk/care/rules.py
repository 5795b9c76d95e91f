"""Rules of the nurse's work that other apps ask about.

`unreachable_rule_met(case)` decides whether a case may be closed as unreachable:
at least `KANSRIJK_UNREACHABLE_ATTEMPTS` failed contact attempts, the first and the
last at least `KANSRIJK_UNREACHABLE_DAYS` calendar days apart, and no contact since.
Only failed attempts after the last contact count: a reached attempt or a held
visit starts the count again (a family that was reached and then goes quiet
needs a new series of attempts).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone

from .models import ContactAttempt, Visit, VisitStatus


@dataclass(frozen=True)
class UnreachableState:
    met: bool
    #: Failed attempts since the last contact (those that count).
    failed_attempts: int
    needed_attempts: int
    needed_days: int
    first_failed: date | None
    last_failed: date | None

    @property
    def attempts_missing(self) -> int:
        return max(0, self.needed_attempts - self.failed_attempts)

    @property
    def earliest_date(self) -> date | None:
        """The first day on which an attempt completes the period (None before the first failed attempt)."""
        return self.first_failed + timedelta(days=self.needed_days) if self.first_failed else None


def _local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def last_contact_at(case, attempts=None) -> datetime | None:
    """When the family was last reached: a reached attempt or a held visit."""
    if attempts is None:
        attempts = list(ContactAttempt.objects.filter(case=case))
    moments = [a.at for a in attempts if a.reached]
    held = Visit.objects.filter(case=case, status=VisitStatus.HELD).order_by("-scheduled_at").first()
    if held is not None:
        moments.append(held.scheduled_at)
    return max(moments) if moments else None


def unreachable_state(case, attempts=None) -> UnreachableState:
    """Where the case stands against the unreachable rule; `attempts` saves a query when already loaded."""
    if attempts is None:
        attempts = list(ContactAttempt.objects.filter(case=case).order_by("at", "pk"))
    since = last_contact_at(case, attempts)
    failed = sorted(
        (a for a in attempts if not a.reached and (since is None or a.at > since)),
        key=lambda a: (a.at, a.pk or 0),
    )
    needed_attempts = settings.KANSRIJK_UNREACHABLE_ATTEMPTS
    needed_days = settings.KANSRIJK_UNREACHABLE_DAYS
    first = _local_date(failed[0].at) if failed else None
    last = _local_date(failed[-1].at) if failed else None
    met = (
        len(failed) >= needed_attempts and first is not None and last is not None and (last - first).days >= needed_days
    )
    return UnreachableState(
        met=met,
        failed_attempts=len(failed),
        needed_attempts=needed_attempts,
        needed_days=needed_days,
        first_failed=first,
        last_failed=last,
    )


def unreachable_rule_met(case) -> bool:
    """May this case be closed as unreachable? (Asked by `cases.services.case_transition`.)"""
    return unreachable_state(case).met
