"""The pages as a nurse uses them: forms, refusals shown on the form, the case page section."""

import re
import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from kansrijk.care.models import Assessment, ContactAttempt, PlanGoal, Visit
from kansrijk.care.services import DomainAssessment, assessment_record, contact_attempt_record, visit_plan
from kansrijk.cases.models import Case

from .conftest import as_user, make_case


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def browser(world):
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(world.nurse, backend="django.contrib.auth.backends.ModelBackend")
    return client


def errors(response) -> str:
    return " ".join(response.context["form"].non_field_errors()) + str(response.context["form"].errors)


def test_recording_a_reached_contact_on_the_page_moves_the_case_and_returns_to_it(world, browser, assigned):
    response = browser.post(
        f"/zorg/traject/{assigned.pk}/contact/nieuw/",
        {"submission_key": str(uuid.uuid4()), "at": local(timezone.now()), "method": "door", "reached": "yes"},
    )

    assert response.status_code == 302
    assert response.url == f"/trajecten/{assigned.pk}/#care-contacts"
    assert Case.objects.get(pk=assigned.pk).status == "in_contact"


def test_the_same_form_sent_twice_records_once(world, browser, assigned):
    data = {"submission_key": str(uuid.uuid4()), "at": local(timezone.now()), "method": "phone", "reached": "no"}
    browser.post(f"/zorg/traject/{assigned.pk}/contact/nieuw/", data)
    browser.post(f"/zorg/traject/{assigned.pk}/contact/nieuw/", data)

    assert ContactAttempt.objects.count() == 1


@pytest.mark.parametrize(
    ("minutes", "when", "message"),
    [
        ("0", -1, "greater than or equal to 1"),
        ("-20", -1, "greater than or equal to 1"),
        ("600", -1, "less than or equal to 480"),
        ("60", 2, "A visit in the future cannot have been held"),
        ("60", -24 * 30, "A visit cannot be earlier than the referral"),
    ],
)
def test_bad_input_on_the_held_visit_form_is_shown_and_nothing_saved(world, browser, minutes, when, message):
    case = make_case(world, "in_contact", received_at=timezone.now() - timedelta(days=2))
    response = browser.post(
        f"/zorg/traject/{case.pk}/bezoek/gehouden/",
        {
            "submission_key": str(uuid.uuid4()),
            "scheduled_at": local(timezone.now() + timedelta(hours=when)),
            "form": "home",
            "duration_minutes": minutes,
        },
    )

    assert response.status_code == 400
    assert message in errors(response)
    assert not Visit.objects.exists()
    assert Case.objects.get(pk=case.pk).status == "in_contact"


def test_planning_a_visit_in_the_past_points_to_recording_it_as_held(world, browser, assigned):
    response = browser.post(
        f"/zorg/traject/{assigned.pk}/bezoek/plannen/",
        {
            "submission_key": str(uuid.uuid4()),
            "scheduled_at": local(timezone.now() - timedelta(days=1)),
            "form": "home",
        },
    )

    assert response.status_code == 400
    assert "record it as a visit held" in errors(response)


def test_a_stale_visit_form_is_refused_with_a_clear_message(world, browser, assigned):
    visit = visit_plan(
        request=as_user(world.planner),
        case=assigned,
        scheduled_at=timezone.now() + timedelta(days=2),
        form="home",
        location="",
    )
    Visit.objects.filter(pk=visit.pk).update(version=2, location="Consultatiebureau")  # the planner moved it meanwhile

    response = browser.post(
        f"/zorg/bezoek/{visit.pk}/verzetten/",
        {"version": "1", "scheduled_at": local(timezone.now() + timedelta(days=5)), "form": "video"},
    )

    assert response.status_code == 400
    assert "Someone else changed this while you were working on it" in errors(response)
    visit.refresh_from_db()
    assert (visit.form, visit.location) == ("home", "Consultatiebureau")


def test_two_nurses_updating_the_assessment_from_the_same_version_the_second_is_told(world, browser):
    case = make_case(world, "visited")
    assessment_record(
        request=as_user(world.nurse),
        case=case,
        based_on=0,
        family_questions="Eerste",
        support_needed="light",
        domains={},
    )
    planner = Client()
    planner.cookies["django_language"] = "en"
    planner.force_login(world.planner, backend="django.contrib.auth.backends.ModelBackend")
    url = f"/zorg/traject/{case.pk}/inschatting/nieuw/"
    mine = browser.get(url).context["form"].initial
    theirs = planner.get(url).context["form"].initial
    assert mine["based_on"] == theirs["based_on"] == 1

    def send(client, text):
        return client.post(
            url,
            {"submission_key": str(uuid.uuid4()), "based_on": "1", "family_questions": text, "support_needed": "light"},
        )

    assert send(planner, "Versie van de planner").status_code == 302
    response = send(browser, "Versie van de verpleegkundige")

    assert response.status_code == 400
    assert "Someone else recorded a new version of the assessment" in errors(response)
    assert list(Assessment.objects.filter(case=case).order_by("number").values_list("family_questions", flat=True)) == [
        "Eerste",
        "Versie van de planner",
    ]


def test_the_assessment_form_starts_from_the_current_version(world, browser):
    case = make_case(world, "visited")
    assessment_record(
        request=as_user(world.nurse),
        case=case,
        based_on=0,
        family_questions="Wat als de huur omhoog gaat?",
        support_needed="intensive",
        domains={world.domains[1].pk: DomainAssessment(risk_factors="Tocht en schimmel")},
    )

    page = browser.get(f"/zorg/traject/{case.pk}/inschatting/nieuw/").content.decode()

    assert "Wat als de huur omhoog gaat?" in page
    assert "Tocht en schimmel" in page
    assert re.search(r'value="intensive"[^>]*checked', page)
    assert not re.search(r'value="light"[^>]*checked', page)


def test_the_case_page_shows_the_work_and_the_unreachable_rule(world, browser, assigned):
    contact_attempt_record(
        request=as_user(world.nurse), case=assigned, at=timezone.now(), method="letter", reached=False, note="Brief"
    )

    page = browser.get(f"/trajecten/{assigned.pk}/").content.decode()

    for anchor in ("care-contacts", "care-visits", "care-assessment", "care-plan"):
        assert f'id="{anchor}"' in page
    assert "Brief" in page
    assert "A case may be closed as unreachable after at least 3 failed contact attempts" in page
    assert f"/zorg/traject/{assigned.pk}/contact/nieuw/" in page


def test_the_case_page_of_a_closed_case_shows_the_records_without_the_buttons(world, browser, assigned):
    contact_attempt_record(request=as_user(world.nurse), case=assigned, at=timezone.now(), method="phone", reached=True)
    Case.objects.filter(pk=assigned.pk).update(status="closed", close_reason="moved")

    page = browser.get(f"/trajecten/{assigned.pk}/").content.decode()

    assert 'id="care-contacts"' in page
    assert "Reached" in page
    assert "/contact/nieuw/" not in page
    assert "unreachable after" not in page


def test_a_case_in_intake_has_no_care_section(world):
    planner = Client()
    planner.force_login(world.planner, backend="django.contrib.auth.backends.ModelBackend")
    case = make_case(world, "received")

    assert 'id="care-contacts"' not in planner.get(f"/trajecten/{case.pk}/").content.decode()


def test_closing_as_unreachable_on_the_case_page_is_refused_with_the_rule(world, browser, assigned):
    response = browser.post(
        f"/trajecten/{assigned.pk}/actie/close/", {"version": assigned.version, "reason": "unreachable"}, follow=True
    )

    assert "only after at least 3 failed contact attempts spread over at least 14 days" in response.content.decode()
    assert Case.objects.get(pk=assigned.pk).status == "assigned"


def test_marking_an_action_done_from_the_case_page_with_a_stale_version_says_so(world, browser):
    case = make_case(world, "visited")
    goal = PlanGoal.objects.create(case=case, goal="Doel", created_by=world.nurse, version=3)

    response = browser.post(f"/zorg/doel/{goal.pk}/bereikt/", {"version": "2", "done": "1"}, follow=True)

    assert "Someone else changed this" in response.content.decode()
    goal.refresh_from_db()
    assert goal.achieved_at is None
