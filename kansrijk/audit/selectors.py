from django.db.models import Q, QuerySet

from kansrijk.accounts.models import User
from kansrijk.clients.models import Client

from .models import AuditEntry


def entries_for_client(client_id: int) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(client_id=client_id).select_related("organisation").order_by("-at", "-pk")


def entries_for_user(query: str, region_ids) -> QuerySet[AuditEntry]:
    """Accesses by people who work in the privacy officer's region(s)."""
    people = User.objects.filter(
        Q(email__icontains=query) | Q(full_name__icontains=query),
        memberships__organisation__region_id__in=region_ids,
    )
    return AuditEntry.objects.filter(user__in=people.values("pk")).select_related("organisation").order_by("-at", "-pk")


def find_clients(query: str, region_ids, date_of_birth=None) -> QuerySet[Client]:
    """Clients with a case in the privacy officer's region(s), by BSN or (part of) the last name."""
    query = query.strip()
    clients = Client.objects.filter(cases__region_id__in=region_ids).distinct()
    digits = query.replace(" ", "")
    if digits.isdigit() and len(digits) == 9:
        clients = clients.filter(bsn=digits)
    else:
        clients = clients.filter(last_name__icontains=query)
    if date_of_birth:
        clients = clients.filter(date_of_birth=date_of_birth)
    return clients.order_by("last_name", "first_name")[:50]
