"""The desk's information pages: home, pages by slug, questions and answers, for professionals, the leaflet.

Every page answers in the visitor's language; a text that is missing there is shown in Dutch with
lang="nl" and a short notice. Texts are Markdown, rendered without anything unsafe.
"""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kansrijk.desk.content import load_content
from kansrijk.desk.models import Audience, FaqItem, FaqText, Page, PageText
from kansrijk.desk.rendering import render_markdown
from kansrijk.desk.selectors_pages import faq_items, page_text

from ..translated import t

LANGUAGES = [code for code, _name in settings.LANGUAGES]
NOTICE = "This page is not yet available in your language."
SOME_NOTICE = "Some answers are not yet available in your language. They are shown in Dutch."


def notice(language: str) -> str:
    """The fallback notice as a page in `language` shows it."""
    return t(NOTICE, language)


@pytest.fixture
def content(db):
    """The Dutch and English reference texts."""
    load_content(languages=["nl", "en"])


@pytest.fixture
def all_content(db):
    """Every language's texts, as the demo ships them."""
    load_content()


@pytest.fixture
def choose(client):
    def _choose(language):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return _choose


def html_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


PUBLIC_PAGES = [
    ("desk:home", {}),
    ("desk:page", {"slug": "about"}),
    ("desk:page", {"slug": "privacy"}),
    ("desk:faq", {}),
    ("desk:professionals", {}),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("name", "kwargs"), PUBLIC_PAGES)
def test_every_page_answers_in_every_language(all_content, choose, language, name, kwargs):
    html = html_of(choose(language).get(reverse(name, kwargs=kwargs)))
    direction = "rtl" if language == "ar" else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert notice(language) not in html, "every language ships every text"
    assert t(SOME_NOTICE, language) not in html
    assert html.count("<h1") == 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_page_title_and_text_come_from_the_language_s_file(all_content, choose, language):
    text = PageText.objects.get(page__slug="about", language=language)
    html = html_of(choose(language).get(reverse("desk:page", args=["about"])))
    assert f"<h1>{text.title}</h1>" in html.replace("&#x27;", "'")
    assert '<div class="desk-text"><h2>' in html


def test_a_missing_text_falls_back_to_dutch_with_lang_nl_and_a_notice(content, choose):
    html = html_of(choose("tr").get(reverse("desk:page", args=["about"])))
    assert '<html lang="tr" dir="ltr">' in html
    assert notice("tr") in html
    assert '<article class="desk-article" lang="nl" dir="ltr">' in html
    assert "<h1>Wat is het prenatale huisbezoek?</h1>" in html


def test_dutch_text_on_the_arabic_page_runs_left_to_right(content, choose):
    html = html_of(choose("ar").get(reverse("desk:page", args=["privacy"])))
    assert '<html lang="ar" dir="rtl">' in html
    assert '<article class="desk-article" lang="nl" dir="ltr">' in html
    assert notice("ar") in html


def test_english_has_its_own_text_and_no_notice(content, choose):
    html = html_of(choose("en").get(reverse("desk:page", args=["about"])))
    assert "<h1>What is the prenatal home visit?</h1>" in html
    assert NOTICE not in html
    assert 'lang="nl"' not in html.split("<main", 1)[1]


def test_an_unknown_or_unpublished_page_is_not_found(content, client):
    assert client.get(reverse("desk:page", args=["nope"])).status_code == 404
    Page.objects.filter(slug="privacy").update(is_published=False)
    assert client.get(reverse("desk:page", args=["privacy"])).status_code == 404
    assert page_text("privacy") == (None, False)


def test_a_page_without_any_text_is_not_found(content, client):
    PageText.objects.filter(page__slug="about").delete()
    assert client.get(reverse("desk:page", args=["about"])).status_code == 404


@pytest.mark.parametrize(
    ("slug", "target"),
    [
        ("register", "desk:register"),
        ("ask", "desk:ask"),
        ("support", "desk:support"),
        ("home", "desk:home"),
        ("professionals", "desk:professionals"),
    ],
)
def test_the_intro_pages_lead_to_their_own_page(content, client, slug, target):
    response = client.get(reverse("desk:page", args=[slug]))
    assert response.status_code == 302
    assert response.url == reverse(target)


def test_the_leaflet_page_leads_to_the_leaflet_in_the_visitor_s_language(content, choose):
    response = choose("uk").get(reverse("desk:page", args=["leaflet"]))
    assert response.status_code == 302
    assert response.url == reverse("desk:leaflet", args=["uk"])


# --- Home ---------------------------------------------------------------------------------------


def test_home_shows_the_title_the_lead_the_tiles_and_the_body(content, client):
    html = html_of(client.get(reverse("desk:home")))
    assert "<h1>Een huisbezoek als je zwanger bent</h1>" in html
    assert '<p class="lead">Ben je zwanger?' in html
    tiles = re.findall(r'<li class="desk-tile[^"]*">\s*<a href="([^"]+)"', html)
    assert tiles == [
        reverse("desk:register"),
        reverse("desk:page", args=["about"]),
        reverse("desk:support"),
        reverse("desk:ask"),
        reverse("desk:faq"),
        reverse("desk:professionals"),
    ]
    assert '<li class="desk-tile desk-tile--primary">\n        <a href="/zelf-aanmelden/">' in html
    assert "Een zwangerschap verandert veel." in html


def test_home_works_before_any_content_is_loaded(db, client):
    html = html_of(client.get(reverse("desk:home")))
    assert html.count("<h1>") == 1
    assert reverse("desk:register") in html


def test_visitors_get_the_desk_at_the_root(content, client):
    html = html_of(client.get("/"))
    assert "<h1>Een huisbezoek als je zwanger bent</h1>" in html
    assert f'href="{reverse("desk:register")}"' in html


def test_a_logged_in_professional_at_the_root_goes_to_her_start_page(content, world, login):
    response = login(world.planner).get("/")
    assert response.status_code == 302
    assert response.url != "/"
    # …and still reaches the desk at its own address.
    assert "desk-tile--primary" in html_of(login(world.planner).get(reverse("desk:home")))


# --- Questions and answers -----------------------------------------------------------------------


def test_the_faq_shows_residents_then_professionals_as_details(content, client):
    html = html_of(client.get(reverse("desk:faq")))
    residents, professionals = html.split('id="faq-professionals"', 1)
    assert '<details class="desk-faq__item" id="faq-cost">' in residents
    assert "<summary>Kost het huisbezoek geld?</summary>" in residents
    assert "<summary>Wie kan ik verwijzen?</summary>" in professionals
    assert "Wie kan ik verwijzen?" not in residents
    order = re.findall(r'<details class="desk-faq__item" id="faq-([a-z-]+)">', residents)
    assert order[:3] == ["cost", "voluntary", "who-comes"]
    assert notice("nl") not in html and t(SOME_NOTICE, "nl") not in html


def test_a_missing_answer_falls_back_to_dutch_per_item(content, choose):
    FaqText.objects.create(item=FaqItem.objects.get(key="cost"), language="tr", question="Ücretli mi?", answer="Hayır.")
    html = html_of(choose("tr").get(reverse("desk:faq")))
    assert '<details class="desk-faq__item" id="faq-cost">\n  <summary>Ücretli mi?</summary>' in html
    assert '<details class="desk-faq__item" id="faq-voluntary" lang="nl" dir="ltr">' in html
    assert t(SOME_NOTICE, "tr") in html


def test_an_unpublished_question_is_not_shown(content, client):
    FaqItem.objects.filter(key="cost").update(is_published=False)
    html = html_of(client.get(reverse("desk:faq")))
    assert 'id="faq-cost"' not in html
    assert 'id="faq-voluntary"' in html


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_faq_takes_a_fixed_number_of_queries(content, client, django_assert_max_num_queries):
    url = reverse("desk:faq")
    before = _queries(client, url)
    for n in range(8):
        item = FaqItem.objects.create(key=f"extra-{n}", audience=Audience.RESIDENTS, order=200 + n)
        FaqText.objects.create(item=item, language="nl", question=f"Vraag {n}?", answer="Antwoord.")
        FaqText.objects.create(item=item, language="en", question=f"Question {n}?", answer="Answer.")
    assert _queries(client, url) == before
    with django_assert_max_num_queries(3):
        client.get(url)


def test_faq_items_reads_in_one_query(content, django_assert_num_queries):
    with django_assert_num_queries(1):
        entries = faq_items(Audience.PROFESSIONALS, "ar")
        keys = [e.key for e in entries]
    assert keys == ["pro-who", "pro-consent", "pro-feedback", "pro-urgent"]
    assert all(e.is_fallback and e.text.language == "nl" for e in entries)


def test_page_text_reads_in_one_query(content, django_assert_num_queries):
    with django_assert_num_queries(1):
        text, is_fallback = page_text("register", "en")
        assert text.page.slug == "register"
    assert (text.title, is_fallback) == ("Register for a home visit", False)


# --- For professionals and the leaflet -----------------------------------------------------------


def test_the_professionals_page_has_the_leaflet_in_six_languages_and_the_login(content, client):
    html = html_of(client.get(reverse("desk:professionals")))
    assert "<h1>Voor professionals</h1>" in html
    for code, own_name in [("nl", "Nederlands"), ("ar", "العربيّة"), ("uk", "Українська")]:
        direction = "rtl" if code == "ar" else "ltr"
        assert f'<a href="{reverse("desk:leaflet", args=[code])}" hreflang="{code}">' in html
        assert f'<a href="{reverse("desk:leaflet_pdf", args=[code])}" hreflang="{code}" type="application/pdf">' in html
        assert f'<span class="desk-leaflets__name" lang="{code}" dir="{direction}">{own_name}</span>' in html
    assert html.count('hreflang="') == 12
    login = f"{reverse('login')}?next={reverse('referrals:new')}"
    assert f'<a class="button desk-login__button" href="{login}">' in html
    assert "<summary>Wie kan ik verwijzen?</summary>" in html
    assert "<summary>Kost het huisbezoek geld?</summary>" not in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_leaflet_in_every_language(all_content, client, language):
    html = html_of(client.get(reverse("desk:leaflet", args=[language])))
    assert '<html lang="nl" dir="ltr">' in html  # the desk around it: the visitor's language
    direction = "rtl" if language == "ar" else "ltr"
    assert f'<article class="leaflet" lang="{language}" dir="{direction}">' in html
    assert PageText.objects.get(page__slug="leaflet", language=language).title in html.replace("&#x27;", "'")
    assert "http://testserver/balie/" not in html  # the address is shown without the scheme …
    assert "testserver/balie" in html
    assert "<svg" in html and 'class="leaflet__qr"' in html  # … with a QR code to it
    assert "data-print" in html
    assert "<a href=" not in html.split('<article class="leaflet"', 1)[1].split("</article>", 1)[0]


def test_an_unknown_language_has_no_leaflet(content, client):
    assert client.get(reverse("desk:leaflet", args=["de"])).status_code == 404
    assert client.get(reverse("desk:leaflet_pdf", args=["de"])).status_code == 404


def test_a_leaflet_not_yet_written_in_a_language_shows_the_dutch_one(content, client):
    html = html_of(client.get(reverse("desk:leaflet", args=["pl"])))
    assert '<article class="leaflet" lang="nl" dir="ltr">' in html
    assert notice("nl") in html  # in the visitor's language (Dutch), around the Dutch leaflet


@pytest.mark.parametrize("language", ["nl", "ar"])
def test_the_leaflet_as_pdf(all_content, client, language):
    response = client.get(reverse("desk:leaflet_pdf", args=[language]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="folder-huisbezoek-{language}.pdf"'
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_leaflet_fits_on_one_a4_page_in_every_language(all_content, rf, language):
    from kansrijk.desk.views_pages import _leaflet, leaflet_document

    document = leaflet_document(_leaflet(rf.get("/"), language))
    assert len(document.pages) == 1
    width, height = document.pages[0].width, document.pages[0].height
    assert (round(width * 0.75), round(height * 0.75)) == (595, 842)  # A4 in points (CSS px × 0.75)


def test_the_pdf_is_made_once_and_again_after_a_change(content, client, monkeypatch):
    from kansrijk.desk import views_pages

    made = []
    real = views_pages._render_leaflet_pdf
    monkeypatch.setattr(views_pages, "_render_leaflet_pdf", lambda context: made.append(1) or real(context))
    url = reverse("desk:leaflet_pdf", args=["en"])
    first = client.get(url).content
    assert client.get(url).content == first
    assert len(made) == 1
    PageText.objects.filter(page__slug="leaflet", language="en").update(title="Changed", version=5)
    client.get(url)
    assert len(made) == 2


# --- Markdown, safely -----------------------------------------------------------------------------


def test_markdown_becomes_the_allowed_html_only():
    html = render_markdown(
        "# Kop\n\nTekst met **vet**, *schuin* en [een link](/zelf-aanmelden/).\n\n"
        "- een\n- twee\n\nDan:\n\n1. eerst\n\n> citaat\n\n### klein\n\n"
        "[extern](https://example.org/x) [mail](mailto:a@example.org) [bel](tel:0800-2000)\n\n"
        '<script>alert("x")</script>\n\n<img src="x" onerror="alert(1)">\n\n'
        '[kwaad](javascript:alert(1)) <a href="/x" onclick="alert(1)" style="color:red">klik</a>\n\n'
        '<iframe src="https://evil.example"></iframe><table><tr><td>t</td></tr></table>'
    )
    assert "<h2>Kop</h2>" in html  # the page title is the only h1
    assert "<strong>vet</strong>" in html and "<em>schuin</em>" in html
    assert '<a href="/zelf-aanmelden/">een link</a>' in html
    assert "<ul>" in html and "<ol>" in html and "<blockquote>" in html and "<h3>klein</h3>" in html
    assert '<a href="https://example.org/x" rel="noopener">extern</a>' in html
    assert '<a href="mailto:a@example.org">mail</a>' in html
    assert '<a href="tel:0800-2000">bel</a>' in html
    for bad in ("<script", "alert(", "onerror", "onclick", "javascript:", "<img", "style=", "<iframe", "<table", "<h1"):
        assert bad not in html, bad
    assert "<a>kwaad</a>" in html  # the link target is gone, the word stays


def test_a_page_s_unsafe_text_is_shown_safely(content, client):
    PageText.objects.filter(page__slug="about", language="nl").update(
        title='Over <script>alert("t")</script>', body='Hallo <img src=x onerror="alert(1)"> [x](javascript:alert(1))'
    )
    html = html_of(client.get(reverse("desk:page", args=["about"])))
    main = html.split("<main", 1)[1]
    assert "<script>alert" not in main
    assert "Over &lt;script&gt;" in main  # the title is escaped, not interpreted
    assert "onerror" not in main and "javascript:" not in main
