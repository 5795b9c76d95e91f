"""Writing feedback to the referrer, recording the birth."""

import logging
from datetime import date
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from kansrijk import access
from kansrijk.audit.models import Action
from kansrijk.audit.services import audit_log
from kansrijk.care.services import referral_date
from kansrijk.cases.models import Case
from kansrijk.cases.services import ConcurrentEdit, _save_guarded
from kansrijk.referrals.models import Referral

from . import selectors
from .drafting import draft_text
from .models import Feedback, FeedbackStatus, Moment

logger = logging.getLogger(__name__)


class AlreadySent(ValidationError):
    """The feedback went out before this request arrived (e.g. a double click on Send)."""


def _refuse_without_consent(referral: Referral) -> None:
    if not referral.consent_feedback:
        raise ValidationError(
            _("The woman did not consent to feedback to this referrer, so no feedback can be given on this referral.")
        )
    if referral.referrer_id is None:
        raise ValidationError(_("This referral has no referrer who could read feedback."))


@transaction.atomic
def feedback_draft(*, request: HttpRequest, case: Case, referral: Referral, moment: str) -> tuple[Feedback, bool]:
    """Create the draft for one moment, written from the case. A second call returns the first draft."""
    user = request.user
    if not selectors.can_give_feedback(user, case):
        raise PermissionDenied(_("You may not give feedback on this case."))
    if referral.case_id != case.pk:
        raise ValidationError(_("This referral does not belong to this case."))
    _refuse_without_consent(referral)
    if moment not in Moment.values:
        raise ValidationError(_("Unknown moment."))
    happened = selectors.moments_happened(case)
    if moment not in happened:
        raise ValidationError(_("This moment has not happened yet for this case."))

    existing = Feedback.objects.filter(referral=referral, moment=moment).first()
    if existing is not None:
        return existing, False
    text = draft_text(case=case, referral=referral, moment=moment, happened_at=happened[moment], sender=user)
    try:
        with transaction.atomic():
            feedback = Feedback.objects.create(case=case, referral=referral, moment=moment, text=text, created_by=user)
    except IntegrityError:
        # Two submits raced on the unique (referral, moment): the first one made the draft.
        return Feedback.objects.get(referral=referral, moment=moment), False
    audit_log(
        request,
        action=Action.CREATE,
        description=f"feedback draft ({moment}) for referral {referral.pk}",
        membership=access.membership_for_case(user, case),
        client_id=case.client_id,
        case_id=case.pk,
    )
    return feedback, True


def _guarded_update(feedback: Feedback, expected_version: int, **changes) -> None:
    """Write `changes` to a draft only if nobody changed or sent it since `expected_version`."""
    updated = Feedback.objects.filter(pk=feedback.pk, version=expected_version, status=FeedbackStatus.DRAFT).update(
        version=F("version") + 1, **changes
    )
    if updated == 1:
        for name, value in changes.items():
            setattr(feedback, name, value)
        feedback.version = expected_version + 1
        return
    current = Feedback.objects.filter(pk=feedback.pk).values_list("status", flat=True).first()
    if current == FeedbackStatus.SENT:
        raise AlreadySent(_("This feedback has already been sent; it was not sent again."))
    raise ConcurrentEdit(
        _(
            "Someone else changed this feedback while you were working on it. "
            "Nothing was saved; check the text and try again."
        )
    )


def _clean_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError(_("Write a message for the referrer."))
    return text


@transaction.atomic
def feedback_save(*, request: HttpRequest, feedback: Feedback, text: str, expected_version: int) -> Feedback:
    """Keep the nurse's edited text as a draft."""
    case = feedback.case
    if not selectors.can_give_feedback(request.user, case):
        raise PermissionDenied(_("You may not give feedback on this case."))
    _guarded_update(feedback, expected_version, text=_clean_text(text))
    audit_log(
        request,
        action=Action.UPDATE,
        description=f"feedback draft {feedback.pk} edited",
        membership=access.membership_for_case(request.user, case),
        client_id=case.client_id,
        case_id=case.pk,
    )
    return feedback


@transaction.atomic
def feedback_send(*, request: HttpRequest, feedback: Feedback, text: str, expected_version: int) -> Feedback:
    """Send the feedback: the referrer reads it in Kansrijk and gets an e-mail that there is news, nothing more."""
    case = feedback.case
    if not selectors.can_give_feedback(request.user, case):
        raise PermissionDenied(_("You may not give feedback on this case."))
    referral = feedback.referral
    _refuse_without_consent(referral)
    _guarded_update(
        feedback,
        expected_version,
        text=_clean_text(text),
        status=FeedbackStatus.SENT,
        sent_at=timezone.now(),
        sent_by=request.user,
    )
    audit_log(
        request,
        action=Action.UPDATE,
        description=f"feedback {feedback.pk} ({feedback.moment}) sent to referral {referral.pk}",
        membership=access.membership_for_case(request.user, case),
        client_id=case.client_id,
        case_id=case.pk,
    )
    link = reverse("referrals:detail", args=[referral.pk])
    if hasattr(request, "build_absolute_uri"):
        link = request.build_absolute_uri(link)
    transaction.on_commit(partial(notify_referrer, email=referral.referrer.email, link=link))
    return feedback


def notify_referrer(*, email: str, link: str) -> None:
    """Tell the referrer there is news. Never the client's name, the case or the message itself."""
    if not email:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("News in Kansrijk about one of your referrals")
        body = render_to_string("feedback/email_news.txt", {"link": link})
    try:
        send_mail(subject, body, None, [email])
    except Exception:  # the feedback is saved and readable in Kansrijk; the e-mail is only a nudge
        logger.exception("The e-mail that there is news could not be sent to a referrer.")


@transaction.atomic
def feedback_mark_read(*, request: HttpRequest, referral: Referral, feedback: list[Feedback]) -> int:
    """The referrer opened her referral: the feedback sent to her counts as read (once, audited)."""
    unread = [f.pk for f in feedback if f.status == FeedbackStatus.SENT and f.read_at is None]
    if not unread or referral.referrer_id != request.user.pk:
        return 0
    now = timezone.now()
    count = Feedback.objects.filter(pk__in=unread, read_at__isnull=True).update(read_at=now)
    if count:
        audit_log(
            request,
            action=Action.READ,
            description=f"feedback read by the referrer ({count})",
            membership=access.referrer_membership(request.user, referral.referrer_organisation_id),
            client_id=referral.case.client_id,
            case_id=referral.case_id,
        )
    return count


@transaction.atomic
def birth_record(*, request: HttpRequest, case: Case, birth_date: date, expected_version: int | None = None) -> Case:
    """The nurse records the baby's date of birth on her open case."""
    if not selectors.can_record_birth(request.user, case):
        raise PermissionDenied(_("Only the case's own nurse records the birth, while the case is open."))
    if birth_date > timezone.localdate():
        raise ValidationError(_("The date of birth cannot be in the future."))
    referred = referral_date(case)
    if birth_date < referred:
        raise ValidationError(
            _("The date of birth cannot be before the referral (%(date)s).")
            % {"date": formats.date_format(referred, "j F Y")}
        )
    _save_guarded(case, expected_version, birth_date=birth_date)
    audit_log(
        request,
        action=Action.UPDATE,
        description="birth recorded",
        membership=access.membership_for_case(request.user, case),
        client_id=case.client_id,
        case_id=case.pk,
    )
    return case
