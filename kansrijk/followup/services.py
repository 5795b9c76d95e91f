"""Writing follow-up referrals and gaps. Views and the demo loader call these.

Every status change is looked up in `workflow.CHANGES`, checked against the user's side
(`access.can_change_follow_up`), saved with a version guard, and leaves a `FollowUpEvent`
and an audit row in the same transaction.
"""

import uuid
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from kansrijk import access
from kansrijk.audit.models import Action
from kansrijk.audit.services import audit_log
from kansrijk.cases.models import Case, Status
from kansrijk.cases.services import ConcurrentEdit, case_transition
from kansrijk.cases.workflow import TRANSITIONS
from kansrijk.organisations.models import Membership, Role
from kansrijk.referrals.models import VulnerabilityDomain
from kansrijk.socialmap.models import Offer
from kansrijk.socialmap.selectors import offer_serves

from .models import OPEN_STATUSES, FollowUp, FollowUpEvent, FollowUpStatus, Gap, GapReason
from .workflow import CHANGES, Change


def _membership(user, follow_up: FollowUp) -> Membership | None:
    """The membership through which the user acts on this follow-up (for the audit log)."""
    membership = access.membership_for_case(user, follow_up.case)
    if membership is not None:
        return membership
    return next(
        (m for m in access.memberships_with(user, Role.PROVIDER) if m.organisation_id == follow_up.offer.provider_id),
        None,
    )


def _save_guarded(follow_up: FollowUp, expected_version: int | None, **changes) -> None:
    """Write `changes` only if nobody changed the follow-up since `expected_version`."""
    version = follow_up.version if expected_version is None else expected_version
    updated = FollowUp.objects.filter(pk=follow_up.pk, version=version).update(version=F("version") + 1, **changes)
    if updated != 1:
        raise ConcurrentEdit(
            _(
                "Someone else changed this follow-up referral while you were working on it. "
                "Nothing was saved; check its status and try again."
            )
        )
    for name, value in changes.items():
        setattr(follow_up, name, value)
    follow_up.version = version + 1


def _record(request: HttpRequest, follow_up: FollowUp, *, from_status: str, at, note: str, action: str) -> None:
    FollowUpEvent.objects.create(
        follow_up=follow_up,
        at=at,
        actor=request.user,
        from_status=from_status,
        to_status=follow_up.status,
        note=note,
    )
    audit_log(
        request,
        action=action,
        description=f"follow-up referral {follow_up.pk} to offer {follow_up.offer_id}: "
        f"{from_status or '—'} → {follow_up.status}",
        membership=_membership(request.user, follow_up),
        client_id=follow_up.case.client_id,
        case_id=follow_up.case_id,
    )


@transaction.atomic
def follow_up_propose(
    *,
    request: HttpRequest,
    case: Case,
    offer: Offer,
    domain: VulnerabilityDomain | None = None,
    outside_area_reason: str = "",
) -> tuple[FollowUp, bool]:
    """Propose a follow-up referral from the case to an offer. Returns (follow-up, created).

    An offer that does not serve the client's municipality needs a reason. A second
    proposal of an offer that is still open for this case returns the first one.
    """
    if not access.can_work_on(request.user, case):
        raise PermissionDenied(_("You may not add follow-up referrals to this case."))
    if offer.region_id != case.region_id or not offer.is_active:
        raise ValidationError(_("Choose an active offer of this region."))
    if domain is not None and domain.region_id != case.region_id:
        raise ValidationError(_("Choose a domain of this region."))
    outside_area_reason = outside_area_reason.strip()
    if offer_serves(offer, case.municipality):
        outside_area_reason = ""
    elif not outside_area_reason:
        raise ValidationError(
            _("This offer does not serve the client's municipality. Explain why you refer her to it anyway.")
        )
    existing = case.follow_ups.filter(offer=offer, status__in=OPEN_STATUSES).first()
    if existing is not None:
        return existing, False
    now = timezone.now()
    try:
        with transaction.atomic():
            follow_up = FollowUp.objects.create(
                case=case,
                offer=offer,
                domain=domain,
                status=FollowUpStatus.PROPOSED,
                status_changed_at=now,
                outside_area_reason=outside_area_reason,
                created_by=request.user,
            )
    except IntegrityError:
        # Two submits raced; the first one made it.
        return case.follow_ups.get(offer=offer, status__in=OPEN_STATUSES), False
    _record(request, follow_up, from_status="", at=now, note=outside_area_reason, action=Action.CREATE)
    return follow_up, True


def _check(request: HttpRequest, follow_up: FollowUp, change: Change) -> None:
    if not access.can_change_follow_up(request.user, follow_up, change):
        raise PermissionDenied(
            _("This follow-up referral cannot be changed to “%(status)s” by you now.") % {"status": change.label}
        )


@transaction.atomic
def follow_up_send(
    *,
    request: HttpRequest,
    follow_up: FollowUp,
    shared_with_provider: str,
    share_phone: bool,
    consent: bool,
    expected_version: int | None = None,
) -> FollowUp:
    """Send a proposed follow-up to the provider, with what the family agreed to share.

    Sending from a visited case moves the case on to "follow-up" (by its nurse).
    """
    change = CHANGES["send"]
    _check(request, follow_up, change)
    shared_with_provider = shared_with_provider.strip()
    if not consent:
        raise ValidationError(_("Confirm that the family agreed to share this with the provider."))
    if not shared_with_provider:
        raise ValidationError(_("Write down what the family agreed to share with the provider."))
    from_status = follow_up.status
    now = timezone.now()
    _save_guarded(
        follow_up,
        expected_version,
        status=change.target,
        status_changed_at=now,
        sent_at=now,
        shared_with_provider=shared_with_provider,
        share_phone=share_phone,
    )
    _record(
        request,
        follow_up,
        from_status=from_status,
        at=now,
        note=_("The family consented to share this with the provider."),
        action=Action.UPDATE,
    )
    case = follow_up.case
    if case.status == Status.VISITED and access.can_transition(request.user, case, TRANSITIONS["follow_up"]):
        case_transition(request=request, case=case, name="follow_up")
    return follow_up


@transaction.atomic
def follow_up_change(
    *,
    request: HttpRequest,
    follow_up: FollowUp,
    name: str,
    reason: str = "",
    expected_start: date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> FollowUp:
    """Any status change but sending (see `follow_up_send`), by the JGZ or the provider."""
    change = CHANGES.get(name)
    if change is None or change.needs_consent:
        raise ValidationError(_("Unknown action."))
    _check(request, follow_up, change)
    reason, note = reason.strip(), note.strip()
    now = timezone.now()
    changes: dict = {"status": change.target, "status_changed_at": now}
    if change.needs_reason:
        if not reason:
            raise ValidationError(_("Give the reason for declining."))
        changes["decline_reason"] = reason
    if change.needs_expected_start:
        if expected_start is None:
            raise ValidationError(_("Give the expected start date."))
        if expected_start < timezone.localdate():
            raise ValidationError(_("The expected start cannot be in the past."))
        changes["expected_start"] = expected_start
    from_status = follow_up.status
    _save_guarded(follow_up, expected_version, **changes)
    _record(
        request,
        follow_up,
        from_status=from_status,
        at=now,
        note="\n".join(filter(None, [reason, note])),
        action=Action.UPDATE,
    )
    return follow_up


@transaction.atomic
def gap_record(
    *,
    request: HttpRequest,
    case: Case,
    domain: VulnerabilityDomain,
    need: str,
    reason: str,
    explanation: str = "",
    submission_key: uuid.UUID | None = None,
) -> tuple[Gap, bool]:
    """Record a need for which no fitting offer exists (lacune), in the case's municipality.

    Returns (gap, created); a repeated `submission_key` returns the gap made the first time.
    """
    if not access.can_work_on(request.user, case):
        raise PermissionDenied(_("You may not record gaps for this case."))
    if domain.region_id != case.region_id:
        raise ValidationError(_("Choose a domain of this region."))
    need, explanation = need.strip(), explanation.strip()
    if not need:
        raise ValidationError(_("Describe what was needed."))
    if reason not in GapReason.values:
        raise ValidationError(_("Choose why nothing fitted."))
    if reason == GapReason.OTHER and not explanation:
        raise ValidationError(_("Explain why nothing fitted."))
    if submission_key is not None:
        existing = Gap.objects.filter(submission_key=submission_key, case=case).first()
        if existing is not None:
            return existing, False
    try:
        with transaction.atomic():
            gap = Gap.objects.create(
                case=case,
                domain=domain,
                municipality=case.municipality,
                need=need,
                reason=reason,
                explanation=explanation,
                submission_key=submission_key,
                created_by=request.user,
            )
    except IntegrityError:
        if submission_key is None:
            raise
        return Gap.objects.get(submission_key=submission_key, case=case), False
    audit_log(
        request,
        action=Action.CREATE,
        description=f"gap recorded ({domain.code}, {reason})",
        membership=access.membership_for_case(request.user, case),
        client_id=case.client_id,
        case_id=case.pk,
    )
    return gap, True


__all__ = ["ConcurrentEdit", "follow_up_change", "follow_up_propose", "follow_up_send", "gap_record"]
