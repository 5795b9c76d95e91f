"""Gaps (lacunes): a need with no fitting offer, recorded from the case in its municipality."""

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from kansrijk.audit.models import Action, AuditEntry
from kansrijk.followup.models import Gap, GapReason
from kansrijk.followup.services import gap_record

from ..conftest import http_request, make_case
from ..factories import DomainFactory, RegionFactory

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


def record(world, case, user=None, **kwargs):
    values = {"domain": world.domains[1], "need": "Woonruimte vóór de bevalling.", "reason": GapReason.WAITING_TOO_LONG}
    values.update(kwargs)
    return gap_record(request=http_request(user or world.nurse), case=case, **values)


def test_a_gap_is_recorded_in_the_cases_municipality_with_an_audit_row(world):
    case = make_case(world, "visited", municipality=world.heerlen)
    with time_machine.travel(T0, tick=False):
        gap, created = record(world, case)

    assert created
    assert (gap.municipality, gap.domain, gap.reason, gap.created_by, gap.created_at) == (
        world.heerlen,
        world.domains[1],
        GapReason.WAITING_TOO_LONG,
        world.nurse,
        T0,
    )
    entry = AuditEntry.objects.get(action=Action.CREATE, case_id=case.pk)
    assert (entry.user, entry.client_id) == (world.nurse, case.client_id)


def test_the_planner_records_a_gap_too(world):
    _, created = record(world, make_case(world, "visited"), user=world.planner)
    assert created


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"need": "  "}, "what was needed"),
        ({"reason": "bored"}, "why nothing fitted"),
        ({"reason": GapReason.OTHER}, "Explain"),
    ],
)
def test_a_gap_needs_the_need_and_a_known_reason_and_other_needs_an_explanation(world, kwargs, message):
    with translation.override("en"), pytest.raises(ValidationError, match=message):
        record(world, make_case(world, "visited"), **kwargs)
    assert not Gap.objects.exists()


def test_other_with_an_explanation_is_fine(world):
    gap, _ = record(world, make_case(world, "visited"), reason=GapReason.OTHER, explanation="Vervoer ontbreekt")
    assert gap.explanation == "Vervoer ontbreekt"


def test_a_domain_of_another_region_is_refused(world):
    with pytest.raises(ValidationError):
        record(world, make_case(world, "visited"), domain=DomainFactory(region=RegionFactory(name="Elders")))


@pytest.mark.parametrize("who", ["nurse2", "other_nurse", "provider", "officer"])
def test_only_the_nurse_or_planner_of_the_case_records_a_gap(world, who):
    with pytest.raises(PermissionDenied):
        record(world, make_case(world, "visited"), user=getattr(world, who))


def test_no_gap_on_a_closed_case(world):
    with pytest.raises(PermissionDenied):
        record(world, make_case(world, "closed"))


def test_the_same_submission_twice_records_one_gap(world):
    case = make_case(world, "visited")
    key = uuid.uuid4()
    first, created = record(world, case, submission_key=key)
    again, created_again = record(world, case, submission_key=key)
    assert created and not created_again
    assert first == again
    assert Gap.objects.count() == 1


def test_the_gap_form_records_once_on_a_double_post_and_lists_it_on_the_case(world, client, login):
    case = make_case(world, "visited", municipality=world.beek)
    login(world.nurse)
    data = {
        "submission_key": str(uuid.uuid4()),
        "domain": world.domains[0].pk,
        "need": "Budgetcursus in het Arabisch.",
        "reason": GapReason.LANGUAGE,
    }
    first = client.post(f"/vervolg/traject/{case.pk}/lacune/", data)
    second = client.post(f"/vervolg/traject/{case.pk}/lacune/", data)

    assert first.status_code == second.status_code == 302
    gap = Gap.objects.get()
    assert gap.municipality == world.beek
    html = client.get(case.get_absolute_url()).content.decode()
    assert "Budgetcursus in het Arabisch." in html


def test_the_gap_form_shows_errors_and_records_nothing(world, client, login):
    case = make_case(world, "visited")
    login(world.nurse)
    response = client.post(
        f"/vervolg/traject/{case.pk}/lacune/",
        {"submission_key": str(uuid.uuid4()), "domain": world.domains[0].pk, "need": "x", "reason": "other"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["explanation"]
    assert not Gap.objects.exists()
