"""manage.py agreement_reminders [--dry-run]: e-mail each owner once per review date when a review is due.

Run it daily (cron or a systemd timer). An agreement's review is due from KANSRIJK_AGREEMENT_REVIEW_NOTICE_DAYS
(30) days before its next review date. The e-mail holds the title, topic, review date and a link — never
anything about a client. It is sent once per review date: after a review sets a new date, a new reminder
follows when that one comes near.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.db.models import F, Q
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kansrijk.agreements.models import Agreement
from kansrijk.agreements.services import due


class Command(BaseCommand):
    help = "E-mail the owners of agreements whose review is due (once per review date)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List who would get a reminder; send nothing.")

    def handle(self, *args, dry_run, **options):
        pending = (
            due(Agreement.objects.filter(owner__isnull=False, owner__is_active=True))
            .filter(Q(reminded_for_review_on__isnull=True) | ~Q(reminded_for_review_on=F("next_review_on")))
            .select_related("owner")
            .order_by("owner_id", "next_review_on")
        )
        sent = 0
        with translation.override("nl"):
            for agreement in pending:
                link = settings.KANSRIJK_BASE_URL.rstrip("/") + reverse("agreements:detail", args=[agreement.pk])
                subject = _("Review due: %(title)s") % {"title": agreement.title}
                body = _(
                    "The agreement “%(title)s” (%(topic)s) is due for review on %(date)s.\n\n"
                    "Discuss with the partners whether it worked, and record the review:\n%(link)s\n"
                ) % {
                    "title": agreement.title,
                    "topic": agreement.get_topic_display(),
                    "date": date_format(agreement.next_review_on, "j F Y"),
                    "link": link,
                }
                if dry_run:
                    self.stdout.write(f"would remind {agreement.owner.email}: {agreement.title}")
                    continue
                send_mail(subject, body, None, [agreement.owner.email])
                Agreement.objects.filter(pk=agreement.pk).update(reminded_for_review_on=agreement.next_review_on)
                sent += 1
        self.stdout.write(f"{sent} reminder(s) sent.")
