"""The privacy officer's pages: search the access log by client and by user, and the client's access report."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from kansrijk import access
from kansrijk.clients.models import Client
from kansrijk.organisations.models import Role

from . import selectors
from .forms import ClientSearchForm, UserSearchForm
from .models import Action
from .services import audit_log, audit_log_many


def _privacy_membership(request):
    members = access.memberships_with(request.user, Role.PRIVACY_OFFICER)
    access.require(bool(members), "audit log")
    return members[0]


def _regions(request) -> set[int]:
    return {m.organisation.region_id for m in access.memberships_with(request.user, Role.PRIVACY_OFFICER)}


@login_required
def audit_search(request):
    membership = _privacy_membership(request)
    # Client searches are POSTed, so a BSN never lands in an address bar, history or server log.
    client_form = ClientSearchForm(request.POST if request.method == "POST" else None)
    user_form = UserSearchForm(request.GET if "user" in request.GET else None)
    clients = entries = None
    if client_form.is_bound and client_form.is_valid():
        clients = list(
            selectors.find_clients(
                client_form.cleaned_data["query"], _regions(request), client_form.cleaned_data["date_of_birth"]
            )
        )
        # Searching for a client is itself an access to client data: one row per client found.
        audit_log_many(
            request,
            action=Action.SEARCH,
            description="audit log: client search",
            rows=[(c.pk, None, membership) for c in clients] or [(None, None, membership)],
        )
    if user_form.is_bound and user_form.is_valid():
        entries = selectors.entries_for_user(user_form.cleaned_data["user"], _regions(request))[:500]
        audit_log(request, action=Action.SEARCH, description="audit log: search by user", membership=membership)
    return render(
        request,
        "audit/search.html",
        {"client_form": client_form, "user_form": user_form, "clients": clients, "entries": entries},
    )


@login_required
def client_report(request, client_id: int):
    membership = _privacy_membership(request)
    client = Client.objects.filter(pk=client_id, cases__region_id__in=_regions(request)).distinct().first()
    if client is None:
        raise access.AccessDenied("audit log: client report", client_id=client_id)
    audit_log(
        request,
        action=Action.PRINT if request.GET.get("print") else Action.READ,
        description="audit log: access report for client",
        membership=membership,
        client_id=client.pk,
    )
    return render(
        request,
        "audit/client_report.html",
        {
            "client": client,
            "entries": selectors.entries_for_client(client.pk),
            "printable": bool(request.GET.get("print")),
        },
    )
