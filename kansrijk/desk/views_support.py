"""Find support: the public view of the social map (no login, six languages).

Only active offers, only their public fields; reading the social map writes no audit row (it holds
no client data). The region searched is the region of the visitor's municipality.
"""

from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import selectors_support as selectors
from .forms_support import SupportSearchForm
from .public import public_page
from .selectors_pages import page_text

PAGE_SIZE = 20


def _search_query(params: QueryDict) -> str:
    """The search's own parameters, encoded again: what a link to an offer and back carries."""
    kept = QueryDict(mutable=True)
    for name in SupportSearchForm.PARAMS:
        value = params.get(name, "").strip()
        if value:
            kept[name] = value[:100]
    return kept.urlencode()


@public_page
@require_GET
def search(request):
    bound = any(name in request.GET for name in SupportSearchForm.PARAMS if name != "page")
    form = SupportSearchForm(request.GET if bound else None)
    page = None
    place = None
    intro, intro_is_fallback = page_text("support")
    if bound and form.is_valid():
        place = form.place
        data = form.cleaned_data
        offers = selectors.public_search(
            municipality=place, subject=data["subject"], language=data["language"], phase=data["phase"]
        )
        page = Paginator(offers, PAGE_SIZE).get_page(request.GET.get("page"))
        for offer in page:
            selectors.describe(offer)
    return render(
        request,
        "desk/support/search.html",
        {
            "form": form,
            "intro": intro,
            "intro_is_fallback": intro_is_fallback,
            "place": place,
            "page": page,
            "searched": page is not None,
            "municipalities": selectors.all_municipalities() if page is None else None,
            "search_query": _search_query(request.GET),
        },
    )


@public_page
@require_GET
def offer(request, pk: int):
    item = selectors.public_offer(pk)
    if item is None:
        raise Http404
    return render(
        request,
        "desk/support/offer.html",
        {"offer": selectors.describe(item), "search_query": _search_query(request.GET)},
    )
