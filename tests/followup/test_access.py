"""Every follow-up URL against every persona: 200 (or the change made) for its roles, 404 with a denied
audit row for everyone else, the login page for visitors."""

import uuid
from types import SimpleNamespace

import pytest

from kansrijk.audit.models import AuditEntry, Outcome
from kansrijk.followup.models import FollowUp, FollowUpStatus, Gap

from ..conftest import make_case
from ..test_access_matrix import PERSONAS, browse_as, user_of
from .conftest import OfferFactory, put_follow_up

JGZ_OF_THE_CASE = {"planner", "nurse"}


@pytest.fixture
def things(world, offer):
    case = make_case(world, "follow_up")
    other_offer = OfferFactory(region=world.region, provider=world.provider_org, municipalities=[world.maastricht])
    third_offer = OfferFactory(region=world.region, provider=None, municipalities=[world.maastricht])
    return SimpleNamespace(
        case=case,
        offer=offer,
        third_offer=third_offer,
        sent=put_follow_up(world, offer=offer, case=case, status=FollowUpStatus.SENT),
        proposed=put_follow_up(world, offer=other_offer, case=case, status=FollowUpStatus.PROPOSED),
    )


PAGES = {
    "pick_offer": ("/vervolg/traject/{case}/aanbod/", JGZ_OF_THE_CASE),
    "gap_form": ("/vervolg/traject/{case}/lacune/", JGZ_OF_THE_CASE),
    "follow_up_detail": ("/vervolg/traject/{case}/{sent}/", JGZ_OF_THE_CASE),
    "proposed_detail": ("/vervolg/traject/{case}/{proposed}/", JGZ_OF_THE_CASE),
    "provider_list": ("/vervolg/aanbieder/", {"provider"}),
    "provider_detail": ("/vervolg/aanbieder/{sent}/", {"provider"}),
    "provider_detail_of_a_proposal": ("/vervolg/aanbieder/{proposed}/", set()),
}


def _url(template, things):
    return template.format(case=things.case.pk, sent=things.sent.pk, proposed=things.proposed.pk)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", list(PAGES))
def test_page_answers_its_roles_and_404_to_everyone_else(world, things, page, persona):
    template, allowed = PAGES[page]
    url = _url(template, things)

    response = browse_as(world, persona).get(url)

    user = user_of(world, persona)
    if persona == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/?next=")
    elif persona in allowed:
        assert response.status_code == 200
        # The read of the client's data is in the audit log.
        assert AuditEntry.objects.filter(
            user=user, outcome=Outcome.SUCCESS, path=url, client_id=things.case.client_id
        ).exists()
    else:
        assert response.status_code == 404
        assert AuditEntry.objects.filter(user=user, outcome=Outcome.DENIED, path=url).count() == 1
        assert not AuditEntry.objects.filter(user=user, outcome=Outcome.SUCCESS, client_id__isnull=False).exists()


#: action -> (url template, POST data, who may, did it happen?)
ACTIONS = {
    "refer": (
        "/vervolg/traject/{case}/aanbod/verwijzen/",
        lambda t: {"offer": t.third_offer.pk},
        JGZ_OF_THE_CASE,
        lambda t: FollowUp.objects.filter(offer=t.third_offer).exists(),
    ),
    "send": (
        "/vervolg/traject/{case}/{proposed}/verzenden/",
        lambda t: {"version": 1, "shared_with_provider": "Mag gebeld worden.", "consent": "on"},
        JGZ_OF_THE_CASE,
        lambda t: FollowUp.objects.get(pk=t.proposed.pk).status == FollowUpStatus.SENT,
    ),
    "change": (
        "/vervolg/traject/{case}/{sent}/status/",
        lambda t: {"version": 1, "change": "accept"},
        JGZ_OF_THE_CASE,
        lambda t: FollowUp.objects.get(pk=t.sent.pk).status == FollowUpStatus.ACCEPTED,
    ),
    "gap": (
        "/vervolg/traject/{case}/lacune/",
        lambda t: {
            "submission_key": str(uuid.uuid4()),
            "domain": t.offer.domains.get().pk,
            "need": "Iets dat er niet is.",
            "reason": "none_exists",
        },
        JGZ_OF_THE_CASE,
        lambda t: Gap.objects.exists(),
    ),
    "provider_change": (
        "/vervolg/aanbieder/{sent}/",
        lambda t: {"version": 1, "change": "accept"},
        {"provider"},
        lambda t: FollowUp.objects.get(pk=t.sent.pk).status == FollowUpStatus.ACCEPTED,
    ),
    "provider_change_of_a_proposal": (
        "/vervolg/aanbieder/{proposed}/",
        lambda t: {"version": 1, "change": "accept"},
        set(),
        lambda t: FollowUp.objects.get(pk=t.proposed.pk).status != FollowUpStatus.PROPOSED,
    ),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_action_is_made_only_by_its_roles(world, things, action, persona):
    template, data, allowed, happened = ACTIONS[action]
    url = _url(template, things)

    response = browse_as(world, persona).post(url, data(things))

    if persona == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")
        assert not happened(things)
    elif persona in allowed:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert happened(things)
    else:
        assert response.status_code == 404
        assert not happened(things)
        assert AuditEntry.objects.filter(user=user_of(world, persona), outcome=Outcome.DENIED, path=url).exists()


@pytest.mark.parametrize("url", ["/vervolg/traject/{case}/{sent}/verzenden/", "/vervolg/traject/{case}/{sent}/status/"])
def test_the_nurses_actions_are_post_only(world, things, login, client, url):
    login(world.nurse)
    assert client.get(_url(url, things)).status_code == 405


def test_a_nurse_who_sees_a_team_case_but_is_not_its_nurse_reads_but_does_not_act(world, things, login, client):
    world.jgz.nurses_see_team_cases = True
    world.jgz.save()
    login(world.nurse2)

    assert client.get(_url("/vervolg/traject/{case}/{sent}/", things)).status_code == 200
    assert client.get(_url("/vervolg/traject/{case}/aanbod/", things)).status_code == 302  # back to the case
    response = client.post(_url("/vervolg/traject/{case}/{sent}/status/", things), {"version": 1, "change": "accept"})

    assert response.status_code == 302  # back, with a message; nothing changed
    assert FollowUp.objects.get(pk=things.sent.pk).status == FollowUpStatus.SENT
