"""Writing the audit log. Called by the access layer and services, never by templates."""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest

from .models import Action, AuditEntry, Outcome

if TYPE_CHECKING:
    from kansrijk.organisations.models import Membership


def client_ip(request: HttpRequest | None) -> str | None:
    """The address the request came from; behind our own reverse proxy, the one it saw."""
    if request is None:
        return None
    if settings.KANSRIJK_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            # The proxy appends the address it saw; earlier entries are the client's own claims.
            return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def _entry(
    request: HttpRequest | None,
    *,
    user,
    action: str,
    description: str,
    membership: "Membership | None",
    client_id: int | None,
    case_id: int | None,
    outcome: str,
) -> AuditEntry:
    organisation = membership.organisation if membership else None
    return AuditEntry(
        user=user if user is not None and user.is_authenticated else None,
        user_label=getattr(user, "email", "") or "anonymous",
        role=membership.role if membership else "",
        organisation=organisation,
        organisation_label=organisation.name if organisation else "",
        client_id=client_id,
        case_id=case_id,
        action=action,
        outcome=outcome,
        description=description[:300],
        ip_address=client_ip(request),
        path=(request.get_full_path() if request is not None else "")[:300],
    )


def audit_log(
    request: HttpRequest | None,
    *,
    action: str,
    description: str,
    user=None,
    membership: "Membership | None" = None,
    client_id: int | None = None,
    case_id: int | None = None,
    outcome: str = Outcome.SUCCESS,
) -> AuditEntry:
    """Write one audit row. Runs inside the caller's transaction."""
    user = user if user is not None else getattr(request, "user", None)
    entry = _entry(
        request,
        user=user,
        action=action,
        description=description,
        membership=membership,
        client_id=client_id,
        case_id=case_id,
        outcome=outcome,
    )
    entry.save()
    return entry


def audit_log_many(
    request: HttpRequest,
    *,
    action: str,
    description: str,
    rows: Iterable[tuple[int | None, int | None, "Membership | None"]],
) -> None:
    """One row per client shown, e.g. in a list; written with a single query."""
    AuditEntry.objects.bulk_create(
        _entry(
            request,
            user=request.user,
            action=action,
            description=description,
            membership=membership,
            client_id=client_id,
            case_id=case_id,
            outcome=Outcome.SUCCESS,
        )
        for client_id, case_id, membership in rows
    )


__all__ = ["Action", "Outcome", "audit_log", "audit_log_many"]


def audit_log_each(
    request: HttpRequest,
    *,
    action: str,
    entries: Iterable[tuple[str, "Membership | None"]],
) -> None:
    """One row per (description, membership), e.g. a list of records without a client (desk
    questions) that each need their own description; written with a single query."""
    AuditEntry.objects.bulk_create(
        _entry(
            request,
            user=request.user,
            action=action,
            description=description,
            membership=membership,
            client_id=None,
            case_id=None,
            outcome=Outcome.SUCCESS,
        )
        for description, membership in entries
    )
