"""A follow-up with no status change for KANSRIJK_STAGNATION_DAYS while support has not started is stagnating."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from kansrijk.followup.models import FollowUp, FollowUpStatus
from kansrijk.followup.selectors import case_follow_ups, stagnating, stagnating_for_nurse, stagnating_for_team
from kansrijk.followup.services import follow_up_change, follow_up_propose, follow_up_send

from ..conftest import http_request, make_case
from .conftest import OfferFactory, put_follow_up

S = FollowUpStatus
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
DAY = timedelta(days=1)


def _sent_at_t0(world, offer, case=None):
    case = case or make_case(world, "visited")
    with time_machine.travel(T0, tick=False):
        follow_up, _ = follow_up_propose(request=http_request(world.nurse), case=case, offer=offer)
        follow_up_send(
            request=http_request(world.nurse),
            follow_up=follow_up,
            shared_with_provider="x",
            share_phone=False,
            consent=True,
        )
    return follow_up


def _is_stagnating(follow_up) -> bool:
    return stagnating(FollowUp.objects.filter(pk=follow_up.pk)).exists()


def test_a_sent_follow_up_stagnates_after_fourteen_days_without_change(world, offer):
    follow_up = _sent_at_t0(world, offer)

    with time_machine.travel(T0 + 14 * DAY - timedelta(minutes=1), tick=False):
        assert not _is_stagnating(follow_up)
    with time_machine.travel(T0 + 14 * DAY + timedelta(minutes=1), tick=False):
        assert _is_stagnating(follow_up)


def test_a_status_change_ends_the_stagnation_until_the_next_period(world, offer):
    follow_up = _sent_at_t0(world, offer)
    with time_machine.travel(T0 + 20 * DAY, tick=False):
        follow_up_change(request=http_request(world.provider), follow_up=follow_up, name="accept")
        assert not _is_stagnating(follow_up)
    with time_machine.travel(T0 + 35 * DAY, tick=False):
        assert _is_stagnating(follow_up)


@pytest.mark.parametrize("status", [S.STARTED, S.ENDED, S.DECLINED_FAMILY, S.DECLINED_PROVIDER])
def test_support_that_started_or_ended_never_stagnates(world, offer, status):
    with time_machine.travel(T0, tick=False):
        follow_up = put_follow_up(world, offer=offer, status=status)
    with time_machine.travel(T0 + 100 * DAY, tick=False):
        assert not _is_stagnating(follow_up)


@pytest.mark.parametrize("status", [S.PROPOSED, S.SENT, S.ACCEPTED, S.WAITING_LIST])
def test_every_open_status_can_stagnate(world, offer, status):
    with time_machine.travel(T0, tick=False):
        follow_up = put_follow_up(world, offer=offer, status=status)
    with time_machine.travel(T0 + 15 * DAY, tick=False):
        assert _is_stagnating(follow_up)


def test_the_number_of_days_is_a_setting(world, offer, settings):
    settings.KANSRIJK_STAGNATION_DAYS = 3
    follow_up = _sent_at_t0(world, offer)
    with time_machine.travel(T0 + 3 * DAY + timedelta(minutes=1), tick=False):
        assert _is_stagnating(follow_up)


@pytest.fixture
def stalled(world, offer, other_provider):
    """Stagnating follow-ups: one of `nurse`, one of `nurse2`, one at the other JGZ, one on a closed case;
    and a fresh one of `nurse`."""
    with time_machine.travel(T0, tick=False):
        mine = put_follow_up(world, offer=offer, case=make_case(world, "follow_up"))
        colleagues = put_follow_up(world, offer=offer, case=make_case(world, "follow_up", nurse=world.nurse2))
        elsewhere = put_follow_up(
            world,
            offer=other_provider.offer,
            case=make_case(world, "follow_up", organisation=world.other_jgz, nurse=world.other_nurse),
        )
        closed = put_follow_up(world, offer=offer, case=make_case(world, "closed"))
    with time_machine.travel(T0 + 10 * DAY, tick=False):
        fresh = put_follow_up(world, offer=OfferFactory(region=world.region, provider=None), case=mine.case)
    return {"mine": mine, "colleagues": colleagues, "elsewhere": elsewhere, "closed": closed, "fresh": fresh}


def test_the_nurse_sees_the_stagnating_follow_ups_of_her_own_open_cases(world, stalled):
    with time_machine.travel(T0 + 20 * DAY, tick=False):
        assert list(stagnating_for_nurse(world.nurse)) == [stalled["mine"]]
        assert list(stagnating_for_nurse(world.nurse2)) == [stalled["colleagues"]]
        assert list(stagnating_for_nurse(world.other_nurse)) == [stalled["elsewhere"]]


def test_the_planner_sees_those_of_her_whole_team_and_no_other(world, stalled):
    with time_machine.travel(T0 + 20 * DAY, tick=False):
        assert set(stagnating_for_team(world.planner)) == {stalled["mine"], stalled["colleagues"]}
        assert list(stagnating_for_team(world.other_planner)) == [stalled["elsewhere"]]


@pytest.mark.parametrize("persona", ["provider", "midwife", "officer", "nobody", "nurse"])
def test_nobody_else_gets_a_team_list(world, stalled, persona):
    with time_machine.travel(T0 + 20 * DAY, tick=False):
        assert not stagnating_for_team(getattr(world, persona)).exists()


def test_the_case_section_marks_the_stagnating_follow_up(world, stalled, client, login):
    case = stalled["mine"].case
    with time_machine.travel(T0 + 20 * DAY, tick=False):
        rows = {f.pk: f.is_stagnating for f in case_follow_ups(case)}
        login(world.nurse)
        client.cookies["django_language"] = "en"
        html = client.get(case.get_absolute_url()).content.decode()
    assert rows == {stalled["mine"].pk: True, stalled["fresh"].pk: False}
    assert html.count("badge--urgent") == 1
    assert "Stagnating" in html


def test_the_follow_up_page_says_it_is_stagnating_and_what_to_do(world, stalled, client, login):
    with time_machine.travel(T0 + 20 * DAY, tick=False):
        login(world.nurse)
        client.cookies["django_language"] = "en"
        stalled_page = client.get(stalled["mine"].get_absolute_url()).content.decode()
        fresh_page = client.get(stalled["fresh"].get_absolute_url()).content.decode()
    assert "No change for more than 14 days" in stalled_page
    assert "No change for more than" not in fresh_page
