"""Pages open in Dutch; the language switch changes them to English and remembers the choice."""

import pytest
from django.conf import settings
from django.test import Client


@pytest.fixture
def nurse_browser(world):
    browser = Client()
    browser.force_login(world.nurse, backend="django.contrib.auth.backends.ModelBackend")
    return browser


def switch_to(browser: Client, language: str, next_url: str = "/trajecten/mijn/"):
    return browser.post("/i18n/setlang/", {"language": language, "next": next_url})


def test_pages_open_in_dutch_by_default(nurse_browser):
    response = nurse_browser.get("/trajecten/mijn/")
    assert '<html lang="nl">' in response.content.decode()
    assert response["Content-Language"] == "nl"


def test_login_page_opens_in_dutch_for_visitors_too(db):
    response = Client().get("/accounts/login/")
    assert '<html lang="nl">' in response.content.decode()


def test_browser_language_does_not_change_the_page_language(nurse_browser):
    response = nurse_browser.get("/trajecten/mijn/", headers={"accept-language": "en-GB,en;q=0.9"})
    assert '<html lang="nl">' in response.content.decode()


def test_language_switch_shows_the_pages_in_english_from_then_on(nurse_browser):
    response = switch_to(nurse_browser, "en")

    assert response.status_code == 302
    assert response.url == "/trajecten/mijn/"
    assert nurse_browser.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    for url in ("/trajecten/mijn/", "/geen-rol/"):
        page = nurse_browser.get(url)
        assert '<html lang="en">' in page.content.decode(), url
        assert page["Content-Language"] == "en"


def test_english_page_uses_the_english_catalogue(nurse_browser):
    switch_to(nurse_browser, "en")
    html = nurse_browser.get("/trajecten/mijn/").content.decode()
    assert "My cases" in html  # the source string: English needs no translation


def test_switching_back_to_dutch_works(nurse_browser):
    switch_to(nurse_browser, "en")
    switch_to(nurse_browser, "nl")
    assert '<html lang="nl">' in nurse_browser.get("/trajecten/mijn/").content.decode()


def test_unknown_language_is_ignored(nurse_browser):
    switch_to(nurse_browser, "xx")
    nurse_browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"  # even when forced into the cookie
    assert '<html lang="nl">' in nurse_browser.get("/trajecten/mijn/").content.decode()


def test_language_switch_does_not_redirect_to_another_site(nurse_browser):
    response = switch_to(nurse_browser, "en", next_url="https://evil.example/")
    assert not response.url.startswith("https://evil.example")


def test_visitor_can_switch_the_login_page_to_english(db):
    browser = Client()
    switch_to(browser, "en", next_url="/accounts/login/")
    assert '<html lang="en">' in browser.get("/accounts/login/").content.decode()


def test_every_page_offers_the_language_switch(nurse_browser):
    html = nurse_browser.get("/trajecten/mijn/").content.decode()
    assert 'action="/i18n/setlang/"' in html
    assert 'value="en"' in html and 'value="nl"' in html


def test_every_string_of_the_public_desk_has_a_dutch_translation():
    """makemessages puts the desk's strings in the desk's own catalogues (ar, tr, pl, uk); their Dutch lives in
    kansrijk/locale/nl and must not fall out of it when that catalogue is regenerated."""
    import gettext
    from pathlib import Path

    from django.utils.translation import trans_real

    desk_mo = Path(__file__).resolve().parents[1] / "kansrijk/desk/locale/ar/LC_MESSAGES/django.mo"
    with desk_mo.open("rb") as handle:
        arabic = gettext.GNUTranslations(handle)._catalog
    dutch = trans_real.translation("nl")._catalog
    desk_ids = {key if isinstance(key, str) else key[0] for key in arabic if key}
    missing = sorted(msgid for msgid in desk_ids if msgid not in dutch and (msgid, 0) not in dutch)
    assert not missing, missing[:20]


def test_no_text_is_translated_once_at_import():
    """`gettext` outside a function runs when the module is imported, in whatever language is active then: the
    dashboard's section headings were Dutch for everyone who chose English. Module-level texts use
    gettext_lazy; this finds any eager `gettext`/`ngettext`/`pgettext` call outside a function body."""
    import ast
    from pathlib import Path

    import kansrijk

    eager_calls = []
    for path in sorted(Path(kansrijk.__file__).resolve().parent.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        eager = {
            alias.asname or alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("django.utils.translation")
            for alias in node.names
            if alias.name in {"gettext", "ngettext", "pgettext", "npgettext"}
        }

        def visit(node, in_function, path=path, eager=eager):
            for child in ast.iter_child_nodes(node):
                inside = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
                called = isinstance(child, ast.Call) and isinstance(child.func, ast.Name) and child.func.id in eager
                if called and not in_function:
                    eager_calls.append(f"{path.name}:{child.lineno} {ast.unparse(child)[:60]}")
                visit(child, inside)

        if eager:
            visit(tree, False)
    assert eager_calls == []
