"""Reading the desk's pages and frequently asked questions in the visitor's language.

Every public text falls back to Dutch: when a page or answer has no text in the visitor's
language, the Dutch text is shown and `is_fallback` is True. Put `lang="nl"` on the element
that holds it then (WCAG 3.1.2); `desk/pages/_text.html` does that and shows a short notice.

Other desk pages (self-registration, questions, find support) show their page's text as an
introduction:

    from kansrijk.desk.selectors_pages import page_text

    text, is_fallback = page_text("register")      # the current language, else Dutch
    ...
    {% include "desk/pages/_text.html" with text=text is_fallback=is_fallback %}

(`text` may be None when the content was never loaded or the page is unpublished; the
include then shows nothing.) `{% load desk_content %}{{ text.body|desk_markdown }}` renders a
body on its own.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils.translation import get_language

from .models import Audience, FaqItem, FaqText, Page, PageText

FALLBACK_LANGUAGE = settings.LANGUAGE_CODE  # "nl": every text exists in Dutch first


def current_language(language: str | None = None) -> str:
    """The given language, else the active one, as a code of settings.LANGUAGES."""
    known = {code for code, _name in settings.LANGUAGES}
    code = (language or get_language() or FALLBACK_LANGUAGE).split("-")[0]
    return code if code in known else FALLBACK_LANGUAGE


def page_text(slug: str, language: str | None = None) -> tuple[PageText | None, bool]:
    """The text of the published page `slug` in `language` (default: the active language).

    Returns `(text, is_fallback)`: the text in that language and False; else the Dutch text and
    True; else `(None, False)` (no such page, the page is unpublished, or it has no text at all).
    `text.page` is loaded with it. One query.
    """
    language = current_language(language)
    texts = {
        t.language: t
        for t in PageText.objects.filter(
            page__slug=slug, page__is_published=True, language__in={language, FALLBACK_LANGUAGE}
        ).select_related("page")
    }
    if language in texts:
        return texts[language], False
    if FALLBACK_LANGUAGE in texts:
        return texts[FALLBACK_LANGUAGE], True
    return None, False


@dataclass(frozen=True)
class FaqEntry:
    """A question with its answer as shown: `text` in the visitor's language or, if `is_fallback`, Dutch."""

    item: FaqItem
    text: FaqText
    is_fallback: bool

    @property
    def key(self) -> str:
        return self.item.key


def faq_items(audience: str | None, language: str | None = None) -> list[FaqEntry]:
    """The published questions for `audience` (None: both), in order, each in `language` or else Dutch.

    Items without a text in either language are left out. One query.
    """
    language = current_language(language)
    texts = FaqText.objects.filter(item__is_published=True, language__in={language, FALLBACK_LANGUAGE})
    if audience is not None:
        texts = texts.filter(item__audience=audience)
    chosen: dict[int, FaqText] = {}
    for text in texts.select_related("item"):
        if text.item_id not in chosen or text.language == language:
            chosen[text.item_id] = text
    entries = [FaqEntry(item=t.item, text=t, is_fallback=t.language != language) for t in chosen.values()]
    entries.sort(key=lambda e: (e.item.audience != Audience.RESIDENTS, e.item.order, e.item.key))
    return entries


# --- The editor: every page and FAQ item with its texts in every language -----------------


@dataclass(frozen=True)
class TextCell:
    """One language's text of a page or FAQ item in the editor's overview (text is None: missing)."""

    language: str
    text: PageText | FaqText | None


def _cells(texts, languages: list[str]) -> list[TextCell]:
    by_language = {t.language: t for t in texts}
    return [TextCell(language=code, text=by_language.get(code)) for code in languages]


def editor_pages(languages: list[str]) -> list[tuple[Page, list[TextCell]]]:
    """Every page (published or not) with a cell per language. Two queries."""
    texts = PageText.objects.select_related("updated_by").order_by("language")
    pages = Page.objects.prefetch_related(Prefetch("texts", queryset=texts))
    return [(page, _cells(page.texts.all(), languages)) for page in pages]


def editor_faq_items(languages: list[str]) -> list[tuple[FaqItem, list[TextCell]]]:
    """Every FAQ item (published or not), residents' first, with a cell per language. Two queries."""
    texts = FaqText.objects.select_related("updated_by").order_by("language")
    items = FaqItem.objects.prefetch_related(Prefetch("texts", queryset=texts))
    ordered = sorted(items, key=lambda i: (i.audience != Audience.RESIDENTS, i.order, i.key))
    return [(item, _cells(item.texts.all(), languages)) for item in ordered]


def editable_page(slug: str) -> Page | None:
    return Page.objects.filter(slug=slug).first()


def editable_faq_item(key: str) -> FaqItem | None:
    return FaqItem.objects.filter(key=key).first()


def text_in(model, *, parent_field: str, parent, language: str):
    """The text of a page or FAQ item in one language, or None."""
    return model.objects.filter(Q(**{parent_field: parent}), language=language).select_related("updated_by").first()
