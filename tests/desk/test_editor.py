"""The desk editor: functional administrators edit the pages and questions per language, with a preview.

Preview renders the typed text as the desk would and saves nothing; Save writes it with a version
check, so a text someone else saved meanwhile is never overwritten silently. Everyone else gets 404.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from kansrijk.audit.models import Action, AuditEntry, Outcome
from kansrijk.desk.content import load_content
from kansrijk.desk.models import Audience, FaqItem, FaqText, Page, PageText

from ..translated import t


@pytest.fixture(autouse=True)
def _staff_read_english(client):
    """The assertions read the English source strings: staff pages in English (the switch's other language)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


OTHERS = ["planner", "nurse", "midwife", "officer", "privacy", "provider", "nobody"]


@pytest.fixture
def content(db):
    load_content(languages=["nl", "en"])


@pytest.fixture
def admin_client(world, login, content):
    return login(world.admin)


def page_data(text: PageText | None = None, **changes) -> dict:
    data = {
        "version": text.version if text else 0,
        "title": text.title if text else "",
        "summary": text.summary if text else "",
        "body": text.body if text else "",
        "action": "save",
    }
    data.update(changes)
    return data


EDITOR_URLS = [
    ("desk:editor", []),
    ("desk:edit_page", ["about", "nl"]),
    ("desk:edit_faq", ["cost", "en"]),
    ("desk:new_faq", []),
]


@pytest.mark.parametrize("persona", OTHERS)
@pytest.mark.parametrize(("name", "args"), EDITOR_URLS)
def test_only_functional_administrators_may_edit(world, content, persona, name, args):
    client = Client()
    client.force_login(getattr(world, persona), backend="django.contrib.auth.backends.ModelBackend")
    url = reverse(name, args=args)
    assert client.get(url).status_code == 404
    before = list(PageText.objects.values_list("pk", "title", "version"))
    post = {"kind": "page", "target": "about", "published": "0"} if name == "desk:editor" else page_data(title="X")
    if name == "desk:new_faq":
        post = {"key": "hack", "audience": "residents", "order": "1", "is_published": "on"}
    assert client.post(url, post).status_code == 404
    assert list(PageText.objects.values_list("pk", "title", "version")) == before
    assert Page.objects.get(slug="about").is_published
    assert not FaqItem.objects.filter(key="hack").exists()
    assert AuditEntry.objects.filter(user=getattr(world, persona), outcome=Outcome.DENIED).exists()


@pytest.mark.parametrize(("name", "args"), EDITOR_URLS)
def test_anonymous_visitors_are_sent_to_the_login(content, client, name, args):
    url = reverse(name, args=args)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_overview_lists_pages_and_questions_per_language(admin_client, world):
    PageText.objects.filter(page__slug="about", language="en").update(updated_by=world.admin)
    del admin_client.cookies[settings.LANGUAGE_COOKIE_NAME]  # no choice made: the staff default, Dutch
    html = admin_client.get(reverse("desk:editor")).content.decode()
    assert '<html lang="nl">' in html
    assert reverse("desk:edit_page", args=["about", "en"]) in html
    assert reverse("desk:edit_page", args=["about", "ar"]) in html  # missing: "Write"
    assert reverse("desk:edit_faq", args=["pro-urgent", "uk"]) in html
    assert world.admin.display_name in html
    # 8 pages × 4 languages without a text, and 13 questions × 4.
    assert html.count('<span class="badge badge--high">') == 8 * 4 + 13 * 4
    assert html.index('id="faq-cost"') < html.index('id="faq-pro-who"'), "residents' questions first"


def test_the_overview_takes_a_fixed_number_of_queries(admin_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        assert admin_client.get(reverse("desk:editor")).status_code == 200


def test_the_edit_form_carries_the_language_of_the_text(admin_client):
    html = admin_client.get(reverse("desk:edit_page", args=["about", "ar"])).content.decode()
    assert '<textarea name="body"' in html
    body = html.split('<textarea name="body"', 1)[1].split(">", 1)[0]
    assert 'lang="ar"' in body and 'dir="rtl"' in body
    title = html.split('name="title"', 1)[1].split(">", 1)[0]
    assert 'lang="ar"' in title and 'dir="rtl"' in title
    assert '<input type="hidden" name="version" value="0"' in html  # no Arabic text yet
    html = admin_client.get(reverse("desk:edit_page", args=["about", "en"])).content.decode()
    assert 'lang="en" dir="ltr"' in html
    assert "What is the prenatal home visit?" in html


def test_preview_shows_the_text_as_the_desk_would_and_saves_nothing(admin_client):
    text = PageText.objects.get(page__slug="about", language="nl")
    before = (text.title, text.body, text.version, text.updated_at)
    data = page_data(
        text,
        title="Nieuwe titel",
        body="## Nieuw kopje\n\nMet **nadruk**.\n\n<script>alert(1)</script>",
        action="preview",
    )
    response = admin_client.post(reverse("desk:edit_page", args=["about", "nl"]), data)
    assert response.status_code == 200
    html = response.content.decode()
    preview = html.split('id="desk-preview"', 1)[1]
    assert '<article class="desk-article" lang="nl" dir="ltr">' in preview
    assert '<h2 class="desk-article__title">Nieuwe titel</h2>' in preview
    assert "<h2>Nieuw kopje</h2>" in preview and "<strong>nadruk</strong>" in preview
    assert "<script>alert(1)</script>" not in preview
    # The form keeps what was typed (escaped in the textarea).
    assert "## Nieuw kopje" in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'value="Nieuwe titel"' in html
    text.refresh_from_db()
    assert (text.title, text.body, text.version, text.updated_at) == before
    assert not AuditEntry.objects.filter(action=Action.UPDATE).exists()


def test_preview_of_arabic_runs_right_to_left(admin_client):
    data = page_data(title="عنوان", body="نص", action="preview")
    html = admin_client.post(reverse("desk:edit_page", args=["about", "ar"]), data).content.decode()
    assert '<article class="desk-article" lang="ar" dir="rtl">' in html
    assert not PageText.objects.filter(page__slug="about", language="ar").exists()


def test_save_updates_the_text_and_the_desk_shows_it(admin_client, world, client):
    text = PageText.objects.get(page__slug="about", language="nl")
    url = reverse("desk:edit_page", args=["about", "nl"])
    response = admin_client.post(url, page_data(text, title="Wat is het huisbezoek?", summary="Kort."))
    assert response.status_code == 302
    assert response.url == url
    text.refresh_from_db()
    assert (text.title, text.summary, text.version, text.updated_by) == (
        "Wat is het huisbezoek?",
        "Kort.",
        2,
        world.admin,
    )
    assert AuditEntry.objects.filter(
        user=world.admin, action=Action.UPDATE, description="desk page 'about' (nl)"
    ).exists()
    assert "<h1>Wat is het huisbezoek?</h1>" in Client().get(reverse("desk:page", args=["about"])).content.decode()
    # The loader now leaves it alone.
    assert load_content(languages=["nl"]).texts_kept == 1
    text.refresh_from_db()
    assert text.title == "Wat is het huisbezoek?"


def test_save_creates_a_missing_language(admin_client, world):
    url = reverse("desk:edit_page", args=["about", "ar"])
    response = admin_client.post(url, page_data(title="ما هي الزيارة المنزلية؟", body="نص قصير."))
    assert response.status_code == 302
    text = PageText.objects.get(page__slug="about", language="ar")
    assert (text.title, text.version, text.updated_by) == ("ما هي الزيارة المنزلية؟", 1, world.admin)
    assert AuditEntry.objects.filter(action=Action.CREATE, description="desk page 'about' (ar)").exists()
    visitor = Client()
    visitor.cookies["django_language"] = "ar"
    html = visitor.get(reverse("desk:page", args=["about"])).content.decode()
    assert "<h1>ما هي الزيارة المنزلية؟</h1>" in html
    assert t("This page is not yet available in your language.", "ar") not in html


def test_a_concurrent_save_is_refused_and_the_typed_text_kept(admin_client, world):
    text = PageText.objects.get(page__slug="about", language="nl")
    opened = text.version
    # Someone else saves first.
    PageText.objects.filter(pk=text.pk).update(title="Door een ander", version=opened + 1, updated_by=world.nurse)
    url = reverse("desk:edit_page", args=["about", "nl"])
    response = admin_client.post(url, page_data(text, title="Mijn titel", body="Mijn tekst die ik typte."))
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved this text while you were working on it." in html
    assert 'value="Mijn titel"' in html and "Mijn tekst die ik typte." in html
    assert "Door een ander" in html  # the saved text, to compare
    text.refresh_from_db()
    assert (text.title, text.version, text.updated_by) == ("Door een ander", opened + 1, world.nurse)
    # The form now names the saved version: saving again, knowingly, replaces it.
    assert f'<input type="hidden" name="version" value="{opened + 1}"' in html
    response = admin_client.post(url, page_data(text, title="Mijn titel", version=opened + 1))
    assert response.status_code == 302
    text.refresh_from_db()
    assert (text.title, text.updated_by) == ("Mijn titel", world.admin)


def test_two_people_creating_the_same_text_the_second_is_refused(admin_client, world):
    url = reverse("desk:edit_page", args=["about", "tr"])
    PageText.objects.create(page=Page.objects.get(slug="about"), language="tr", title="Önce", updated_by=world.nurse)
    response = admin_client.post(url, page_data(title="Sonra"))
    assert response.status_code == 409
    assert PageText.objects.get(page__slug="about", language="tr").title == "Önce"
    assert 'value="Sonra"' in response.content.decode()


def test_bad_input_is_shown_and_nothing_is_lost(admin_client):
    url = reverse("desk:edit_page", args=["about", "nl"])
    text = PageText.objects.get(page__slug="about", language="nl")
    response = admin_client.post(url, page_data(text, title="", body="Mijn tekst", summary="x" * 401))
    assert response.status_code == 200
    html = response.content.decode()
    assert "error-summary" in html and 'aria-invalid="true"' in html
    assert "Mijn tekst" in html
    text.refresh_from_db()
    assert text.title == "Wat is het prenatale huisbezoek?"


@pytest.mark.parametrize(("slug", "language"), [("nope", "nl"), ("about", "de")])
def test_an_unknown_page_or_language_is_not_found(admin_client, slug, language):
    assert admin_client.get(reverse("desk:edit_page", args=[slug, language])).status_code == 404


def test_a_question_is_previewed_and_saved(admin_client, world):
    url = reverse("desk:edit_faq", args=["cost", "en"])
    text = FaqText.objects.get(item__key="cost", language="en")
    data = {"version": text.version, "question": "Is it free?", "answer": "Yes, **free**.", "action": "preview"}
    html = admin_client.post(url, data).content.decode()
    preview = html.split('id="desk-preview"', 1)[1]
    assert '<details class="desk-faq__item" id="faq-cost" lang="en" dir="ltr" open>' in preview
    assert "<summary>Is it free?</summary>" in preview and "<strong>free</strong>" in preview
    assert FaqText.objects.get(pk=text.pk).question == "Does the home visit cost anything?"
    data["action"] = "save"
    assert admin_client.post(url, data).status_code == 302
    text.refresh_from_db()
    assert (text.question, text.answer, text.updated_by, text.version) == (
        "Is it free?",
        "Yes, **free**.",
        world.admin,
        2,
    )
    assert AuditEntry.objects.filter(action=Action.UPDATE, description="desk FAQ 'cost' (en)").exists()


def test_a_concurrent_answer_is_refused(admin_client, world):
    url = reverse("desk:edit_faq", args=["cost", "nl"])
    text = FaqText.objects.get(item__key="cost", language="nl")
    FaqText.objects.filter(pk=text.pk).update(answer="Anders.", version=text.version + 1, updated_by=world.nurse)
    data = {"version": text.version, "question": "Kost het iets?", "answer": "Mijn antwoord.", "action": "save"}
    response = admin_client.post(url, data)
    assert response.status_code == 409
    assert "Mijn antwoord." in response.content.decode()
    assert FaqText.objects.get(pk=text.pk).answer == "Anders."


def test_a_new_question_then_its_dutch_text(admin_client, world):
    response = admin_client.post(
        reverse("desk:new_faq"), {"key": "parkeren", "audience": "residents", "order": "95", "is_published": "on"}
    )
    assert response.status_code == 302
    assert response.url == reverse("desk:edit_faq", args=["parkeren", "nl"])
    item = FaqItem.objects.get(key="parkeren")
    assert (item.audience, item.order, item.is_published) == (Audience.RESIDENTS, 95, True)
    assert AuditEntry.objects.filter(action=Action.CREATE, description="desk FAQ 'parkeren'").exists()
    # Not on the desk until it has a text (for a visitor reading it in Dutch, the default).
    visitor = Client()
    assert 'id="faq-parkeren"' not in visitor.get(reverse("desk:faq")).content.decode()
    data = {"version": 0, "question": "Kan ik parkeren?", "answer": "Ja.", "action": "save"}
    assert admin_client.post(response.url, data).status_code == 302
    html = visitor.get(reverse("desk:faq")).content.decode()
    assert '<details class="desk-faq__item" id="faq-parkeren">' in html
    assert html.index('id="faq-who-sees"') < html.index('id="faq-parkeren"') < html.index('id="faq-pro-who"')


def test_a_new_question_needs_a_free_key(admin_client):
    response = admin_client.post(reverse("desk:new_faq"), {"key": "cost", "audience": "residents", "order": "1"})
    assert response.status_code == 200
    assert "There is already a question with this key." in response.content.decode()
    response = admin_client.post(reverse("desk:new_faq"), {"key": "Met spaties", "audience": "x", "order": "-1"})
    html = response.content.decode()
    assert html.count('aria-invalid="true"') >= 2
    assert 'value="Met spaties"' in html
    assert FaqItem.objects.count() == 13


def test_publish_and_unpublish_a_page_and_a_question(admin_client, client, world):
    editor = reverse("desk:editor")
    response = admin_client.post(editor, {"kind": "page", "target": "privacy", "published": "0"})
    assert response.status_code == 302
    assert response.url == f"{editor}#page-privacy"
    assert client.get(reverse("desk:page", args=["privacy"])).status_code == 404
    assert AuditEntry.objects.filter(description="desk page privacy unpublished").exists()
    admin_client.post(editor, {"kind": "page", "target": "privacy", "published": "1"})
    assert client.get(reverse("desk:page", args=["privacy"])).status_code == 200

    admin_client.post(editor, {"kind": "faq", "target": "cost", "published": "0"})
    assert 'id="faq-cost"' not in client.get(reverse("desk:faq")).content.decode()
    admin_client.post(editor, {"kind": "faq", "target": "cost", "published": "1"})
    assert 'id="faq-cost"' in client.get(reverse("desk:faq")).content.decode()
    assert admin_client.post(editor, {"kind": "other", "target": "x"}).status_code == 404


def test_the_editor_links_to_the_page_on_the_desk(admin_client):
    html = admin_client.get(reverse("desk:edit_page", args=["about", "nl"])).content.decode()
    assert f'<a href="{reverse("desk:page", args=["about"])}">' in html
    html = admin_client.get(reverse("desk:edit_page", args=["leaflet", "ar"])).content.decode()
    assert f'<a href="{reverse("desk:leaflet", args=["ar"])}">' in html
    html = admin_client.get(reverse("desk:edit_page", args=["register", "en"])).content.decode()
    assert f'<a href="{reverse("desk:register")}">' in html


def test_the_staff_menu_links_the_editor_for_administrators_only(admin_client, world, login):
    assert reverse("desk:editor") in admin_client.get(reverse("desk:editor")).content.decode()
    home = Client()
    home.force_login(world.planner, backend="django.contrib.auth.backends.ModelBackend")
    assert reverse("desk:editor") not in home.get(reverse("socialmap:search")).content.decode()
