"""Every feedback, birth and handover URL against every persona.

The case belongs to `nurse` at `jgz`: she and the planner of `jgz` see it; everyone
else gets the same 404 as for a case that does not exist, written to the audit log
as denied. Anonymous visitors go to the login page.
"""

import pytest
from django.utils import timezone

from kansrijk.audit.models import AuditEntry, Outcome
from kansrijk.cases.models import Case
from kansrijk.feedback.models import Feedback, FeedbackStatus, Moment

from ..test_access_matrix import PERSONAS, browse_as, user_of
from .conftest import first_referral, referred_case

SEES_THE_CASE = {"planner", "nurse"}


@pytest.fixture
def draft(world):
    case = referred_case(world, "in_contact", birth_date=timezone.localdate())
    return Feedback.objects.create(case=case, referral=first_referral(case), moment=Moment.FIRST_CONTACT, text="x")


def assert_refused(world, persona, response, url):
    if persona == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")
    else:
        assert response.status_code == 404
        assert AuditEntry.objects.filter(user=user_of(world, persona), outcome=Outcome.DENIED, path=url).count() == 1


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", ["edit", "handover", "handover_pdf"])
def test_pages_answer_200_to_the_case_nurse_and_planner_only(world, draft, persona, page):
    url = {
        "edit": f"/terugkoppeling/traject/{draft.case_id}/{draft.pk}/",
        "handover": f"/terugkoppeling/traject/{draft.case_id}/overdracht/",
        "handover_pdf": f"/terugkoppeling/traject/{draft.case_id}/overdracht.pdf",
    }[page]

    response = browse_as(world, persona).get(url)

    if persona in SEES_THE_CASE:
        assert response.status_code == 200
    else:
        assert_refused(world, persona, response, url)


@pytest.mark.parametrize("persona", PERSONAS)
def test_drafting_is_for_the_case_nurse_and_planner_only(world, persona):
    case = referred_case(world, "in_contact")
    url = f"/terugkoppeling/traject/{case.pk}/opstellen/"

    response = browse_as(world, persona).post(url, {"referral": first_referral(case).pk, "moment": "first_contact"})

    if persona in SEES_THE_CASE:
        assert response.status_code == 302
        assert Feedback.objects.filter(case=case).count() == 1
    else:
        assert_refused(world, persona, response, url)
        assert not Feedback.objects.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_sending_is_for_the_case_nurse_and_planner_only(world, draft, persona):
    url = f"/terugkoppeling/traject/{draft.case_id}/{draft.pk}/"

    response = browse_as(world, persona).post(url, {"version": 1, "text": "Nieuws", "send": "1"})

    draft.refresh_from_db()
    if persona in SEES_THE_CASE:
        assert response.status_code == 302
        assert draft.status == FeedbackStatus.SENT
    else:
        assert_refused(world, persona, response, url)
        assert (draft.status, draft.text) == (FeedbackStatus.DRAFT, "x")


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_case_nurse_records_the_birth(world, persona):
    case = referred_case(world, "visited")
    url = f"/terugkoppeling/traject/{case.pk}/geboorte/"
    today = timezone.localdate().isoformat()

    response = browse_as(world, persona).post(url, {"version": case.version, "birth_date": today})

    birth_date = Case.objects.get(pk=case.pk).birth_date
    if persona == "nurse":
        assert response.status_code == 302
        assert birth_date is not None
    elif persona == "planner":  # she sees the case, but the birth is the nurse's to record
        assert response.status_code == 302 and response.url == case.get_absolute_url()
        assert birth_date is None
    else:
        assert_refused(world, persona, response, url)
        assert birth_date is None


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", ["opstellen", "geboorte"])
def test_the_post_only_urls_refuse_a_get(world, persona, action):
    case = referred_case(world, "in_contact")
    response = browse_as(world, persona).get(f"/terugkoppeling/traject/{case.pk}/{action}/")
    assert response.status_code == (302 if persona == "anonymous" else 405)


def test_a_feedback_of_another_case_is_not_found_through_a_case_she_sees(world, draft, client, login):
    mine = referred_case(world, "in_contact")
    login(world.nurse)
    assert client.get(f"/terugkoppeling/traject/{mine.pk}/{draft.pk}/").status_code == 404
