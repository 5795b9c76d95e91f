"""The desk speaks six languages; the professionals' pages only Dutch and English.

The choice is made with the switch and remembered in the language cookie (a year); the browser's
Accept-Language is ignored. Arabic pages run right to left.
"""

import pytest
from django.conf import settings
from django.urls import reverse

PUBLIC_LANGUAGES = ["nl", "en", "ar", "tr", "pl", "uk"]


@pytest.fixture
def choose(client):
    def _choose(language):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return _choose


@pytest.mark.django_db
@pytest.mark.parametrize("language", PUBLIC_LANGUAGES)
def test_the_desk_answers_in_the_chosen_language(choose, language):
    response = choose(language).get(reverse("desk:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}" dir="{"rtl" if language == "ar" else "ltr"}">' in html
    assert response["Content-Language"] == language


@pytest.mark.django_db
def test_the_switch_on_the_desk_offers_all_six_languages_by_their_own_names(client):
    html = client.get(reverse("desk:home")).content.decode()
    for code, own_name in [
        ("nl", "Nederlands"),
        ("en", "English"),
        ("ar", "العربيّة"),
        ("tr", "Türkçe"),
        ("pl", "Polski"),
        ("uk", "Українська"),
    ]:
        assert f'<option value="{code}" lang="{code}"' in html
        assert own_name in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ar", "tr", "pl", "uk"])
def test_professional_pages_fall_back_to_dutch_for_a_desk_only_language(choose, language):
    response = choose(language).get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="nl">' in html
    assert response["Content-Language"] == "nl"
    # The switch there offers only the languages of the professionals' pages.
    assert '<option value="en"' in html
    assert f'<option value="{language}"' not in html


@pytest.mark.django_db
def test_english_is_kept_on_professional_pages(choose):
    html = choose("en").get(reverse("login")).content.decode()
    assert '<html lang="en">' in html


@pytest.mark.django_db
def test_the_switch_remembers_the_choice_for_a_year_and_returns_to_the_same_page(client):
    response = client.post(reverse("set_language"), {"language": "tr", "next": reverse("desk:faq")})
    assert response.status_code == 302
    assert response.url == reverse("desk:faq")
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "tr"
    assert int(cookie["max-age"]) == 365 * 24 * 60 * 60
    assert client.get(reverse("desk:home")).content.decode().count('<html lang="tr"') == 1


@pytest.mark.django_db
def test_the_browser_language_is_ignored(client):
    html = client.get(reverse("desk:home"), HTTP_ACCEPT_LANGUAGE="ar,en;q=0.8").content.decode()
    assert '<html lang="nl" dir="ltr">' in html


@pytest.mark.django_db
def test_visitors_get_the_desk_at_the_root(client):
    response = client.get("/")
    assert response.status_code == 200
    assert reverse("desk:register") in response.content.decode()
