"""Every page of the nurse's work against every persona: who gets it, who gets 404, and what is logged.

A page that is not for you answers 404 (as if nothing were there) and the refusal is written
to the audit log; a page of a case you may read but not work on (closed, or a team member's
case) answers 403 with the reason.
"""

import uuid
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone

from kansrijk.audit.models import Action, AuditEntry, Outcome
from kansrijk.care.models import Assessment, ContactAttempt, PlanAction, PlanGoal, Visit
from kansrijk.care.services import (
    DomainAssessment,
    action_create,
    assessment_record,
    goal_create,
    visit_plan,
    visit_record_held,
)
from kansrijk.cases.models import Case

from .conftest import as_user, held, make_case

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
    "privacy",
    "admin",
    "nobody",
]
WORKERS = {"planner", "nurse"}


@pytest.fixture
def things(world):
    """A case of `nurse` with a planned and a held visit, an assessment, a goal and an action."""
    case = make_case(world, "in_contact", received_at=timezone.now() - timedelta(days=10))
    request = as_user(world.nurse)
    planned = visit_plan(
        request=request, case=case, scheduled_at=timezone.now() + timedelta(days=2), form="home", location=""
    )
    held_visit = visit_record_held(request=request, case=case, held=held())
    assessment_record(
        request=request,
        case=case,
        based_on=0,
        family_questions="Wat kunnen we verwachten?",
        support_needed="light",
        domains={world.domains[0].pk: DomainAssessment(situation="Krap bij kas")},
    )
    goal = goal_create(request=request, case=case, goal="Rust in de financiën")
    action = action_create(request=request, goal=goal, action="Bellen met schuldhulp", responsible="Moeder")
    case.refresh_from_db()
    return SimpleNamespace(case=case, planned=planned, held=held_visit, goal=goal, action=action)


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


#: name -> (url template, personas answered 200 on GET)
PAGES = {
    "agenda": ("/zorg/agenda/", {"planner", "nurse", "nurse2", "other_nurse", "other_planner"}),
    "contact_new": ("/zorg/traject/{case}/contact/nieuw/", WORKERS),
    "visit_plan": ("/zorg/traject/{case}/bezoek/plannen/", WORKERS),
    "visit_new_held": ("/zorg/traject/{case}/bezoek/gehouden/", WORKERS),
    "assessment": ("/zorg/traject/{case}/inschatting/", WORKERS),
    "assessment_version": ("/zorg/traject/{case}/inschatting/1/", WORKERS),
    "assessment_new": ("/zorg/traject/{case}/inschatting/nieuw/", WORKERS),
    "goal_new": ("/zorg/traject/{case}/plan/doel/nieuw/", WORKERS),
    "visit_detail": ("/zorg/bezoek/{planned}/", WORKERS),
    "visit_detail_held": ("/zorg/bezoek/{held}/", WORKERS),
    "visit_report": ("/zorg/bezoek/{planned}/verslag/", WORKERS),
    "visit_correct": ("/zorg/bezoek/{held}/verslag/", WORKERS),
    "visit_reschedule": ("/zorg/bezoek/{planned}/verzetten/", WORKERS),
    "visit_cancel": ("/zorg/bezoek/{planned}/annuleren/", WORKERS),
    "goal_edit": ("/zorg/doel/{goal}/wijzigen/", WORKERS),
    "action_new": ("/zorg/doel/{goal}/actie/nieuw/", WORKERS),
    "action_edit": ("/zorg/actie/{action}/wijzigen/", WORKERS),
}

#: Pages that only read (a team member who sees the case may read them, but not work).
READ_ONLY = {"agenda", "assessment", "assessment_version", "visit_detail", "visit_detail_held"}


def url_of(template, things) -> str:
    return template.format(
        case=things.case.pk,
        planned=things.planned.pk,
        held=things.held.pk,
        goal=things.goal.pk,
        action=things.action.pk,
    )


def browse_as(world, persona) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    if persona != "anonymous":
        client.force_login(getattr(world, persona), backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", list(PAGES))
def test_page_answers_its_roles_and_404_to_everyone_else(world, things, page, persona):
    template, allowed = PAGES[page]
    url = url_of(template, things)

    response = browse_as(world, persona).get(url)

    if persona == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/?next=")
    elif persona in allowed:
        assert response.status_code == 200
        if page != "agenda":
            read = AuditEntry.objects.filter(user=getattr(world, persona), path=url, outcome=Outcome.SUCCESS)
            assert read.filter(action=Action.READ, case_id=things.case.pk).count() == 1
    else:
        assert response.status_code == 404
        denied = AuditEntry.objects.filter(user=getattr(world, persona), outcome=Outcome.DENIED, path=url)
        assert denied.count() == 1


def post_data(page, things) -> dict:
    now = timezone.now()
    key = str(uuid.uuid4())
    return {
        "contact_new": {
            "submission_key": key,
            "at": local(now - timedelta(minutes=5)),
            "method": "phone",
            "reached": "no",
        },
        "visit_plan": {"submission_key": key, "scheduled_at": local(now + timedelta(days=3)), "form": "video"},
        "visit_new_held": {
            "submission_key": key,
            "scheduled_at": local(now - timedelta(hours=3)),
            "form": "phone",
            "duration_minutes": "30",
        },
        "assessment_new": {
            "submission_key": key,
            "based_on": "1",
            "family_questions": "Nieuwe vraag",
            "support_needed": "intensive",
        },
        "goal_new": {"submission_key": key, "goal": "Een tweede doel"},
        "visit_report": {
            "version": "1",
            "scheduled_at": local(now - timedelta(hours=1)),
            "form": "home",
            "duration_minutes": "45",
        },
        "visit_reschedule": {"version": "1", "scheduled_at": local(now + timedelta(days=4)), "form": "video"},
        "visit_cancel": {"version": "1", "note": "Ziek"},
        "goal_edit": {"version": "1", "goal": "Andere woorden"},
        "action_new": {"submission_key": key, "action": "Nog iets", "responsible": "Vader"},
        "action_edit": {"version": "1", "action": "Anders", "responsible": "Vader"},
        "goal_achieved": {"version": "1", "done": "1"},
        "action_done": {"version": "1", "done": "1"},
    }[page]


POSTS = {
    **{name: PAGES[name][0] for name in PAGES if name not in READ_ONLY and name != "visit_correct"},
    "goal_achieved": "/zorg/doel/{goal}/bereikt/",
    "action_done": "/zorg/actie/{action}/klaar/",
}


def state(things):
    """Everything a POST could change."""
    return (
        ContactAttempt.objects.count(),
        list(Visit.objects.order_by("pk").values_list("status", "form", "version")),
        Assessment.objects.count(),
        list(PlanGoal.objects.order_by("pk").values_list("goal", "achieved_at", "version")),
        list(PlanAction.objects.order_by("pk").values_list("action", "done_at", "version")),
    )


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", list(POSTS))
def test_posting_changes_something_only_for_the_cases_nurse_or_a_planner(world, things, page, persona):
    url = url_of(POSTS[page], things)
    before = state(things)

    response = browse_as(world, persona).post(url, post_data(page, things))

    if persona == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")
        assert state(things) == before
    elif persona in WORKERS:
        assert response.status_code == 302, getattr(response, "context", {}) and response.context.get("form")
        assert state(things) != before
        assert (
            AuditEntry.objects.filter(
                user=getattr(world, persona), case_id=things.case.pk, action__in=[Action.CREATE, Action.UPDATE]
            )
            .exclude(description__contains="form")
            .exists()
        )
    else:
        assert response.status_code == 404
        assert state(things) == before
        assert AuditEntry.objects.filter(user=getattr(world, persona), outcome=Outcome.DENIED, path=url).count() == 1


@pytest.mark.parametrize("page", [p for p in POSTS if p not in READ_ONLY])
def test_a_team_member_who_may_read_the_case_gets_403_with_the_reason(world, things, page):
    world.jgz.nurses_see_team_cases = True
    world.jgz.save()
    url = url_of(POSTS[page], things)
    before = state(things)

    client = browse_as(world, "nurse2")
    response = client.post(url, post_data(page, things))

    assert response.status_code == 403
    assert "Only the nurse of this case or a planner of the team can record this." in response.content.decode()
    assert state(things) == before


@pytest.mark.parametrize("page", sorted(READ_ONLY - {"agenda"}))
def test_a_team_member_who_may_read_the_case_reads_the_records(world, things, page):
    world.jgz.nurses_see_team_cases = True
    world.jgz.save()

    assert browse_as(world, "nurse2").get(url_of(PAGES[page][0], things)).status_code == 200


@pytest.mark.parametrize("page", [p for p in PAGES if p not in READ_ONLY])
def test_the_forms_of_a_closed_case_answer_403_and_its_records_stay_readable(world, things, page):
    Case.objects.filter(pk=things.case.pk).update(status="closed", close_reason="moved")
    client = browse_as(world, "nurse")

    response = client.get(url_of(PAGES[page][0], things))

    assert response.status_code == 403
    assert "This case is closed" in response.content.decode()
    assert client.get(url_of(PAGES["assessment"][0], things)).status_code == 200
    assert client.get(url_of(PAGES["visit_detail"][0], things)).status_code == 200


def test_a_record_id_that_does_not_exist_answers_404(world, things):
    client = browse_as(world, "nurse")
    for url in ("/zorg/bezoek/999999/", "/zorg/doel/999999/wijzigen/", "/zorg/traject/999999/inschatting/"):
        assert client.get(url).status_code == 404
    assert client.get(f"/zorg/traject/{things.case.pk}/inschatting/7/").status_code == 404
