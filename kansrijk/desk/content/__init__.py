"""The desk's pages and frequently asked questions, and their texts in `<language>.toml`.

`PAGES` and `FAQ` list what the desk has: the pages' slugs are fixed (templates link to them);
FAQ items have a key. Each language has one file next to this module (`nl.toml`, `en.toml`, …,
schema in the file header) with a text for every page and every FAQ key.

`load_content()` puts them in the database (`manage.py load_desk_content`, and `load_demo`):

- it creates the pages and FAQ items that do not exist yet (an existing one keeps its
  published state, order and audience: the administrator decides those);
- it creates every text that is missing, and brings a text the loader wrote before up to date
  with the file;
- it never changes a text an administrator saved (in the editor or the Django admin, which set
  `updated_by`), unless `overwrite=True`;
- it first checks every file it will read: a file that misses a page or a FAQ key, or has an
  unknown one, stops the load before anything is written, with a list of what is wrong.

Loading is idempotent: a second run with the same files changes nothing.
"""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F

from kansrijk.desk.models import Audience, FaqItem, FaqText, Page, PageText

CONTENT_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class PageSpec:
    slug: str
    audience: str
    order: int
    in_menu: bool


@dataclass(frozen=True)
class FaqSpec:
    key: str
    audience: str
    order: int


#: The desk's pages, in the order of the content files.
PAGES: tuple[PageSpec, ...] = (
    PageSpec("home", Audience.RESIDENTS, 0, False),
    PageSpec("about", Audience.RESIDENTS, 10, True),
    PageSpec("register", Audience.RESIDENTS, 20, True),
    PageSpec("privacy", Audience.RESIDENTS, 30, False),
    PageSpec("support", Audience.RESIDENTS, 40, True),
    PageSpec("ask", Audience.RESIDENTS, 50, True),
    PageSpec("professionals", Audience.PROFESSIONALS, 60, True),
    PageSpec("leaflet", Audience.PROFESSIONALS, 70, False),
)

#: The frequently asked questions, in the order of the content files (and of the FAQ page).
FAQ: tuple[FaqSpec, ...] = tuple(
    FaqSpec(key, audience, (n + 1) * 10)
    for n, (key, audience) in enumerate(
        [
            ("cost", Audience.RESIDENTS),
            ("voluntary", Audience.RESIDENTS),
            ("who-comes", Audience.RESIDENTS),
            ("how-long", Audience.RESIDENTS),
            ("partner", Audience.RESIDENTS),
            ("language", Audience.RESIDENTS),
            ("already-help", Audience.RESIDENTS),
            ("after-visit", Audience.RESIDENTS),
            ("who-sees", Audience.RESIDENTS),
            ("pro-who", Audience.PROFESSIONALS),
            ("pro-consent", Audience.PROFESSIONALS),
            ("pro-feedback", Audience.PROFESSIONALS),
            ("pro-urgent", Audience.PROFESSIONALS),
        ]
    )
)

PAGE_SLUGS = [p.slug for p in PAGES]
FAQ_KEYS = [q.key for q in FAQ]

_PAGE_FIELDS = {"title": 200, "summary": 400, "body": 20000}
_FAQ_FIELDS = {"question": 300, "answer": 4000}
_REQUIRED = {"title", "question", "answer"}


class ContentError(Exception):
    """A content file is missing, cannot be read, or does not hold every page and FAQ key."""


@dataclass
class ContentFile:
    language: str
    path: Path
    pages: dict[str, dict[str, str]]  # slug → {title, summary, body}
    faq: dict[str, dict[str, str]]  # key → {question, answer}


@dataclass
class LoadCounts:
    """What `load_content` did."""

    languages: list[str] = field(default_factory=list)
    #: Languages of settings.LANGUAGES without a content file (only when no languages were asked for).
    no_file: list[str] = field(default_factory=list)
    pages_created: int = 0
    faq_items_created: int = 0
    texts_created: int = 0
    #: Texts the loader wrote before, brought up to date with a changed file.
    texts_updated: int = 0
    #: Texts an administrator saved, left as they are.
    texts_kept: int = 0
    #: Texts an administrator saved, replaced by the file's (only with overwrite=True).
    texts_overwritten: int = 0

    def __str__(self) -> str:
        parts = [
            f"languages: {', '.join(self.languages) or '-'}",
            f"pages created: {self.pages_created}",
            f"FAQ items created: {self.faq_items_created}",
            f"texts created: {self.texts_created}",
            f"texts updated from the files: {self.texts_updated}",
            f"texts changed by an administrator and kept: {self.texts_kept}",
            f"texts overwritten: {self.texts_overwritten}",
        ]
        if self.no_file:
            parts.append(f"no file for: {', '.join(self.no_file)}")
        return "; ".join(parts)


def content_path(language: str) -> Path:
    return CONTENT_DIR / f"{language}.toml"


def _text_value(entry: dict, name: str, max_length: int, where: str, problems: list[str]) -> str:
    value = entry.get(name, "")
    if not isinstance(value, str):
        problems.append(f"{where}: {name} is not text")
        return ""
    value = value.strip()
    if name in _REQUIRED and not value:
        problems.append(f"{where}: {name} is missing or empty")
    if len(value) > max_length:
        problems.append(f"{where}: {name} is longer than {max_length} characters ({len(value)})")
    return value


def check_content(data: dict, *, language: str, path: Path) -> tuple[ContentFile, list[str]]:
    """The texts of one parsed file, and a list of what is wrong with it (empty when complete)."""
    problems: list[str] = []
    pages: dict[str, dict[str, str]] = {}
    raw_pages = data.get("pages", {})
    if not isinstance(raw_pages, dict):
        problems.append("[pages] is not a table of pages")
        raw_pages = {}
    for slug, entry in raw_pages.items():
        if slug not in PAGE_SLUGS:
            problems.append(f"unknown page [pages.{slug}] (the pages are: {', '.join(PAGE_SLUGS)})")
            continue
        if not isinstance(entry, dict):
            problems.append(f"[pages.{slug}] is not a table")
            continue
        pages[slug] = {
            name: _text_value(entry, name, limit, f"[pages.{slug}]", problems) for name, limit in _PAGE_FIELDS.items()
        }
    missing_pages = [slug for slug in PAGE_SLUGS if slug not in raw_pages]
    if missing_pages:
        problems.append(f"missing pages: {', '.join(missing_pages)}")

    faq: dict[str, dict[str, str]] = {}
    raw_faq = data.get("faq", [])
    if not isinstance(raw_faq, list):
        problems.append("faq is not a list of [[faq]] entries")
        raw_faq = []
    audiences = {q.key: q.audience for q in FAQ}
    for n, entry in enumerate(raw_faq, start=1):
        if not isinstance(entry, dict):
            problems.append(f"[[faq]] number {n} is not a table")
            continue
        key = entry.get("key", "")
        where = f"[[faq]] {key!r}" if key else f"[[faq]] number {n}"
        if not key:
            problems.append(f"{where}: key is missing")
            continue
        if key not in audiences:
            problems.append(f"unknown FAQ key {key!r} (the keys are: {', '.join(FAQ_KEYS)})")
            continue
        if key in faq:
            problems.append(f"FAQ key {key!r} appears twice")
            continue
        if entry.get("audience", audiences[key]) != audiences[key]:
            problems.append(f"{where}: audience should be '{audiences[key]}', not {entry.get('audience')!r}")
        faq[key] = {name: _text_value(entry, name, limit, where, problems) for name, limit in _FAQ_FIELDS.items()}
    present = {entry.get("key") for entry in raw_faq if isinstance(entry, dict)}
    missing_keys = [key for key in FAQ_KEYS if key not in present]
    if missing_keys:
        problems.append(f"missing FAQ keys: {', '.join(missing_keys)}")
    return ContentFile(language=language, path=path, pages=pages, faq=faq), problems


def read_content(language: str, *, directory: Path | None = None) -> ContentFile:
    """The checked texts of one language's file; ContentError says what is wrong."""
    path = (directory or CONTENT_DIR) / f"{language}.toml"
    if not path.exists():
        raise ContentError(f"{path}: there is no content file for language {language!r}.")
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ContentError(f"{path} cannot be read: {error}") from error
    content, problems = check_content(data, language=language, path=path)
    if problems:
        raise ContentError(f"{path} is not complete:\n" + "\n".join(f"- {p}" for p in problems))
    return content


def _languages_to_load(languages, directory: Path, counts: LoadCounts) -> list[str]:
    known = [code for code, _name in settings.LANGUAGES]
    if languages is None:
        chosen = [code for code in known if (directory / f"{code}.toml").exists()]
        counts.no_file = [code for code in known if code not in chosen]
        return chosen
    unknown = [code for code in languages if code not in known]
    if unknown:
        raise ContentError(f"unknown language(s): {', '.join(unknown)} (the languages are: {', '.join(known)})")
    return [code for code in known if code in languages]


def _put_text(model, existing, *, parent_field: str, parent, language: str, values: dict, overwrite: bool, counts):
    """Create, refresh, keep or overwrite one text; returns nothing, counts what it did."""
    if existing is None:
        model.objects.create(**{parent_field: parent}, language=language, **values)
        counts.texts_created += 1
        return
    if all(getattr(existing, name) == value for name, value in values.items()):
        return
    edited = existing.updated_by_id is not None
    if edited and not overwrite:
        counts.texts_kept += 1
        return
    # A bumped version makes an editor that is open on this text refuse to save over it.
    model.objects.filter(pk=existing.pk).update(**values, updated_by=None, version=F("version") + 1)
    if edited:
        counts.texts_overwritten += 1
    else:
        counts.texts_updated += 1


def load_content(*, overwrite: bool = False, languages=None, directory: Path | None = None) -> LoadCounts:
    """Load the desk's pages, FAQ items and their texts from the content files (see the module's docstring).

    `languages`: the codes to load (default: every language of settings.LANGUAGES that has a file).
    Raises ContentError, before writing anything, when a file is missing (for a language asked for),
    cannot be read or is not complete.
    """
    directory = directory or CONTENT_DIR
    counts = LoadCounts()
    codes = _languages_to_load(languages, directory, counts)
    files, errors = [], []
    for code in codes:
        try:
            files.append(read_content(code, directory=directory))
        except ContentError as error:
            errors.append(str(error))
    if errors:
        raise ContentError("\n\n".join(errors))
    counts.languages = [f.language for f in files]

    with transaction.atomic():
        pages = {p.slug: p for p in Page.objects.all()}
        for spec in PAGES:
            if spec.slug not in pages:
                pages[spec.slug] = Page.objects.create(
                    slug=spec.slug, audience=spec.audience, order=spec.order, in_menu=spec.in_menu
                )
                counts.pages_created += 1
        items = {i.key: i for i in FaqItem.objects.all()}
        for spec in FAQ:
            if spec.key not in items:
                items[spec.key] = FaqItem.objects.create(key=spec.key, audience=spec.audience, order=spec.order)
                counts.faq_items_created += 1

        page_texts = {(t.page_id, t.language): t for t in PageText.objects.filter(language__in=codes)}
        faq_texts = {(t.item_id, t.language): t for t in FaqText.objects.filter(language__in=codes)}
        for content in files:
            for slug, values in content.pages.items():
                page = pages[slug]
                _put_text(
                    PageText,
                    page_texts.get((page.pk, content.language)),
                    parent_field="page",
                    parent=page,
                    language=content.language,
                    values=values,
                    overwrite=overwrite,
                    counts=counts,
                )
            for key, values in content.faq.items():
                item = items[key]
                _put_text(
                    FaqText,
                    faq_texts.get((item.pk, content.language)),
                    parent_field="item",
                    parent=item,
                    language=content.language,
                    values=values,
                    overwrite=overwrite,
                    counts=counts,
                )
    return counts
