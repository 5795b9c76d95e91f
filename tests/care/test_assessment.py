"""The assessment with the family: versions, nothing erased, prefill, and two people updating at once."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kansrijk.audit.models import Action
from kansrijk.care import services
from kansrijk.care.forms import AssessmentForm, assessment_initial
from kansrijk.care.models import Assessment, AssessmentDomain
from kansrijk.care.selectors import assessment_history, assessment_version, current_assessment
from kansrijk.care.services import DomainAssessment, assessment_record
from kansrijk.cases.services import ConcurrentEdit

from .. import factories as f
from .conftest import as_user, audit_rows, make_case


def record(world, case, user, *, based_on, support="light", questions="Hoe betalen we de huur?", **kwargs):
    domains = kwargs.pop(
        "domains",
        {
            world.domains[0].pk: DomainAssessment(
                situation="Schulden", risk_factors="Achterstand", protective_factors=""
            )
        },
    )
    return assessment_record(
        request=as_user(user),
        case=case,
        based_on=based_on,
        family_questions=questions,
        support_needed=support,
        conclusion="",
        domains=domains,
        **kwargs,
    )


@pytest.fixture
def visited(world):
    return make_case(world, "visited")


def test_the_first_assessment_is_version_one_with_its_domains_and_audited(world, visited):
    empty = {world.domains[1].pk: DomainAssessment()}
    assessment = record(
        world,
        visited,
        world.nurse,
        based_on=0,
        domains={world.domains[0].pk: DomainAssessment(risk_factors="Achterstand"), **empty},
    )

    assert assessment.number == 1
    assert list(assessment.domains.values_list("domain_id", "risk_factors")) == [(world.domains[0].pk, "Achterstand")]
    assert audit_rows(visited, Action.CREATE, description="assessment version 1 recorded").count() == 1


def test_an_update_adds_a_version_and_keeps_the_earlier_one_as_it_was(world, visited):
    record(world, visited, world.nurse, based_on=0, support="light", questions="Eerste vraag")
    record(world, visited, world.nurse, based_on=1, support="intensive", questions="Nieuwe vraag")

    current = current_assessment(visited)
    assert (current.number, current.support_needed, current.family_questions) == (2, "intensive", "Nieuwe vraag")
    first = assessment_version(visited, 1)
    assert (first.support_needed, first.family_questions) == ("light", "Eerste vraag")
    assert first.domains.count() == 1
    assert [a.number for a in assessment_history(visited)] == [2, 1]


def test_starting_from_an_old_version_is_refused(world, visited):
    record(world, visited, world.nurse, based_on=0)
    record(world, visited, world.planner, based_on=1)

    with pytest.raises(ConcurrentEdit, match="Someone else recorded a new version"):
        record(world, visited, world.nurse, based_on=1, questions="Mijn versie")
    assert Assessment.objects.filter(case=visited).count() == 2
    assert not Assessment.objects.filter(family_questions="Mijn versie").exists()


def test_two_nurses_saving_from_the_same_version_at_the_same_moment_the_second_is_refused(world, visited, monkeypatch):
    """Both read version 1 as the latest; the unique constraint (case, number) stops the second."""
    record(world, visited, world.nurse, based_on=0)
    record(world, visited, world.planner, based_on=1)  # the first of the two saved version 2
    monkeypatch.setattr(services, "_latest_number", lambda case: 1)  # the second one read before that

    with pytest.raises(ConcurrentEdit):
        record(world, visited, world.nurse, based_on=1, questions="Tweede")
    assert Assessment.objects.filter(case=visited).count() == 2
    assert not AssessmentDomain.objects.filter(assessment__family_questions="Tweede").exists()
    assert audit_rows(visited, Action.CREATE).count() == 2


def test_a_double_submit_records_one_version(world, visited):
    key = uuid.uuid4()
    first = record(world, visited, world.nurse, based_on=0, submission_key=key)
    second = record(world, visited, world.nurse, based_on=0, submission_key=key)

    assert first.pk == second.pk
    assert Assessment.objects.count() == 1


def test_the_familys_own_words_are_required(world, visited):
    with pytest.raises(ValidationError, match="in their words"):
        record(world, visited, world.nurse, based_on=0, questions="   ")


def test_an_unknown_support_level_is_refused(world, visited):
    with pytest.raises(ValidationError):
        record(world, visited, world.nurse, based_on=0, support="lots")


def test_a_domain_of_another_region_is_refused(world, visited):
    foreign = f.DomainFactory()  # its own region

    with pytest.raises(ValidationError, match="catalogue"):
        record(world, visited, world.nurse, based_on=0, domains={foreign.pk: DomainAssessment(situation="x")})
    assert not Assessment.objects.exists()


def test_an_inactive_domain_is_not_in_the_catalogue(world, visited):
    world.domains[1].is_active = False
    world.domains[1].save()

    assert list(services.assessment_domains(visited)) == [world.domains[0]]


@pytest.mark.parametrize("persona", ["nurse2", "other_nurse", "other_planner", "admin", "midwife"])
def test_only_the_cases_nurse_or_a_planner_records_the_assessment(world, visited, persona):
    with pytest.raises(PermissionDenied):
        record(world, visited, getattr(world, persona), based_on=0)


def test_the_form_for_a_new_version_is_prefilled_from_the_current_one(world, visited):
    record(
        world,
        visited,
        world.nurse,
        based_on=0,
        support="intensive",
        domains={world.domains[0].pk: DomainAssessment(situation="Schulden", protective_factors="Steun van zus")},
    )

    initial = assessment_initial(current_assessment(visited))
    form = AssessmentForm(initial=initial, domains=services.assessment_domains(visited))

    assert initial["based_on"] == 1
    assert initial["support_needed"] == "intensive"
    assert form[f"d{world.domains[0].pk}_protective_factors"].value() == "Steun van zus"
    assert form[f"d{world.domains[1].pk}_situation"].value() in (None, "")
    assert assessment_initial(None) == {"based_on": 0}
