"""The demo's nurse work: realistic records on the demo cases, loaded as often as you like."""

from io import StringIO

import pytest
from django.core.management import call_command

from kansrijk.care.models import Assessment, ContactAttempt, PlanAction, PlanGoal, Visit, VisitStatus
from kansrijk.care.selectors import agenda
from kansrijk.demo.management.commands.load_demo import DEMO_DOMAIN, demo_submission_key
from kansrijk.referrals.models import Referral


def load_demo():
    call_command("load_demo", stdout=StringIO())


def demo_case(key):
    return Referral.objects.get(submission_key=demo_submission_key(key)).case


@pytest.fixture
def demo(db, settings):
    settings.KANSRIJK_ALLOW_TEST_BSN = True
    load_demo()


def counts():
    return [m.objects.count() for m in (ContactAttempt, Visit, Assessment, PlanGoal, PlanAction)]


def test_the_second_load_adds_no_care_records(demo):
    before = counts()
    load_demo()
    assert counts() == before


def test_contact_attempts_tell_the_stories_of_c4_and_c5(demo):
    c4 = list(demo_case("c4").contact_attempts.values_list("method", "reached"))
    c5 = list(demo_case("c5").contact_attempts.values_list("method", "reached"))

    assert c4 == [("phone", False), ("text", False)]
    assert c5 == [("phone", False), ("phone", True)]
    assert demo_case("c4").status == "assigned"


def test_visits_of_each_form_and_planned_ones_for_both_nurses(demo):
    held_forms = set(Visit.objects.filter(status=VisitStatus.HELD).values_list("form", flat=True))
    assert {"home", "video", "phone"} <= held_forms
    for local in ("jvp1", "jvp2"):
        nurse = demo_case("c5" if local == "jvp1" else "c7").nurse
        assert nurse.email == f"{local}@{DEMO_DOMAIN}"
        assert agenda(nurse), local


def test_an_assessment_in_two_versions_and_a_plan_with_goals_and_actions(demo):
    c6, c7 = demo_case("c6"), demo_case("c7")

    assert list(c6.assessments.order_by("number").values_list("number", "support_needed")) == [
        (1, "light"),
        (2, "intensive"),
    ]
    assert c7.plan_goals.count() == 2
    assert PlanAction.objects.filter(goal__case=c7).count() == 3
    assert PlanAction.objects.filter(goal__case=c7, done_at__isnull=False).count() == 1
