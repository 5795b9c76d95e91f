"""Changing the desk's pages and FAQ: the editor's writes (functional administrators only).

Texts carry a `version`: a save names the version the person opened, and is refused with
`ConcurrentTextEdit` when someone saved the text since (nothing is overwritten). A text that did
not exist yet is opened as version 0; if someone else created it meanwhile, that save is refused
too. Every change is written to the audit log.
"""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from kansrijk import access
from kansrijk.audit.models import Action
from kansrijk.audit.services import audit_log

from .models import FaqItem, FaqText, Page, PageText


class ConcurrentTextEdit(Exception):
    """Someone else saved this text after the person opened it. Carries the text as it is now."""

    def __init__(self, current):
        super().__init__("concurrent edit")
        self.current = current


def _require_editor(request) -> None:
    access.require(access.can_edit_desk(request.user), "desk editor")


def _save_text(request, model, *, parent_field: str, parent, language: str, values: dict, expected_version: int):
    """Create (expected_version 0) or update the text; ConcurrentTextEdit when it changed meanwhile."""
    _require_editor(request)
    lookup = {parent_field: parent, "language": language}
    if expected_version == 0:
        try:
            with transaction.atomic():
                text = model.objects.create(**lookup, **values, updated_by=request.user)
        except IntegrityError:
            raise ConcurrentTextEdit(model.objects.select_related("updated_by").get(**lookup)) from None
        return text, Action.CREATE
    updated = model.objects.filter(**lookup, version=expected_version).update(
        **values, updated_by=request.user, updated_at=timezone.now(), version=F("version") + 1
    )
    current = model.objects.select_related("updated_by").filter(**lookup).first()
    if updated != 1:
        raise ConcurrentTextEdit(current)
    return current, Action.UPDATE


def page_text_save(request, *, page: Page, language: str, title: str, summary: str, body: str, expected_version: int):
    """Save a page's text in one language. Returns the saved PageText."""
    text, action = _save_text(
        request,
        PageText,
        parent_field="page",
        parent=page,
        language=language,
        values={"title": title, "summary": summary, "body": body},
        expected_version=expected_version,
    )
    audit_log(request, action=action, description=f"desk page {page.slug!r} ({language})")
    return text


def faq_text_save(request, *, item: FaqItem, language: str, question: str, answer: str, expected_version: int):
    """Save a FAQ item's question and answer in one language. Returns the saved FaqText."""
    text, action = _save_text(
        request,
        FaqText,
        parent_field="item",
        parent=item,
        language=language,
        values={"question": question, "answer": answer},
        expected_version=expected_version,
    )
    audit_log(request, action=action, description=f"desk FAQ {item.key!r} ({language})")
    return text


def faq_item_create(request, *, key: str, audience: str, order: int, is_published: bool) -> FaqItem:
    """A new frequently asked question (its texts are written next, per language)."""
    _require_editor(request)
    item = FaqItem.objects.create(key=key, audience=audience, order=order, is_published=is_published)
    audit_log(request, action=Action.CREATE, description=f"desk FAQ {key!r}")
    return item


def set_published(request, *, target: Page | FaqItem, published: bool) -> None:
    """Show (True) or hide (False) a page or FAQ item on the desk."""
    _require_editor(request)
    if target.is_published == published:
        return
    type(target).objects.filter(pk=target.pk).update(is_published=published)
    target.is_published = published
    kind = "page" if isinstance(target, Page) else "FAQ"
    state = "published" if published else "unpublished"
    audit_log(request, action=Action.UPDATE, description=f"desk {kind} {target!s} {state}")
