"""Every URL of the social map against every persona.

Reading is for every professional role (not the privacy officer, not someone without a role);
maintaining is for the region's administrator and, for her municipalities, the municipality officer.
A page that is not for you answers 404 with a denied audit row; visitors go to the login page.
"""

from types import SimpleNamespace

import pytest

from kansrijk.audit.models import AuditEntry, Outcome
from kansrijk.socialmap.models import Offer

from ..test_access_matrix import PERSONAS, browse_as, user_of
from .conftest import make_offer

READERS = {"midwife", "planner", "nurse", "nurse2", "other_nurse", "other_planner", "provider", "officer", "admin"}
MAINTAINERS = {"officer", "admin"}


@pytest.fixture
def offers(world):
    return SimpleNamespace(
        maastricht=make_offer(world, name="Schuldhulp Maastricht", municipalities=[world.maastricht]),
        heerlen=make_offer(world, name="Wijkteam Heerlen", municipalities=[world.heerlen]),
    )


#: name: (method, url template, personas allowed, status when allowed)
PAGES = {
    "search": ("get", "/sociale-kaart/", READERS, 200),
    "search_filtered": ("get", "/sociale-kaart/?postcode=6211AB&phase=pregnancy", READERS, 200),
    "detail": ("get", "/sociale-kaart/{maastricht}/", READERS, 200),
    "detail_heerlen": ("get", "/sociale-kaart/{heerlen}/", READERS, 200),
    "new": ("get", "/sociale-kaart/nieuw/", MAINTAINERS, 200),
    "edit": ("get", "/sociale-kaart/{maastricht}/wijzigen/", MAINTAINERS, 200),
    "edit_heerlen": ("get", "/sociale-kaart/{heerlen}/wijzigen/", {"admin"}, 200),
    "mark_checked": ("post", "/sociale-kaart/{maastricht}/gecontroleerd/", MAINTAINERS, 302),
    "mark_checked_heerlen": ("post", "/sociale-kaart/{heerlen}/gecontroleerd/", {"admin"}, 302),
    "set_active": ("post", "/sociale-kaart/{maastricht}/actief/", MAINTAINERS, 302),
    "set_active_heerlen": ("post", "/sociale-kaart/{heerlen}/actief/", {"admin"}, 302),
    "manage": ("get", "/sociale-kaart/beheer/", MAINTAINERS, 200),
    "manage_inactive": ("get", "/sociale-kaart/beheer/?show=inactive", MAINTAINERS, 200),
    "to_check": ("get", "/sociale-kaart/te-controleren/", MAINTAINERS, 200),
    "import": ("get", "/sociale-kaart/importeren/", MAINTAINERS, 200),
    "export_csv": ("get", "/sociale-kaart/exporteren/csv/", MAINTAINERS, 200),
    "export_xlsx": ("get", "/sociale-kaart/exporteren/xlsx/", MAINTAINERS, 200),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", list(PAGES))
def test_social_map_page_answers_its_roles_404_to_others_and_login_to_visitors(world, offers, page, persona):
    method, template, allowed, status = PAGES[page]
    url = template.format(maastricht=offers.maastricht.pk, heerlen=offers.heerlen.pk)
    data = {"version": 1, "active": "0"} if method == "post" else None

    response = getattr(browse_as(world, persona), method)(url, data)

    if persona == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/?next=")
    elif persona in allowed:
        assert response.status_code == status
    else:
        assert response.status_code == 404
        denied = AuditEntry.objects.filter(user=user_of(world, persona), outcome=Outcome.DENIED, path=url)
        assert denied.count() == 1


@pytest.mark.parametrize("persona", sorted(set(PERSONAS) - MAINTAINERS - {"anonymous"}))
def test_refused_posts_change_nothing(world, offers, persona):
    browser = browse_as(world, persona)
    browser.post(f"/sociale-kaart/{offers.maastricht.pk}/actief/", {"version": 1, "active": "0"})
    browser.post(f"/sociale-kaart/{offers.maastricht.pk}/gecontroleerd/")
    browser.post("/sociale-kaart/nieuw/", {"name": "Nieuw"})
    offer = Offer.objects.get(pk=offers.maastricht.pk)
    assert offer.is_active and offer.version == 1
    assert Offer.objects.count() == 2


@pytest.mark.parametrize("url", ["/sociale-kaart/{maastricht}/gecontroleerd/", "/sociale-kaart/{maastricht}/actief/"])
def test_changing_urls_refuse_get(world, offers, url):
    response = browse_as(world, "admin").get(url.format(maastricht=offers.maastricht.pk))
    assert response.status_code == 405


def test_search_and_detail_refuse_post(world, offers):
    browser = browse_as(world, "nurse")
    assert browser.post("/sociale-kaart/").status_code == 405
    assert browser.post(f"/sociale-kaart/{offers.maastricht.pk}/").status_code == 405


@pytest.mark.parametrize("persona", sorted(READERS))
def test_the_menu_shows_the_social_map_to_its_readers(world, persona):
    html = browse_as(world, persona).get("/sociale-kaart/").content.decode()
    assert 'href="/sociale-kaart/"' in html


def test_maintenance_buttons_only_for_maintainers(world, offers):
    nurse = browse_as(world, "nurse").get(f"/sociale-kaart/{offers.maastricht.pk}/").content.decode()
    officer = browse_as(world, "officer").get(f"/sociale-kaart/{offers.maastricht.pk}/").content.decode()
    officer_heerlen = browse_as(world, "officer").get(f"/sociale-kaart/{offers.heerlen.pk}/").content.decode()
    edit = f"/sociale-kaart/{offers.maastricht.pk}/wijzigen/"
    assert (
        edit not in nurse
        and "/sociale-kaart/nieuw/" not in browse_as(world, "nurse").get("/sociale-kaart/").content.decode()
    )
    assert edit in officer
    assert f"/sociale-kaart/{offers.heerlen.pk}/wijzigen/" not in officer_heerlen
