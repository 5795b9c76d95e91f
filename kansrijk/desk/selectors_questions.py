"""Reading the vraagbaak: the staff queue by status, its summary line, and times in plain words.

Every read starts from `access.visible_questions(user)`: a question routed to her JGZ organisation,
or (for a functional administrator) one of her region that no JGZ serves, or one without a
municipality.
"""

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kansrijk import access

from .models import Question, QuestionStatus

#: The median time to answer is taken over the questions answered in this many days.
MEDIAN_DAYS = 90

#: The queue's tabs, in order, with the ordering of each.
ORDERING = {
    QuestionStatus.OPEN: ("created_at", "pk"),  # who waits longest first
    QuestionStatus.ANSWERED: ("-answered_at", "-pk"),  # newest answer first
    QuestionStatus.SET_ASIDE: ("-answered_at", "-pk"),
}


def queue(user, status: str) -> QuerySet[Question]:
    """The user's visible questions with this status, in the order of the tab."""
    if status not in ORDERING:
        status = QuestionStatus.OPEN
    return (
        access.visible_questions(user)
        .filter(status=status)
        .select_related("municipality", "answered_by")
        .order_by(*ORDERING[status])
    )


@dataclass(frozen=True)
class QueueSummary:
    open: int
    answered: int
    set_aside: int
    oldest_open_at: datetime | None
    #: The median time to answer over the last MEDIAN_DAYS days, and over how many questions.
    median_time_to_answer: timedelta | None
    median_count: int

    def count(self, status: str) -> int:
        return {
            QuestionStatus.OPEN: self.open,
            QuestionStatus.ANSWERED: self.answered,
            QuestionStatus.SET_ASIDE: self.set_aside,
        }.get(status, 0)


def median_time_to_answer(
    user, *, now: datetime | None = None, days: int = MEDIAN_DAYS
) -> tuple[timedelta | None, int]:
    """The median time from asking to answering of the user's visible questions answered in the last
    `days` days (set-aside ones do not count), and how many there were. Computed in Python over the
    two timestamps, so it is the same on SQLite and PostgreSQL. One query."""
    now = now or timezone.now()
    rows = (
        access.visible_questions(user)
        .filter(status=QuestionStatus.ANSWERED, answered_at__gte=now - timedelta(days=days))
        .values_list("created_at", "answered_at")
    )
    seconds = [(answered - asked).total_seconds() for asked, answered in rows]
    if not seconds:
        return None, 0
    return timedelta(seconds=statistics.median(seconds)), len(seconds)


def summary(user, *, now: datetime | None = None) -> QueueSummary:
    """The numbers above the queue: how many per status, the oldest open one, the median time to
    answer. Two queries."""
    visible = access.visible_questions(user)
    counts = visible.aggregate(
        open=Count("pk", filter=Q(status=QuestionStatus.OPEN)),
        answered=Count("pk", filter=Q(status=QuestionStatus.ANSWERED)),
        set_aside=Count("pk", filter=Q(status=QuestionStatus.SET_ASIDE)),
        oldest_open_at=Min("created_at", filter=Q(status=QuestionStatus.OPEN)),
    )
    median, median_count = median_time_to_answer(user, now=now)
    return QueueSummary(
        open=counts["open"],
        answered=counts["answered"],
        set_aside=counts["set_aside"],
        oldest_open_at=counts["oldest_open_at"],
        median_time_to_answer=median,
        median_count=median_count,
    )


def duration_text(delta: timedelta | None) -> str:
    """A waiting time or time to answer in plain words: "40 minutes", "5 hours", "2 days"."""
    if delta is None:
        return ""
    seconds = max(int(delta.total_seconds()), 0)
    if seconds < 3600:
        minutes = max(seconds // 60, 1)
        return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    if seconds < 86400:
        hours = seconds // 3600
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    days = seconds // 86400
    return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}


def describe(question: Question, *, now: datetime | None = None) -> Question:
    """Add what the queue and the question's page show: `waiting` (open) or `answer_time` (answered)."""
    now = now or timezone.now()
    if question.status == QuestionStatus.OPEN:
        question.waiting = duration_text(now - question.created_at)
        question.answer_time = ""
    else:
        question.waiting = ""
        question.answer_time = duration_text(question.time_to_answer)
    return question


def language_name(code: str) -> str:
    """The name of a language of settings.LANGUAGES in the staff's language, e.g. "Arabic"."""
    return str(dict(settings.LANGUAGES).get(code, code)) or _("unknown")
