"""The desk's texts come from kansrijk/desk/content/<language>.toml.

Loading creates what is missing, follows the files for texts it wrote itself, never replaces a text
an administrator changed (unless asked to), is idempotent, and refuses an incomplete file with a
clear list of what is missing, before writing anything.
"""

import shutil
import tomllib
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from kansrijk.desk import demo_content
from kansrijk.desk.content import (
    CONTENT_DIR,
    FAQ,
    FAQ_KEYS,
    PAGE_SLUGS,
    ContentError,
    load_content,
    read_content,
)
from kansrijk.desk.models import FaqItem, FaqText, Page, PageText

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def _copy(tmp_path, *languages):
    for code in languages:
        shutil.copy(CONTENT_DIR / f"{code}.toml", tmp_path / f"{code}.toml")
    return tmp_path


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_ships_a_complete_content_file(language):
    content = read_content(language)
    assert list(content.pages) == PAGE_SLUGS  # every page, in the order of the outline
    assert set(content.faq) == set(FAQ_KEYS)
    for slug, text in content.pages.items():
        assert text["title"], slug
        assert "<" not in text["body"], f"{language} {slug}: no HTML in the texts"
        assert "\n# " not in f"\n{text['body']}", f"{language} {slug}: the title is the only h1"
    for key, text in content.faq.items():
        assert text["question"] and text["answer"], key


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_reference_texts_link_only_to_the_desk_s_own_pages(language):
    import re

    allowed = {
        "/zelf-aanmelden/",
        "/hulp-zoeken/",
        "/vraag-stellen/",
        "/veelgestelde-vragen/",
        "/informatie/privacy/",
        "/informatie/about/",
        "/voor-professionals/",
        "/accounts/login/",
    }
    content = read_content(language)
    texts = [t["body"] for t in content.pages.values()] + [t["answer"] for t in content.faq.values()]
    links = {target for text in texts for target in re.findall(r"\]\(([^)]*)\)", text)}
    assert links, "the texts do link to the desk's pages"
    assert links <= allowed
    assert "](" not in content.pages["leaflet"]["body"], "the printed leaflet has no links"


@pytest.mark.django_db
def test_load_creates_pages_items_and_texts_once(tmp_path):
    directory = _copy(tmp_path, "nl", "en")
    counts = load_content(directory=directory)
    assert counts.languages == ["nl", "en"]
    assert counts.no_file == ["ar", "tr", "pl", "uk"]
    assert counts.pages_created == len(PAGE_SLUGS)
    assert counts.faq_items_created == len(FAQ_KEYS)
    assert counts.texts_created == 2 * (len(PAGE_SLUGS) + len(FAQ_KEYS))
    assert set(Page.objects.values_list("slug", flat=True)) == set(PAGE_SLUGS)
    assert dict(FaqItem.objects.values_list("key", "audience")) == {q.key: q.audience for q in FAQ}
    about = PageText.objects.get(page__slug="about", language="nl")
    assert about.title == "Wat is het prenatale huisbezoek?"
    assert about.updated_by is None
    assert Page.objects.get(slug="about").in_menu
    assert not Page.objects.get(slug="home").in_menu

    again = load_content(directory=directory)
    assert (again.pages_created, again.faq_items_created, again.texts_created, again.texts_updated) == (0, 0, 0, 0)
    assert PageText.objects.count() == 2 * len(PAGE_SLUGS)
    assert FaqText.objects.count() == 2 * len(FAQ_KEYS)


@pytest.mark.django_db
def test_an_administrator_s_text_is_kept_unless_overwrite(tmp_path, world):
    directory = _copy(tmp_path, "nl")
    load_content(directory=directory)
    edited = PageText.objects.get(page__slug="about", language="nl")
    PageText.objects.filter(pk=edited.pk).update(title="Eigen titel", updated_by=world.admin, version=2)
    answer = FaqText.objects.get(item__key="cost", language="nl")
    FaqText.objects.filter(pk=answer.pk).update(answer="Eigen antwoord", updated_by=world.admin, version=2)

    counts = load_content(directory=directory)
    assert counts.texts_kept == 2
    assert PageText.objects.get(pk=edited.pk).title == "Eigen titel"
    assert FaqText.objects.get(pk=answer.pk).answer == "Eigen antwoord"

    counts = load_content(directory=directory, overwrite=True)
    assert counts.texts_overwritten == 2
    edited.refresh_from_db()
    assert edited.title == "Wat is het prenatale huisbezoek?"
    assert edited.updated_by is None
    assert edited.version == 3  # an editor that had it open refuses to save over it
    assert FaqText.objects.get(pk=answer.pk).answer.startswith("Nee.")


@pytest.mark.django_db
def test_a_text_the_loader_wrote_follows_a_changed_file(tmp_path):
    directory = _copy(tmp_path, "nl")
    load_content(directory=directory)
    path = directory / "nl.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            'title = "Privacy en cookies"', 'title = "Privacy en cookies (nieuw)"'
        ),
        encoding="utf-8",
    )
    counts = load_content(directory=directory)
    assert counts.texts_updated == 1
    text = PageText.objects.get(page__slug="privacy", language="nl")
    assert text.title == "Privacy en cookies (nieuw)"
    assert text.version == 2


@pytest.mark.django_db
def test_an_unpublished_page_stays_unpublished_after_loading(tmp_path):
    directory = _copy(tmp_path, "nl")
    load_content(directory=directory)
    Page.objects.filter(slug="privacy").update(is_published=False)
    FaqItem.objects.filter(key="cost").update(is_published=False, order=99)
    load_content(directory=directory)
    assert not Page.objects.get(slug="privacy").is_published
    item = FaqItem.objects.get(key="cost")
    assert (item.is_published, item.order) == (False, 99)


def _without(text: str, start: str, end: str) -> str:
    """The TOML text with the part from `start` up to (not including) `end` removed."""
    before, rest = text.split(start, 1)
    return before + end + rest.split(end, 1)[1]


@pytest.mark.django_db
def test_a_file_missing_a_page_and_a_key_is_reported_and_nothing_is_loaded(tmp_path):
    directory = _copy(tmp_path, "nl", "en")
    path = directory / "en.toml"
    text = path.read_text(encoding="utf-8")
    text = _without(text, "[pages.privacy]", "[pages.support]")
    text = _without(text, '[[faq]]\nkey = "partner"', '[[faq]]\nkey = "language"')
    path.write_text(text, encoding="utf-8")
    assert "privacy" not in tomllib.loads(text)["pages"]

    with pytest.raises(ContentError) as error:
        load_content(directory=directory)
    message = str(error.value)
    assert "en.toml is not complete" in message
    assert "missing pages: privacy" in message
    assert "missing FAQ keys: partner" in message
    assert "nl.toml" not in message  # the complete file is not blamed
    assert not Page.objects.exists() and not PageText.objects.exists()


@pytest.mark.django_db
def test_unknown_keys_empty_fields_and_wrong_audiences_are_reported(tmp_path):
    directory = _copy(tmp_path, "nl")
    path = directory / "nl.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('question = "Kost het huisbezoek geld?"', 'question = ""')
    text = text.replace('key = "pro-urgent"\naudience = "professionals"', 'key = "pro-urgent"\naudience = "residents"')
    text += '\n[[faq]]\nkey = "parking"\nquestion = "Parkeren?"\nanswer = "Ja."\n\n[pages.contact]\ntitle = "Contact"\n'
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as error:
        read_content("nl", directory=directory)
    message = str(error.value)
    assert "[[faq]] 'cost': question is missing or empty" in message
    assert "audience should be 'professionals'" in message
    assert "unknown FAQ key 'parking'" in message
    assert "unknown page [pages.contact]" in message


def test_a_broken_file_and_a_missing_file_are_reported(tmp_path):
    (tmp_path / "nl.toml").write_text('[pages.home\ntitle = "x"', encoding="utf-8")
    with pytest.raises(ContentError, match="cannot be read"):
        read_content("nl", directory=tmp_path)
    with pytest.raises(ContentError, match="no content file for language 'tr'"):
        read_content("tr", directory=tmp_path)


@pytest.mark.django_db
def test_asking_for_a_language_without_a_file_or_an_unknown_one_is_refused(tmp_path):
    directory = _copy(tmp_path, "nl")
    with pytest.raises(ContentError, match="no content file for language 'pl'"):
        load_content(languages=["pl"], directory=directory)
    with pytest.raises(ContentError, match="unknown language"):
        load_content(languages=["de"], directory=directory)
    assert not Page.objects.exists()


@pytest.mark.django_db
def test_the_command_loads_a_language_and_reports_what_it_did():
    out = StringIO()
    call_command("load_desk_content", "--language", "en", stdout=out)
    assert "texts created: 21" in out.getvalue()
    assert set(PageText.objects.values_list("language", flat=True)) == {"en"}
    text = PageText.objects.get(page__slug="home", language="en")
    PageText.objects.filter(pk=text.pk).update(title="Changed")
    # Not changed by an administrator (no updated_by): the file wins on the next run.
    call_command("load_desk_content", "--language", "en", stdout=StringIO())
    assert PageText.objects.get(pk=text.pk).title == "A home visit when you are expecting a baby"


@pytest.mark.django_db
def test_the_command_keeps_an_edited_text_and_overwrites_it_when_asked(world):
    call_command("load_desk_content", "--language", "nl", stdout=StringIO())
    text = PageText.objects.get(page__slug="home", language="nl")
    PageText.objects.filter(pk=text.pk).update(title="Van de beheerder", updated_by=world.admin)
    out = StringIO()
    call_command("load_desk_content", "--language", "nl", stdout=out)
    assert "use --overwrite" in out.getvalue()
    assert PageText.objects.get(pk=text.pk).title == "Van de beheerder"
    call_command("load_desk_content", "--language", "nl", "--overwrite", stdout=StringIO())
    assert PageText.objects.get(pk=text.pk).title == "Een huisbezoek als je zwanger bent"


@pytest.mark.django_db
def test_the_command_says_what_is_missing(monkeypatch, tmp_path):
    directory = _copy(tmp_path, "nl")
    path = directory / "nl.toml"
    path.write_text(_without(path.read_text(encoding="utf-8"), "[pages.ask]", "[pages.professionals]"), "utf-8")
    monkeypatch.setattr("kansrijk.desk.content.CONTENT_DIR", directory)
    with pytest.raises(CommandError) as error:
        call_command("load_desk_content", "--language", "nl", stdout=StringIO())
    assert "Nothing was loaded" in str(error.value)
    assert "missing pages: ask" in str(error.value)


@pytest.mark.django_db
def test_the_demo_loads_the_content_and_a_second_run_adds_nothing():
    demo_content.load(context=None)
    pages, texts = Page.objects.count(), PageText.objects.count() + FaqText.objects.count()
    assert pages == len(PAGE_SLUGS)
    assert PageText.objects.filter(language="nl").count() == len(PAGE_SLUGS)
    demo_content.load(context=None)
    assert (Page.objects.count(), PageText.objects.count() + FaqText.objects.count()) == (pages, texts)
