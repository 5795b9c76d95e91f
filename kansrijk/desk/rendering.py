"""The desk's texts are Markdown; this turns them into safe HTML.

Administrators write page bodies and FAQ answers in a small part of Markdown: paragraphs,
`##`/`###`/`####` headings, lists, bold, italics, links, quotes and line breaks. `markdown`
makes HTML of it, then `nh3` keeps only the elements of `ALLOWED_TAGS` and, on links, only an
`href` that is relative or uses http(s), mailto or tel. Anything else (scripts, event handlers,
`javascript:` links, images, styles, raw HTML) is removed. Links to other sites get
`rel="noopener"`.

The page title is the page's h1, so a `#` heading in the text becomes an h2, and h5/h6 an h4:
the headings stay in order.
"""

import re
from functools import lru_cache

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = {"p", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "a", "br", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
#: Elements removed together with what is inside them (not just the tags).
REMOVED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript", "textarea", "select"}

# nh3 writes attributes as name="value" with `"` escaped, so this finds every link it kept.
_EXTERNAL_LINK = re.compile(r'<a href="((?:https?:)?//[^"]*)">', re.IGNORECASE)
_EMPTY_PARAGRAPH = re.compile(r"<p>\s*</p>\n?")
_HEADING_LEVELS = {"h1": "h2", "h5": "h4", "h6": "h4"}


class _HeadingLevels(Treeprocessor):
    """Keep headings under the page's own h1: `#` → h2, `#####`/`######` → h4."""

    def run(self, root):
        for element in root.iter():
            if element.tag in _HEADING_LEVELS:
                element.tag = _HEADING_LEVELS[element.tag]


class _DeskMarkdown(Extension):
    def extendMarkdown(self, md):  # noqa: N802 (the markdown package's name)
        md.treeprocessors.register(_HeadingLevels(md), "desk_heading_levels", 5)


@lru_cache(maxsize=1)
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=ALLOWED_TAGS,
        clean_content_tags=REMOVED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


def sanitize_html(html: str) -> str:
    """Only the allowed elements and link targets; `rel="noopener"` on links to other sites."""
    cleaned = _EMPTY_PARAGRAPH.sub("", _cleaner().clean(html))
    return _EXTERNAL_LINK.sub(r'<a href="\1" rel="noopener">', cleaned)


def render_markdown(text: str) -> SafeString:
    """The HTML of a desk text (page body or FAQ answer), safe to put in a template."""
    if not text or not text.strip():
        return mark_safe("")
    html = markdown.markdown(text, extensions=[_DeskMarkdown()], output_format="html")
    return mark_safe(sanitize_html(html))  # noqa: S308 (sanitised by nh3 just above)
