"""Changing cases. Every status change goes through `case_transition`."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from kansrijk import access
from kansrijk.audit.models import Action
from kansrijk.audit.services import audit_log
from kansrijk.organisations.models import Membership, Organisation, OrganisationKind, Role

from .models import Case, CaseEvent, CloseReason, EventKind
from .signals import case_updated
from .workflow import TRANSITIONS


class ConcurrentEdit(ValidationError):
    """Someone else changed the case after this person opened it."""


def _save_guarded(case: Case, expected_version: int | None, **changes) -> None:
    """Write `changes` only if nobody changed the case since `expected_version`."""
    version = case.version if expected_version is None else expected_version
    updated = Case.objects.filter(pk=case.pk, version=version).update(version=F("version") + 1, **changes)
    if updated != 1:
        raise ConcurrentEdit(
            _(
                "Someone else changed this case while you were working on it. "
                "Nothing was saved; check the case and try again."
            )
        )
    old = {name: getattr(case, name) for name in changes}
    for name, value in changes.items():
        setattr(case, name, value)
    case.version = version + 1
    if isinstance(case, Case):
        case_updated.send(sender=Case, case=case, old=old)


def nurses_of(organisation: Organisation):
    from kansrijk.accounts.models import User

    return User.objects.filter(
        memberships__organisation=organisation,
        memberships__role=Role.NURSE,
        memberships__is_active=True,
        is_active=True,
    ).distinct()


@transaction.atomic
def case_transition(
    *,
    request: HttpRequest,
    case: Case,
    name: str,
    nurse=None,
    reason: str = "",
    note: str = "",
    expected_version: int | None = None,
) -> Case:
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise ValidationError(_("Unknown action."))
    user = request.user
    if not access.can_transition(user, case, transition):
        raise PermissionDenied(_("You may not do this with this case now."))

    changes: dict = {"status": transition.target}
    if transition.needs_nurse:
        if nurse is None or not nurses_of(case.organisation).filter(pk=nurse.pk).exists():
            raise ValidationError(_("Choose a nurse of this JGZ organisation."))
        changes["nurse"] = nurse
    if transition.fixed_reason:
        reason = transition.fixed_reason
    if transition.needs_reason and reason not in CloseReason.values:
        raise ValidationError(_("Choose a reason for closing."))
    if transition.target == "closed" and reason == CloseReason.UNREACHABLE:
        from django.conf import settings

        from kansrijk.care.rules import unreachable_rule_met

        if not unreachable_rule_met(case):
            raise ValidationError(
                _(
                    "A case can be closed as unreachable only after at least %(attempts)s failed contact attempts "
                    "spread over at least %(days)s days, with no contact since the last of them."
                )
                % {"attempts": settings.KANSRIJK_UNREACHABLE_ATTEMPTS, "days": settings.KANSRIJK_UNREACHABLE_DAYS}
            )
    if transition.needs_note and not note.strip():
        raise ValidationError(_("Explain the reason in a few words."))
    now = timezone.now()
    if transition.target == "closed":
        changes["close_reason"] = reason
        changes["closed_at"] = now
    if transition.stamps and getattr(case, transition.stamps) is None:
        changes[transition.stamps] = now

    from_status = case.status
    _save_guarded(case, expected_version, **changes)
    details = note.strip()
    if nurse is not None:
        details = (_("Assigned to %(nurse)s.") % {"nurse": nurse.display_name} + " " + details).strip()
    CaseEvent.objects.create(
        case=case,
        at=now,
        actor=user,
        kind=EventKind.TRANSITION,
        transition=transition.name,
        from_status=from_status,
        to_status=transition.target,
        note=details,
    )
    audit_log(
        request,
        action=Action.UPDATE,
        description=f"case status {from_status} → {transition.target} ({transition.name})",
        membership=access.membership_for_case(user, case),
        client_id=case.client_id,
        case_id=case.pk,
    )
    return case


@transaction.atomic
def case_route(
    *, request: HttpRequest, case: Case, organisation: Organisation, expected_version: int | None = None
) -> Case:
    """An administrator hands a case that no organisation served to a JGZ organisation."""
    if not access.can_route(request.user, case):
        raise PermissionDenied(_("You may not do this with this case now."))
    if organisation.kind != OrganisationKind.JGZ or organisation.region_id != case.region_id:
        raise ValidationError(_("Choose a JGZ organisation in this region."))
    membership: Membership | None = access.membership_for_case(request.user, case)
    _save_guarded(case, expected_version, organisation=organisation)
    CaseEvent.objects.create(
        case=case,
        actor=request.user,
        kind=EventKind.ROUTED,
        note=_("Routed to %(org)s.") % {"org": organisation.name},
    )
    audit_log(
        request,
        action=Action.UPDATE,
        description=f"case routed to organisation {organisation.pk}",
        membership=membership,
        client_id=case.client_id,
        case_id=case.pk,
    )
    return case


@transaction.atomic
def case_reassign(*, request: HttpRequest, case: Case, nurse, expected_version: int | None = None) -> Case:
    """The planner hands an open case to another nurse of the organisation (e.g. illness, caseload)."""
    membership = access.membership_for_case(request.user, case)
    if not access.can_reassign(request.user, case):
        raise PermissionDenied(_("You may not do this with this case now."))
    if not nurses_of(case.organisation).filter(pk=nurse.pk).exists():
        raise ValidationError(_("Choose a nurse of this JGZ organisation."))
    if nurse.pk == case.nurse_id:
        raise ValidationError(_("This nurse already has this case."))
    previous = case.nurse
    _save_guarded(case, expected_version, nurse=nurse)
    CaseEvent.objects.create(
        case=case,
        actor=request.user,
        kind=EventKind.REASSIGNED,
        note=_("From %(old)s to %(new)s.")
        % {"old": previous.display_name if previous else "—", "new": nurse.display_name},
    )
    audit_log(
        request,
        action=Action.UPDATE,
        description=f"case reassigned to user {nurse.pk}",
        membership=membership,
        client_id=case.client_id,
        case_id=case.pk,
    )
    return case
