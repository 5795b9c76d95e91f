"""Who may open which page: every URL of the product against every persona.

A page that is not for you answers 404 (as if nothing were there), never 403, and
the refusal is written to the audit log. Anonymous visitors are sent to the login.
"""

from types import SimpleNamespace

import pytest
from django.test import Client

from kansrijk.audit.models import Action, AuditEntry, Outcome
from kansrijk.cases.models import Case, Status

from .conftest import make_case, refer

PERSONAS = [
    "anonymous",
    "midwife",
    "planner",
    "nurse",
    "nurse2",
    "other_nurse",
    "other_planner",
    "provider",
    "officer",
    "coordinator",
    "privacy",
    "admin",
    "nobody",
]
LOGGED_IN = PERSONAS[1:]


@pytest.fixture
def things(world):
    """What the URLs point at: a referral (case still in intake), a case of `nurse`, an unserved case."""
    referral = refer(world, last_name="Verwijsma").referral
    case = make_case(world, "assigned")
    unserved = make_case(world, organisation=None)
    return SimpleNamespace(referral=referral, case=case, unserved=unserved, client=case.client)


def browse_as(world, persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        client.force_login(getattr(world, persona), backend="django.contrib.auth.backends.ModelBackend")
    return client


def user_of(world, persona):
    return None if persona == "anonymous" else getattr(world, persona)


# --- Pages with client data or role-bound figures -----------------------------------

#: url template, personas answered 200 (everyone else logged in: 404).
ROLE_PAGES = {
    "intake_queue": ("/trajecten/intake/", {"planner", "other_planner", "admin"}),
    "team_cases": ("/trajecten/team/", {"planner", "other_planner"}),
    "my_cases": ("/trajecten/mijn/", {"nurse", "nurse2", "other_nurse"}),
    "case_detail": ("/trajecten/{case}/", {"planner", "nurse"}),
    "case_in_intake": ("/trajecten/{referral_case}/", {"planner"}),
    "unserved_case_detail": ("/trajecten/{unserved}/", {"admin"}),
    "referral_new": ("/aanmeldingen/nieuw/", {"midwife"}),
    "referral_list": ("/aanmeldingen/", {"midwife"}),
    "referral_detail": ("/aanmeldingen/{referral}/", {"midwife"}),
    "audit_search": ("/audit/", {"privacy"}),
    "audit_client_report": ("/audit/client/{client}/", {"privacy"}),
    "municipality_figures": ("/monitoring/", {"officer", "coordinator"}),
    "region_figures": ("/monitoring/regio/", {"officer", "coordinator"}),
    "capacity_planner": ("/monitoring/planning/", {"officer", "coordinator"}),
}


def _url(template: str, things) -> str:
    return template.format(
        case=things.case.pk,
        referral_case=things.referral.case_id,
        unserved=things.unserved.pk,
        referral=things.referral.pk,
        client=things.client.pk,
    )


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", list(ROLE_PAGES))
def test_role_page_answers_200_to_its_roles_404_to_others_and_login_to_visitors(world, things, page, persona):
    template, allowed = ROLE_PAGES[page]
    url = _url(template, things)

    response = browse_as(world, persona).get(url)

    if persona == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/?next=")
    elif persona in allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 404
        denied = AuditEntry.objects.filter(user=user_of(world, persona), outcome=Outcome.DENIED, path=url)
        assert denied.count() == 1


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_logged_in_persona_may_open_the_no_role_page_and_2fa_setup(world, persona):
    client = browse_as(world, persona)
    for url in ("/geen-rol/", "/accounts/2fa/instellen/"):
        response = client.get(url)
        if persona == "anonymous":
            assert response.status_code == 302
            assert response.url.startswith("/accounts/login/")
        else:
            assert response.status_code == 200, url


@pytest.mark.parametrize("persona", PERSONAS)
def test_2fa_prompt_sends_a_person_without_a_device_to_the_setup(world, persona):
    response = browse_as(world, persona).get("/accounts/2fa/")
    assert response.status_code == 302
    if persona == "anonymous":
        assert response.url.startswith("/accounts/login/")
    else:
        assert response.url.startswith("/accounts/2fa/instellen/")


START_PAGES = {
    "anonymous": "/accounts/login/",
    "midwife": "/aanmeldingen/",
    "planner": "/trajecten/intake/",
    "nurse": "/vandaag/",  # "My day"
    "nurse2": "/vandaag/",  # "My day"
    "other_nurse": "/vandaag/",  # "My day"
    "other_planner": "/trajecten/intake/",
    "provider": "/vervolg/aanbieder/",
    "officer": "/monitoring/",
    "coordinator": "/monitoring/",
    "privacy": "/audit/",
    "admin": "/trajecten/intake/",
    "nobody": "/geen-rol/",
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_start_and_home_send_each_role_to_its_own_first_page(world, persona):
    client = browse_as(world, persona)
    # A visitor who is not logged in gets the public desk at "/" (tests/desk); /start/ asks her to log in.
    for url in ("/start/",) if persona == "anonymous" else ("/", "/start/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.split("?")[0] == START_PAGES[persona], url


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_staff_reach_the_admin_site(world, persona):
    response = browse_as(world, persona).get("/beheer/")
    if persona == "admin":
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response.url.startswith("/beheer/login/")


@pytest.mark.parametrize("persona", PERSONAS)
def test_login_page_is_open_to_everyone(world, persona):
    assert browse_as(world, persona).get("/accounts/login/").status_code == 200


# --- Case actions (POST) for every transition ---------------------------------------

#: transition -> (status the case is in, extra POST data, personas who may make it)
TRANSITION_CASES = {
    "assign": ("received", lambda w: {"target_group_checked": "on", "nurse": str(w.nurse2.pk)}, {"planner"}),
    "reject": ("received", lambda w: {"note": "Geen zorgen gevonden."}, {"planner"}),
    "contact": ("assigned", lambda w: {}, {"planner", "nurse"}),
    "visit": ("in_contact", lambda w: {}, {"nurse"}),
    "follow_up": ("visited", lambda w: {}, {"nurse"}),
    "close": ("assigned", lambda w: {"reason": "declined"}, {"planner", "nurse"}),
}
#: Who sees a case of `nurse` at `jgz` (a case still in intake has no nurse: the planner only).
SEES_ASSIGNED_CASE = {"planner", "nurse"}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", list(TRANSITION_CASES))
def test_case_action_is_made_only_by_its_roles(world, name, persona):
    status, extra, allowed = TRANSITION_CASES[name]
    case = make_case(world, status)
    url = f"/trajecten/{case.pk}/actie/{name}/"

    response = browse_as(world, persona).post(url, {"version": case.version, **extra(world)})

    case.refresh_from_db()
    if persona == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")
        assert case.status == status
    elif persona in allowed:
        assert response.status_code == 302
        assert case.status != status
    elif persona in SEES_ASSIGNED_CASE and status != "received":
        # She sees the case but may not make this step: back to the case, nothing changed.
        assert response.status_code == 302
        assert response.url == f"/trajecten/{case.pk}/"
        assert case.status == status
    else:
        assert response.status_code == 404
        assert case.status == status
        assert AuditEntry.objects.filter(
            user=user_of(world, persona), outcome=Outcome.DENIED, case_id=case.pk, action=Action.UPDATE
        ).exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_case_action_is_post_only(world, persona):
    case = make_case(world, "assigned")
    response = browse_as(world, persona).get(f"/trajecten/{case.pk}/actie/contact/")
    assert response.status_code in (302, 405)
    if persona != "anonymous":
        assert response.status_code == 405


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_region_administrator_routes_an_unserved_case(world, persona):
    case = make_case(world, organisation=None)

    response = browse_as(world, persona).post(
        f"/trajecten/{case.pk}/doorzetten/", {"version": case.version, "organisation": world.jgz.pk}
    )

    case.refresh_from_db()
    if persona == "admin":
        assert response.status_code == 302
        assert case.organisation == world.jgz
    else:
        assert case.organisation is None
        if persona == "anonymous":
            assert response.status_code == 302
            assert response.url.startswith("/accounts/login/")
        else:
            assert response.status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_planner_gives_a_case_to_another_nurse(world, persona):
    case = make_case(world, "assigned")

    response = browse_as(world, persona).post(
        f"/trajecten/{case.pk}/andere-verpleegkundige/", {"version": case.version, "nurse": world.nurse2.pk}
    )

    case.refresh_from_db()
    if persona == "planner":
        assert response.status_code == 302
        assert case.nurse == world.nurse2
        return
    assert case.nurse == world.nurse
    if persona == "anonymous":
        assert response.url.startswith("/accounts/login/")
    elif persona == "nurse":
        assert response.status_code == 302
        assert response.url == f"/trajecten/{case.pk}/"
    else:
        assert response.status_code == 404


# --- The rules behind the matrix, by name -----------------------------------------------


def test_nurse_of_other_org_gets_404(world, client, login):
    case = make_case(world, "assigned")
    login(world.other_nurse)
    assert client.get(case.get_absolute_url()).status_code == 404


def test_planner_of_other_org_gets_404_and_does_not_see_the_case_in_her_queue(world, client, login):
    case = make_case(world, "received")
    login(world.other_planner)
    assert client.get(case.get_absolute_url()).status_code == 404
    assert case.client.last_name not in client.get("/trajecten/intake/").content.decode()


def test_nurse_does_not_see_a_colleagues_case_by_default(world, client, login):
    case = make_case(world, "assigned", nurse=world.nurse2)
    login(world.nurse)
    assert client.get(case.get_absolute_url()).status_code == 404


def test_nurse_sees_team_cases_where_the_organisation_allows_it_but_cannot_act_on_them(world, client, login):
    world.jgz.nurses_see_team_cases = True
    world.jgz.save()
    case = make_case(world, "assigned", nurse=world.nurse2)
    login(world.nurse)

    assert client.get(case.get_absolute_url()).status_code == 200
    response = client.post(f"/trajecten/{case.pk}/actie/contact/", {"version": case.version})

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED


def test_administrator_does_not_see_cases_that_an_organisation_serves(world, client, login):
    case = make_case(world, "received")
    login(world.admin)
    assert client.get(case.get_absolute_url()).status_code == 404


def test_referrer_does_not_see_another_referrers_referral(world, client, login):
    from . import factories as f

    referral = refer(world).referral
    colleague = f.UserFactory(email="colleague@example.org")
    f.MembershipFactory(user=colleague, organisation=world.practice, role="referrer")
    login(colleague)
    assert client.get(f"/aanmeldingen/{referral.pk}/").status_code == 404
    assert "Janssen" not in client.get("/aanmeldingen/").content.decode()


def test_missing_case_and_hidden_case_answer_the_same(world, client, login):
    case = make_case(world, "assigned")
    login(world.other_nurse)
    hidden = client.get(case.get_absolute_url())
    missing = client.get("/trajecten/999999/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content.replace(b"999999", str(case.pk).encode())


def test_municipality_officer_gets_no_individual_data_anywhere(world, client, login):
    referral = refer(world, first_name="Zwaantje", last_name="Zonderland").referral
    assigned = make_case(world, "assigned")
    names = {referral.case.client.first_name, referral.case.client.last_name, assigned.client.last_name}
    login(world.officer)

    urls = [
        referral.case.get_absolute_url(),
        assigned.get_absolute_url(),
        f"/trajecten/{assigned.pk}/actie/contact/",
        "/trajecten/intake/",
        "/trajecten/mijn/",
        "/trajecten/team/",
        f"/aanmeldingen/{referral.pk}/",
        "/aanmeldingen/",
        "/aanmeldingen/nieuw/",
        "/audit/",
        f"/audit/client/{assigned.client_id}/",
    ]
    for url in urls:
        method = client.post if "/actie/" in url else client.get
        assert method(url).status_code == 404, url

    figures = client.get("/monitoring/")
    assert figures.status_code == 200
    html = figures.content.decode()
    for name in names:
        assert name not in html
    # Nothing she did was a successful access to a client.
    assert not AuditEntry.objects.filter(user=world.officer, outcome=Outcome.SUCCESS, client_id__isnull=False).exists()


def test_denied_access_writes_an_audit_row_with_outcome_denied(world, client, login):
    case = make_case(world, "assigned")
    login(world.other_nurse)

    client.get(case.get_absolute_url(), REMOTE_ADDR="10.1.2.3")

    entry = AuditEntry.objects.get(outcome=Outcome.DENIED)
    assert entry.user == world.other_nurse
    assert entry.case_id == case.pk
    assert entry.action == Action.READ
    assert entry.ip_address == "10.1.2.3"
    assert entry.path == case.get_absolute_url()
    # The refused read left no trace of success.
    assert not AuditEntry.objects.filter(outcome=Outcome.SUCCESS, case_id=case.pk).exists()
    assert Case.objects.filter(pk=case.pk).exists()


def test_page_not_for_the_role_writes_a_denied_row_too(world, client, login):
    login(world.nurse)
    assert client.get("/audit/").status_code == 404
    assert AuditEntry.objects.filter(user=world.nurse, outcome=Outcome.DENIED, path="/audit/").count() == 1


def test_nurse_whose_membership_ended_no_longer_sees_her_cases(world, client, login):
    case = make_case(world, "assigned")
    world.nurse.memberships.update(is_active=False)
    login(world.nurse)

    assert client.get(case.get_absolute_url()).status_code == 404
    assert client.get("/trajecten/mijn/").status_code == 404


def test_referrer_of_two_practices_refers_on_behalf_of_the_one_she_chooses_and_no_other(world, client, login):
    from kansrijk.referrals.models import Referral

    from . import factories as f
    from .conftest import referral_data

    second_practice = f.OrganisationFactory(name="Tweede Praktijk", kind="midwifery", region=world.region)
    f.MembershipFactory(user=world.midwife, organisation=second_practice, role="referrer")
    login(world.midwife)
    assert "Tweede Praktijk" in client.get("/aanmeldingen/nieuw/").content.decode()

    client.post("/aanmeldingen/nieuw/", referral_data(world, organisation=str(second_practice.pk)))
    client.post("/aanmeldingen/nieuw/", referral_data(world, organisation=str(world.other_jgz.pk), last_name="Ander"))

    chosen, forged = Referral.objects.order_by("pk")
    assert chosen.referrer_organisation == second_practice
    assert forged.referrer_organisation == world.practice  # not an organisation she does not belong to
