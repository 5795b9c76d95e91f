"""Writing referrals. Views and the demo loader call these; they hold no rules of their own."""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from kansrijk import access
from kansrijk.audit.models import Action
from kansrijk.audit.services import audit_log
from kansrijk.cases.models import Case, CaseEvent, EventKind, Status
from kansrijk.clients.models import Client
from kansrijk.organisations.models import Membership, Organisation
from kansrijk.organisations.selectors import jgz_organisation_for, municipality_for_postcode

from .models import Referral, ReferralSource, VulnerabilityDomain


@dataclass(frozen=True)
class ClientDetails:
    first_name: str
    last_name: str
    date_of_birth: date
    postcode: str
    bsn: str = ""
    street: str = ""
    house_number: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""
    preferred_language: str = "nl"
    interpreter_needed: bool = False


@dataclass(frozen=True)
class ReferralResult:
    referral: Referral
    created: bool
    joined_existing_case: bool
    routed_to_region: bool


def find_open_case(details: ClientDetails, due_date: date) -> Case | None:
    """A woman already known with an open case: same BSN, or same name, date of birth and due date."""
    same_person = Q(
        client__first_name__iexact=details.first_name.strip(),
        client__last_name__iexact=details.last_name.strip(),
        client__date_of_birth=details.date_of_birth,
        due_date=due_date,
    )
    if details.bsn:
        same_person |= Q(client__bsn=details.bsn)
    return Case.objects.open().filter(same_person).select_for_update().order_by("received_at").first()


def _client_for(details: ClientDetails) -> Client:
    fields = dict(details.__dict__)
    if details.bsn:
        client = Client.objects.filter(bsn=details.bsn).first()
        if client is not None:
            for name, value in fields.items():
                setattr(client, name, value)
            client.save()
            return client
    return Client.objects.create(**fields)


@transaction.atomic
def referral_create(
    *,
    request: HttpRequest | None,
    referrer,
    membership: Membership | None,
    details: ClientDetails,
    due_date: date,
    urgency: int,
    screening_instrument: str,
    domains: Iterable[VulnerabilityDomain],
    reason: str,
    consent_contact: bool,
    consent_feedback: bool,
    submission_key: uuid.UUID,
    source: str | None = None,
    fallback_organisation: Organisation | None = None,
) -> ReferralResult:
    """Create a referral, joining the woman's open case if she is already known.

    Idempotent on `submission_key`: a double click or a retried submit returns
    the referral made the first time.
    """
    existing = Referral.objects.filter(submission_key=submission_key).select_related("case").first()
    if existing is not None:
        return ReferralResult(
            existing,
            created=False,
            joined_existing_case=existing.joined_existing_case,
            routed_to_region=existing.case.organisation_id is None,
        )
    if not consent_contact:
        raise ValidationError(_("Without the woman's consent to be contacted by the JGZ, a referral cannot be sent."))

    organisation = membership.organisation if membership else fallback_organisation
    self_registered = source == ReferralSource.SELF
    if organisation is None and not self_registered:
        raise ValidationError("A referral needs a referring organisation.")
    municipality = municipality_for_postcode(details.postcode)
    if municipality is None and organisation is None:
        # A woman registering herself is routed by her postcode alone.
        raise ValidationError(_("This postcode is not in a municipality this desk serves."))
    jgz = jgz_organisation_for(municipality)
    region = municipality.region if municipality else organisation.region
    now = timezone.now()

    for attempt in range(2):
        try:
            with transaction.atomic():
                case = find_open_case(details, due_date)
                joined = case is not None
                if case is None:
                    case = Case.objects.create(
                        client=_client_for(details),
                        region=region,
                        municipality=municipality,
                        organisation=jgz,
                        due_date=due_date,
                        urgency=urgency,
                        received_at=now,
                    )
                elif urgency > case.urgency:
                    Case.objects.filter(pk=case.pk).update(urgency=urgency, version=F("version") + 1)
                    case.urgency = urgency
                referral = Referral.objects.create(
                    case=case,
                    referrer=referrer,
                    referrer_organisation=organisation,
                    source=source or ReferralSource.for_organisation(organisation),
                    due_date=due_date,
                    urgency=urgency,
                    screening_instrument=screening_instrument,
                    reason=reason,
                    consent_contact=True,
                    consent_feedback=consent_feedback,
                    consent_recorded_at=now,
                    joined_existing_case=joined,
                    submission_key=submission_key,
                )
            break
        except IntegrityError:
            # Either two submits with the same key raced (the first one won), or two
            # referrals of the same new woman raced on her BSN: then try once more,
            # and this time find her open case.
            referral = Referral.objects.select_related("case").filter(submission_key=submission_key).first()
            if referral is not None:
                return ReferralResult(
                    referral, False, referral.joined_existing_case, referral.case.organisation_id is None
                )
            if attempt == 1:
                raise

    referral.domains.set(domains)
    CaseEvent.objects.create(
        case=case,
        at=now,
        actor=referrer,
        kind=EventKind.REFERRAL,
        to_status=case.status if not joined else "",
        note=_referral_note(organisation, joined),
    )
    audit_log(
        request,
        user=referrer,
        action=Action.CREATE,
        description=("self-registration at the desk" if self_registered else "referral created")
        + (" (joined open case)" if joined else ""),
        membership=membership,
        client_id=case.client_id,
        case_id=case.pk,
    )
    return ReferralResult(
        referral, created=True, joined_existing_case=joined, routed_to_region=case.organisation_id is None
    )


def _referral_note(organisation: Organisation | None, joined: bool) -> str:
    if organisation is None:
        if joined:
            return _("She registered herself at the desk; this joined her open case.")
        return _("She registered herself at the desk.")
    if joined:
        return _("Additional referral by %(org)s joined this open case.") % {"org": organisation.name}
    return _("Referral by %(org)s.") % {"org": organisation.name}


def referral_status_for_referrer(referral: Referral) -> str:
    """What the referrer may know of the case: its stage only if the woman consented to feedback."""
    if not access.referrer_sees_progress(referral):
        return _("Received by the JGZ")
    case = referral.case
    if case.status == Status.CLOSED:
        return _("Closed: %(reason)s") % {"reason": case.get_close_reason_display()}
    return case.get_status_display()
