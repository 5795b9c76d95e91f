"""The social map's pages: search and read (every professional role), maintain, import and export.

The social map holds no client data: reading it writes no audit row; changes do (in the services).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kansrijk import access
from kansrijk.audit.models import Action

from . import importing, selectors, services
from .forms import ImportForm, OfferForm, SearchForm, VersionForm
from .models import Offer

PAGE_SIZE = 20


def _region(request):
    region = selectors.region_for(request.user)
    access.require(region is not None, "social map")
    return region


@login_required
@require_GET
def search(request):
    access.require(access.capabilities(request.user).social_map, "social map")
    region = _region(request)
    form = SearchForm(request.GET or None, region=region)
    place = None
    if not form.is_bound:
        offers = selectors.search_offers(region=region)
    elif form.is_valid():
        data = form.cleaned_data
        if data["postcode"]:
            place = selectors.municipality_for_search(data["postcode"])
        offers = selectors.search_offers(
            region=region,
            municipality=data["municipality"],
            postcode=data["postcode"],
            domain=data["domain"],
            phase=data["phase"],
            language=data["language"],
            query=data["q"],
        )
    else:
        offers = Offer.objects.none()
    maintains = access.can_maintain_social_map(request.user)
    return render(
        request,
        "socialmap/search.html",
        {
            "form": form,
            "page": Paginator(offers, PAGE_SIZE).get_page(request.GET.get("page")),
            "place": place,
            "region": region,
            "maintains": maintains,
            "to_check_count": selectors.offers_to_check(request.user).count() if maintains else 0,
        },
    )


@login_required
@require_GET
def offer_detail(request, pk: int):
    offer = access.get_offer(request, pk)
    return render(
        request,
        "socialmap/offer_detail.html",
        {
            "offer": offer,
            "can_maintain": access.can_maintain_offer(request.user, offer),
            "can_deactivate": access.can_deactivate_offer(request.user, offer),
        },
    )


def _add_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for key, errors in error.error_dict.items():
            form.add_error(key if key in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
def offer_new(request):
    access.require(access.can_maintain_social_map(request.user), "social map: new offer")
    region = _region(request)
    form = OfferForm(request.POST or None, user=request.user, region=region)
    if request.method == "POST" and form.is_valid():
        try:
            offer = services.offer_create(
                request=request, region=region, data=form.offer_data(), checked_on=timezone.localdate()
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The offer %(name)s is on the social map.") % {"name": offer.name})
            return redirect(offer)
    return render(request, "socialmap/offer_form.html", {"form": form, "offer": None})


@login_required
def offer_edit(request, pk: int):
    action = Action.UPDATE if request.method == "POST" else Action.READ
    offer = access.get_offer(request, pk, maintain=True, action=action)
    form = OfferForm(request.POST or None, user=request.user, region=offer.region, offer=offer)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_update(
                request=request,
                offer=offer,
                data=form.offer_data(),
                expected_version=form.cleaned_data["version"],
                checked_on=timezone.localdate() if form.cleaned_data["mark_checked"] else None,
            )
        except services.ConcurrentOfferEdit as error:
            form.add_error(None, error)
            status = 409
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("Your changes to %(name)s are saved.") % {"name": offer.name})
            return redirect(offer)
    return render(request, "socialmap/offer_form.html", {"form": form, "offer": offer}, status=status)


def _back(request, offer):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(offer)


@login_required
@require_POST
def offer_mark_checked(request, pk: int):
    offer = access.get_offer(request, pk, maintain=True, action=Action.UPDATE)
    services.offer_mark_checked(request=request, offer=offer)
    messages.success(request, _("%(name)s is marked as checked today.") % {"name": offer.name})
    return _back(request, offer)


@login_required
@require_POST
def offer_set_active(request, pk: int):
    offer = access.get_offer(request, pk, maintain=True, action=Action.UPDATE)
    form = VersionForm(request.POST)
    active = request.POST.get("active") == "1"
    if not form.is_valid():
        messages.error(request, _("Something went wrong; nothing was changed. Try again."))
        return redirect(offer)
    try:
        services.offer_set_active(
            request=request, offer=offer, active=active, expected_version=form.cleaned_data["version"]
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        if active:
            messages.success(request, _("%(name)s is back on the social map.") % {"name": offer.name})
        else:
            messages.success(
                request,
                _("%(name)s is switched off: it no longer appears when people search.") % {"name": offer.name},
            )
    return redirect(offer)


SHOW = {"active", "inactive", "to_check"}


def _maintenance_list(request, show: str):
    access.require(access.can_maintain_social_map(request.user), "social map maintenance")
    return render(
        request,
        "socialmap/manage.html",
        {
            "offers": list(selectors.maintained_offers(request.user, show=show)),
            "show": show,
            "to_check_count": selectors.offers_to_check(request.user).count(),
            "check_days": settings.KANSRIJK_OFFER_CHECK_DAYS,
        },
    )


@login_required
@require_GET
def manage(request):
    show = request.GET.get("show", "active")
    return _maintenance_list(request, show if show in SHOW else "active")


@login_required
@require_GET
def to_check(request):
    return _maintenance_list(request, "to_check")


@login_required
def import_offers(request):
    access.require(access.can_maintain_social_map(request.user), "social map import")
    region = _region(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            parsed = importing.read_offers(form.cleaned_data["file"], region)
        except importing.ImportFileError as error:
            form.add_error("file", str(error))
        else:
            report = services.offer_import(
                request=request, region=region, rows=parsed.rows, dry_run=form.cleaned_data["dry_run"]
            )
            report.ignored_columns = parsed.ignored_columns
            return render(request, "socialmap/import_report.html", {"report": report})
    return render(
        request,
        "socialmap/import.html",
        {
            "form": form,
            "columns": importing.COLUMNS,
            "domains": selectors.domains_of(region),
            "municipalities": selectors.municipalities_of(region),
        },
    )


EXPORT_TYPES = {
    "csv": ("text/csv; charset=utf-8", importing.export_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", importing.export_xlsx),
}


@login_required
@require_GET
def export_offers(request, fmt: str):
    access.require(access.can_maintain_social_map(request.user), "social map export")
    content_type, write = EXPORT_TYPES[fmt]
    response = HttpResponse(write(selectors.offers_for_export(request.user)), content_type=content_type)
    filename = f"sociale-kaart-{timezone.localdate().isoformat()}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
