import re

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

#: A place where a long address may wrap: no text, so nothing to escape.
WORD_BREAK = mark_safe("<wbr>")  # noqa: S308 - a constant tag, no user input


@register.filter
def breakable(value) -> str:
    """A long web or e-mail address that may wrap after / . @ ? & = _ - on a narrow phone.
    Each part is escaped; only <wbr> tags are added between them."""
    parts = re.split(r"(?<=[/.@?&=_-])", str(value or ""))
    return format_html_join(WORD_BREAK, "{}", ((part,) for part in parts if part))
