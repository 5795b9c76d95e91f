"""The desk's information pages (public) and the editor for them (functional administrators).

Public: the home page with tiles to everything the desk offers, information pages by slug,
the questions and answers, the page for professionals, and the client leaflet in every language
(printable page and PDF). Texts come from `selectors_pages` in the visitor's language, else Dutch.

Staff: the editor lists every page and FAQ item per language; a text is edited with a preview
(rendered as the desk shows it, not saved) and saved with a version check.
"""

import xml.etree.ElementTree as ET
from hashlib import sha256

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language_info

from kansrijk import access

from . import forms_pages as messages_text
from . import services_pages as services
from .content import PAGE_SLUGS
from .forms_pages import FaqTextForm, NewFaqItemForm, PageTextForm, text_direction
from .models import Audience, FaqItem, FaqText, Page, PageText
from .public import public_page
from .selectors_pages import (
    current_language,
    editor_faq_items,
    editor_pages,
    faq_items,
    page_text,
    text_in,
)

#: Pages whose text is the introduction of another desk page: their address leads there.
PAGE_ELSEWHERE = {
    "home": "desk:home",
    "register": "desk:register",
    "ask": "desk:ask",
    "support": "desk:support",
    "professionals": "desk:professionals",
}
LEAFLET_PDF_CACHE_SECONDS = 24 * 60 * 60


def _language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _language_options() -> list[dict]:
    """Every language with its own name and direction (for links labelled in that language)."""
    options = []
    for code in _language_codes():
        info = get_language_info(code)
        options.append(
            {
                "code": code,
                "name_local": info["name_local"],
                "dir": "rtl" if info["bidi"] else "ltr",
                "name": info["name"],
            }
        )
    return options


# --- Public pages -------------------------------------------------------------------------------


@public_page
def home(request):
    """The desk's front door: the home text, then a tile for each thing a visitor can do."""
    text, is_fallback = page_text("home")
    return render(request, "desk/pages/home.html", {"text": text, "is_fallback": is_fallback})


@public_page
def page(request, slug: str):
    """A published information page in the visitor's language, or in Dutch with a notice."""
    if slug in PAGE_ELSEWHERE:
        return redirect(PAGE_ELSEWHERE[slug])
    if slug == "leaflet":
        return redirect("desk:leaflet", language=current_language())
    text, is_fallback = page_text(slug)
    if text is None:
        raise Http404("no such desk page")
    return render(request, "desk/pages/page.html", {"text": text, "is_fallback": is_fallback})


@public_page
def faq(request):
    """Questions and answers: residents' first, then professionals'. One query for all."""
    entries = faq_items(None)
    return render(
        request,
        "desk/pages/faq.html",
        {
            "residents": [e for e in entries if e.item.audience == Audience.RESIDENTS],
            "professionals": [e for e in entries if e.item.audience == Audience.PROFESSIONALS],
            "total": len(entries),
            "fallback_count": sum(e.is_fallback for e in entries),
        },
    )


@public_page
def professionals(request):
    """For professionals: how to refer, their questions, the leaflet in every language, log in."""
    text, is_fallback = page_text("professionals")
    return render(
        request,
        "desk/pages/professionals.html",
        {
            "text": text,
            "is_fallback": is_fallback,
            "faq": faq_items(Audience.PROFESSIONALS),
            "leaflet_languages": _language_options(),
            "login_url": f"{reverse('login')}?next={reverse('referrals:new')}",
        },
    )


def _leaflet(request, language: str) -> dict:
    """What the leaflet shows, in `language` (404 for a language the desk does not have)."""
    if language not in _language_codes():
        raise Http404("no such language")
    text, is_fallback = page_text("leaflet", language)
    if text is None:
        raise Http404("no leaflet text")
    desk_url = request.build_absolute_uri(reverse("desk:home"))
    shown = settings.LANGUAGE_CODE if is_fallback else language
    return {
        "text": text,
        "is_fallback": is_fallback,
        "leaflet_language": shown,
        "leaflet_dir": text_direction(shown),
        "leaflet_language_name": get_language_info(language)["name_local"],
        "desk_url": desk_url,
        "desk_address": desk_url.split("://", 1)[-1].rstrip("/"),
        "qr_svg": _qr_svg(desk_url),
    }


def _qr_svg(url: str) -> str:
    """An inline SVG QR code for `url` (sized by CSS; described for screen readers by the page)."""
    import qrcode
    from qrcode.image.svg import SvgPathImage

    image = qrcode.make(url, image_factory=SvgPathImage, border=2)
    element = image.get_image()
    for name in ("width", "height"):
        element.attrib.pop(name, None)
    element.set("class", "leaflet__qr")
    element.set("aria-hidden", "true")
    element.set("focusable", "false")
    for child in element:
        child.attrib.pop("id", None)
    ET.register_namespace("", "http://www.w3.org/2000/svg")
    return ET.tostring(element, encoding="unicode")


@public_page
def leaflet(request, language: str):
    """The client leaflet in `language`, on an A4 sheet to print (the desk around it in the visitor's language)."""
    context = _leaflet(request, language)
    context["leaflet_languages"] = _language_options()
    context["pdf_url"] = reverse("desk:leaflet_pdf", kwargs={"language": language})
    return render(request, "desk/pages/leaflet.html", context)


@public_page
def leaflet_pdf(request, language: str):
    """The client leaflet in `language` as a one-page A4 PDF (WeasyPrint; nothing is fetched)."""
    context = _leaflet(request, language)
    text = context["text"]
    key = sha256(f"{language}:{text.pk}:{text.version}:{text.updated_at.isoformat()}:{context['desk_url']}".encode())
    cache_key = f"desk-leaflet-pdf:{key.hexdigest()}"
    pdf = cache.get(cache_key)
    if pdf is None:
        pdf = _render_leaflet_pdf(context)
        cache.set(cache_key, pdf, LEAFLET_PDF_CACHE_SECONDS)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="folder-huisbezoek-{language}.pdf"'
    return response


def _refuse_fetch(url: str, *args, **kwargs):
    """The leaflet is made from our own HTML and CSS only; nothing is fetched from anywhere."""
    raise ValueError(f"not fetched: {url[:60]}")


def leaflet_document(context: dict):
    """The leaflet laid out by WeasyPrint (a `Document`: its `pages` should be one A4 sheet)."""
    from weasyprint import CSS, HTML

    with translation.override(context["leaflet_language"]):
        html = render_to_string("desk/pages/leaflet_pdf.html", context)
    css = render_to_string("desk/leaflet_pdf.css")
    return HTML(string=html, url_fetcher=_refuse_fetch).render(stylesheets=[CSS(string=css)])


def _render_leaflet_pdf(context: dict) -> bytes:
    return leaflet_document(context).write_pdf()


# --- The editor (functional administrators) -------------------------------------------------------


def _require_editor(request) -> None:
    access.require(access.can_edit_desk(request.user), "desk editor")


def _language_or_404(language: str) -> str:
    if language not in _language_codes():
        raise Http404("no such language")
    return language


def desk_url_of(page: Page, language: str) -> str:
    """Where a page can be seen on the desk."""
    if page.slug in PAGE_ELSEWHERE:
        return reverse(PAGE_ELSEWHERE[page.slug])
    if page.slug == "leaflet":
        return reverse("desk:leaflet", kwargs={"language": language})
    return reverse("desk:page", kwargs={"slug": page.slug})


@login_required
def editor(request):
    """Every page and FAQ item per language: present or missing, last changed when and by whom."""
    _require_editor(request)
    if request.method == "POST":
        return _publish(request)
    languages = _language_options()
    codes = [option["code"] for option in languages]
    return render(
        request,
        "desk/editor/overview.html",
        {
            "languages": languages,
            "pages": editor_pages(codes),
            "faq_items": editor_faq_items(codes),
            "fixed_slugs": PAGE_SLUGS,
        },
    )


def _publish(request):
    kind = request.POST.get("kind")
    published = request.POST.get("published") == "1"
    if kind == "page":
        target = get_object_or_404(Page, slug=request.POST.get("target", ""))
    elif kind == "faq":
        target = get_object_or_404(FaqItem, key=request.POST.get("target", ""))
    else:
        raise Http404("nothing to publish")
    services.set_published(request, target=target, published=published)
    if published:
        messages.success(request, messages_text.SHOWN % {"name": target})
    else:
        messages.success(request, messages_text.HIDDEN % {"name": target})
    return redirect(f"{reverse('desk:editor')}#{kind}-{target}")


def _edit_text(request, *, language, text, form_class, template, save, context):
    """The shared editor flow: GET shows the text; POST previews (nothing saved) or saves (version-checked)."""
    status = 200
    preview = None
    conflict = None
    if request.method == "POST":
        form = form_class(request.POST, language=language)
        if form.is_valid():
            data = form.cleaned_data
            if request.POST.get("action") == "save":
                try:
                    save(data)
                except services.ConcurrentTextEdit as error:
                    conflict = error.current
                    status = 409
                    # The typed text stays; the form now names the version saved by the other person,
                    # so saving again (after reading the message) deliberately replaces it.
                    posted = request.POST.copy()
                    posted["version"] = str(conflict.version if conflict else 0)
                    form = form_class(posted, language=language)
                    form.is_valid()
                    form.add_error(None, messages_text.CONFLICT)
                else:
                    messages.success(request, messages_text.SAVED)
                    return redirect(request.path)
            else:
                preview = data
    else:
        form = form_class(initial=form_class.initial_for(text), language=language)
    context.update(
        {
            "form": form,
            "text": text,
            "language": language,
            "language_info": get_language_info(language),
            "language_dir": text_direction(language),
            "languages": _language_options(),
            "preview": preview,
            "conflict": conflict,
        }
    )
    return render(request, template, context, status=status)


@login_required
def edit_page(request, slug: str, language: str):
    """A page's title, summary and text in one language, with a preview."""
    _require_editor(request)
    language = _language_or_404(language)
    the_page = get_object_or_404(Page, slug=slug)
    text = text_in(PageText, parent_field="page", parent=the_page, language=language)

    def save(data):
        services.page_text_save(
            request,
            page=the_page,
            language=language,
            title=data["title"],
            summary=data["summary"],
            body=data["body"],
            expected_version=data["version"],
        )

    return _edit_text(
        request,
        language=language,
        text=text,
        form_class=PageTextForm,
        template="desk/editor/edit_page.html",
        save=save,
        context={"page": the_page, "desk_url": desk_url_of(the_page, language)},
    )


@login_required
def edit_faq(request, key: str, language: str):
    """A frequently asked question and its answer in one language, with a preview."""
    _require_editor(request)
    language = _language_or_404(language)
    item = get_object_or_404(FaqItem, key=key)
    text = text_in(FaqText, parent_field="item", parent=item, language=language)

    def save(data):
        services.faq_text_save(
            request,
            item=item,
            language=language,
            question=data["question"],
            answer=data["answer"],
            expected_version=data["version"],
        )

    return _edit_text(
        request,
        language=language,
        text=text,
        form_class=FaqTextForm,
        template="desk/editor/edit_faq.html",
        save=save,
        context={"item": item, "desk_url": f"{reverse('desk:faq')}#faq-{item.key}"},
    )


@login_required
def new_faq(request):
    """A new question: key, for whom, order and published; then its Dutch text."""
    _require_editor(request)
    form = NewFaqItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        item = services.faq_item_create(
            request,
            key=form.cleaned_data["key"],
            audience=form.cleaned_data["audience"],
            order=form.cleaned_data["order"],
            is_published=form.cleaned_data["is_published"],
        )
        messages.success(request, messages_text.QUESTION_ADDED)
        return redirect("desk:edit_faq", key=item.key, language=settings.LANGUAGE_CODE)
    return render(request, "desk/editor/new_faq.html", {"form": form})
