"""A woman registers herself at the public desk.

`register_self` turns the form into a referral (source "self", no referrer) routed by her
postcode to the JGZ organisation that serves her municipality, or to the region's
administrators when none does, and adds a `SelfRegistration` with her reference and how and
when she wants to be reached. A second submit of the same form (same submission key) returns
the first registration and does nothing else.

When she gave an e-mail address, a confirmation goes out after the commit, in the language of
the form: her reference, what happens next and how to reach the desk. Never health content:
no due date, no date of birth, nothing she wrote.
"""

import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kansrijk.clients.models import Client
from kansrijk.referrals.models import ReferralSource, ScreeningInstrument, Urgency
from kansrijk.referrals.services import ClientDetails, referral_create

from .models import SelfRegistration, new_reference

logger = logging.getLogger(__name__)

REFERENCE_PREFIX = "AM"
_REFERENCE_ATTEMPTS = 5


@dataclass(frozen=True)
class RegistrationResult:
    registration: SelfRegistration
    created: bool
    joined_existing_case: bool
    routed_to_region: bool


def _language(code: str | None) -> str:
    known = {c for c, _name in settings.LANGUAGES}
    code = (code or settings.LANGUAGE_CODE).split("-")[0]
    return code if code in known else settings.LANGUAGE_CODE


def _result(registration: SelfRegistration, created: bool) -> RegistrationResult:
    referral = registration.referral
    return RegistrationResult(
        registration=registration,
        created=created,
        joined_existing_case=referral.joined_existing_case,
        routed_to_region=referral.case.organisation_id is None,
    )


def _existing(*conditions, **lookup) -> SelfRegistration | None:
    return SelfRegistration.objects.select_related("referral__case").filter(*conditions, **lookup).first()


@transaction.atomic
def register_self(
    request: HttpRequest | None, *, data: Mapping, submission_key: uuid.UUID, language: str, notify: bool = True
) -> RegistrationResult:
    """Register a woman who signed up herself; once per `submission_key`.

    `data` holds the self-registration form's cleaned fields: first_name, last_name,
    date_of_birth, postcode, contact_channel, phone, email, contact_times, contact_note,
    language (the language she speaks best), interpreter_needed, due_date, worries (may be
    empty). `language` is the language the form was filled in (the page's language).

    Raises ValidationError when her postcode lies in no municipality of any region.
    """
    existing = _existing(submission_key=submission_key)
    if existing is not None:
        return _result(existing, created=False)

    details = ClientDetails(
        first_name=data["first_name"],
        last_name=data["last_name"],
        date_of_birth=data["date_of_birth"],
        postcode=data["postcode"],
        phone=data.get("phone", ""),
        email=data.get("email", ""),
        preferred_language=data["language"],
        interpreter_needed=bool(data.get("interpreter_needed")),
    )
    referral_result = referral_create(
        request=request,
        referrer=None,
        membership=None,
        details=details,
        due_date=data["due_date"],
        urgency=Urgency.NORMAL,
        screening_instrument=ScreeningInstrument.NONE,
        domains=[],
        reason=data.get("worries", "") or "",
        consent_contact=True,
        consent_feedback=False,
        submission_key=submission_key,
        source=ReferralSource.SELF,
    )
    referral = referral_result.referral
    if not referral_result.created:
        # The same form raced past the first look-up: the first submit made the referral (and its registration).
        first = _existing(Q(submission_key=submission_key) | Q(referral=referral))
        if first is not None:
            return _result(first, created=False)
    if referral_result.joined_existing_case:
        _complete_contact_details(referral.case.client_id, details)

    values = {
        "referral": referral,
        "contact_channel": data["contact_channel"],
        "contact_times": list(data.get("contact_times") or []),
        "contact_note": data.get("contact_note", "") or "",
        "phone": data.get("phone", "") or "",
        "email": data.get("email", "") or "",
        "language": _language(language),
        "submission_key": submission_key,
    }
    registration = None
    for attempt in range(_REFERENCE_ATTEMPTS):
        try:
            with transaction.atomic():
                registration = SelfRegistration.objects.create(reference=new_reference(REFERENCE_PREFIX), **values)
            break
        except IntegrityError:
            # Either the same form was stored at the same moment (the first one won), or the new
            # reference was already taken: then draw another one.
            first = _existing(Q(submission_key=submission_key) | Q(referral=referral))
            if first is not None:
                return _result(first, created=False)
            if attempt == _REFERENCE_ATTEMPTS - 1:
                raise

    email = data.get("email", "")
    if email and notify:  # the demo loader registers without e-mailing
        transaction.on_commit(
            partial(
                send_confirmation,
                registration_id=registration.pk,
                email=email,
                reference=registration.reference,
                channel=registration.contact_channel,
                language=registration.language,
                ask_url=_absolute(request, reverse("desk:ask")),
            )
        )
    return _result(registration, created=True)


def _complete_contact_details(client_id: int, details: ClientDetails) -> None:
    """She was already known: add a phone number or e-mail address only where none is on file.

    What is on file is never overwritten from a public form (anyone could type her name).
    """
    client = Client.objects.get(pk=client_id)
    changed = [name for name in ("phone", "email") if getattr(details, name) and not getattr(client, name)]
    for name in changed:
        setattr(client, name, getattr(details, name))
    if changed:
        client.save(update_fields=changed)


def _absolute(request: HttpRequest | None, path: str) -> str:
    if request is not None and hasattr(request, "build_absolute_uri"):
        return request.build_absolute_uri(path)
    return path


def send_confirmation(
    *, registration_id: int, email: str, reference: str, channel: str, language: str, ask_url: str
) -> None:
    """E-mail her reference and what happens next, in the language of the form. No health content."""
    days = settings.KANSRIJK_SELF_REGISTRATION_CONTACT_DAYS
    try:
        with translation.override(language):
            subject = _("Your registration for a home visit (%(reference)s)") % {"reference": reference}
            body = render_to_string(
                "desk/email/registration_confirmation.txt",
                {"reference": reference, "channel": channel, "days": days, "ask_url": ask_url},
            )
        send_mail(subject, body, None, [email])
    except Exception:  # she is registered and will be contacted; the e-mail is only a courtesy
        logger.exception("The confirmation of self-registration %s could not be e-mailed.", reference)
        return
    SelfRegistration.objects.filter(pk=registration_id).update(confirmation_sent_at=timezone.now())
