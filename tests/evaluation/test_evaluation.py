"""Evaluation questionnaires: invitations after a held visit, anonymous one-time answers in the family's
language, professionals once per round, results under the small-number rule."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kansrijk.audit.models import AuditEntry
from kansrijk.care.models import Visit
from kansrijk.evaluation import services
from kansrijk.evaluation.models import Answer, Invitation, Participation, Response
from tests.conftest import make_case

pytestmark = pytest.mark.django_db

PARENT_ANSWERS = {"listened": "5", "clear": "4", "helped": "4", "language": "yes", "recommend": "yes", "better": ""}
PRO_ANSWERS = {"referring": "4", "feedback": "3", "follow_up": "2", "social_map": "4", "together": "5", "better": ""}


def held_visit(world, nurse=None):
    case = make_case(world, "visited", nurse=nurse or world.nurse)
    return Visit.objects.create(
        case=case, nurse=case.nurse, status="held", scheduled_at=timezone.now() - timedelta(days=1), duration_minutes=60
    )


def invite(world, client, login, language="ar"):
    visit = held_visit(world)
    login(world.nurse)
    response = client.post(f"/evaluatie/uitnodigen/{visit.pk}/", {"language": language})
    assert response.status_code == 302
    return Invitation.objects.get(), visit


def test_the_nurse_invites_after_a_held_visit_and_the_card_has_the_link(world, client, login):
    invitation, visit = invite(world, client, login)
    assert invitation.municipality == world.maastricht and invitation.language == "ar"
    card = client.get(f"/evaluatie/uitnodiging/{invitation.pk}/")
    assert invitation.token in card.content.decode() and "<svg" in card.content.decode()
    assert AuditEntry.objects.filter(
        user=world.nurse, case_id=visit.case_id, description="evaluation invitation"
    ).exists()
    # Nothing links the invitation to the case, the client or the visit.
    names = {f.name for f in Invitation._meta.get_fields()} | {f.name for f in Response._meta.get_fields()}
    assert not names & {"case", "client", "visit"}


def test_only_who_works_on_the_case_may_invite_and_only_the_maker_sees_the_card(world, client, login):
    visit = held_visit(world)
    for persona in ("other_nurse", "midwife", "officer"):
        login(getattr(world, persona))
        assert client.post(f"/evaluatie/uitnodigen/{visit.pk}/", {"language": "nl"}).status_code == 404
    login(world.nurse)
    client.post(f"/evaluatie/uitnodigen/{visit.pk}/", {"language": "nl"})
    invitation = Invitation.objects.get()
    login(world.nurse2)
    assert client.get(f"/evaluatie/uitnodiging/{invitation.pk}/").status_code == 404


def test_a_planned_visit_cannot_be_evaluated_yet(world, client, login):
    visit = held_visit(world)
    Visit.objects.filter(pk=visit.pk).update(status="planned", duration_minutes=None)
    login(world.nurse)
    assert client.get(f"/evaluatie/uitnodigen/{visit.pk}/").status_code == 404


def test_the_family_answers_once_in_her_language(world, client, login):
    invitation, _visit = invite(world, client, login, language="ar")
    client.logout()
    page = client.get(f"/evaluatie/ouders/{invitation.token}/")
    html = page.content.decode()
    assert page.status_code == 200 and 'lang="ar"' in html and 'dir="rtl"' in html

    missing = client.post(f"/evaluatie/ouders/{invitation.token}/", {**PARENT_ANSWERS, "clear": ""})
    assert missing.status_code == 400 and "clear" in missing.context["form"].errors
    assert 'value="5" checked' in missing.content.decode() or "checked" in missing.content.decode()

    done = client.post(f"/evaluatie/ouders/{invitation.token}/", {**PARENT_ANSWERS, "better": "Meer tijd"})
    assert done.status_code == 200
    again = client.post(f"/evaluatie/ouders/{invitation.token}/", PARENT_ANSWERS)
    assert again.context["reason"] == "answered"
    response = Response.objects.get()
    assert response.municipality == world.maastricht and response.questionnaire == "parent"
    assert Answer.objects.filter(response=response).count() == 6
    assert Answer.objects.get(question="better").text == "Meer tijd"


def test_an_expired_or_unknown_link_says_so(world, client, login):
    invitation, _visit = invite(world, client, login)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(days=1))
    assert client.get(f"/evaluatie/ouders/{invitation.token}/").status_code == 410
    assert client.post(f"/evaluatie/ouders/{invitation.token}/", PARENT_ANSWERS).status_code == 410
    assert client.get("/evaluatie/ouders/nonsense/").status_code == 404
    assert not Response.objects.exists()


def test_a_professional_answers_once_per_round_and_anonymously(world, client, login):
    login(world.midwife)
    assert client.post("/evaluatie/professionals/", {**PRO_ANSWERS, "together": ""}).status_code == 400
    assert client.post("/evaluatie/professionals/", PRO_ANSWERS).status_code == 302
    assert client.post("/evaluatie/professionals/", PRO_ANSWERS).status_code == 200  # "you already answered"
    assert Response.objects.filter(questionnaire="professional").count() == 1
    assert Participation.objects.filter(user=world.midwife, round=services.current_round()).count() == 1
    response = Response.objects.get()
    assert response.role == "referrer" and response.organisation is None and response.municipality is None
    login(world.officer)
    assert client.get("/evaluatie/professionals/").status_code == 404


def test_results_hide_small_numbers_and_free_texts_go_to_the_team_lead_only(world, client, login):
    for n in range(6):
        invitation = services.create_invitation(visit=held_visit(world), language="nl", user=world.nurse)
        services.answer_as_parent(
            invitation.token, {**PARENT_ANSWERS, "listened": "5" if n < 4 else "1", "better": f"Tekst {n}"}
        )
    login(world.officer)
    page = client.get("/evaluatie/resultaten/")
    assert page.status_code == 200
    listened = next(f for f in page.context["parent_figures"] if f.key == "parent_listened")
    by_answer = dict(
        zip(
            [v for v, _l in __import__("kansrijk.desk.questionnaire_parent", fromlist=["SCALE"]).SCALE],
            listened.cells,
            strict=True,
        )
    )
    assert by_answer["1"][0].text == "< 5" and by_answer["5"][0].text == "< 5"
    assert page.context["free_texts"] is None and "Tekst 1" not in page.content.decode()
    login(world.planner)
    page = client.get("/evaluatie/resultaten/")
    assert sorted(page.context["free_texts"]) == [f"Tekst {n}" for n in range(6)]
    for persona in ("nurse", "midwife", "nobody"):
        login(getattr(world, persona))
        assert client.get("/evaluatie/resultaten/").status_code == 404


def test_results_query_count_does_not_grow_with_responses(world, client, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(world.officer)
    client.get("/evaluatie/resultaten/")
    with CaptureQueriesContext(connection) as few:
        client.get("/evaluatie/resultaten/")
    for _n in range(8):
        invitation = services.create_invitation(visit=held_visit(world), language="nl", user=world.nurse)
        services.answer_as_parent(invitation.token, PARENT_ANSWERS)
    with CaptureQueriesContext(connection) as many:
        client.get("/evaluatie/resultaten/")
    assert len(many) == len(few)


def test_every_results_table_downloads(world, client, login):
    import io

    from openpyxl import load_workbook

    login(world.officer)
    book = load_workbook(io.BytesIO(client.get("/evaluatie/resultaten/?export=xlsx").content))
    assert "evaluation_totals" in book.sheetnames and "parent_listened" in book.sheetnames
    csv = client.get("/evaluatie/resultaten/?export=parent_listened")
    assert csv["Content-Type"].startswith("text/csv")
