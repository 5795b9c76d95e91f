"""The text a message has in a language, to look for it on a page rendered in that language.

Pages follow the visitor's language, so a test that looks for a message compares against its
translation there, not against the English msgid. `escape=True` gives the text as a template
renders it ("'" → "&#x27;", '"' → "&quot;").
"""

from django.utils import translation
from django.utils.html import escape as html_escape
from django.utils.translation import gettext, ngettext, pgettext


def _done(text: str, params: dict, escape: bool) -> str:
    if params:
        text = text % params
    return html_escape(text) if escape else text


def t(msgid: str, language: str, *, escape: bool = False, **params) -> str:
    """`gettext(msgid)` in `language`, with `params` filled in."""
    with translation.override(language):
        return _done(gettext(msgid), params, escape)


def nt(singular: str, plural: str, count: int, language: str, *, escape: bool = False, **params) -> str:
    """`ngettext` in `language` (as `{% blocktranslate count %}` renders it), with `params` filled in."""
    with translation.override(language):
        return _done(ngettext(singular, plural, count), params, escape)


def pt(context: str, msgid: str, language: str, *, escape: bool = False, **params) -> str:
    """`pgettext(context, msgid)` in `language`, with `params` filled in."""
    with translation.override(language):
        return _done(pgettext(context, msgid), params, escape)
