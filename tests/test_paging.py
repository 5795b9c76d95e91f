"""Lists that hold everything their owner ever had show one page at a time, and log only what they show:
a referrer's referrals, a provider's follow-up referrals, the agreements register. The social map pages too."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kansrijk.agreements.models import Agreement
from kansrijk.audit.models import Action, AuditEntry
from kansrijk.feedback.models import Feedback, FeedbackStatus, Moment
from kansrijk.followup.models import FollowUpStatus as S

from .conftest import refer
from .followup.conftest import OfferFactory, put_follow_up

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_pages(monkeypatch, client):
    monkeypatch.setattr("kansrijk.core.paging.PAGE_SIZE", 2)
    client.cookies["django_language"] = "en"


def listed(user, description):
    return AuditEntry.objects.filter(user=user, action=Action.LIST, description__startswith=description)


def test_a_referrers_referrals_come_a_page_at_a_time_newest_first(world, client, login):
    made = [refer(world, last_name=f"Janssen{k}").referral for k in range(5)]
    login(world.midwife)

    first = client.get("/aanmeldingen/")
    assert [r.pk for r in first.context["referrals"]] == [made[4].pk, made[3].pk]
    html = first.content.decode()
    assert "Referrals 1–2 of 5, newest first." in html
    assert "Page 1 of 3" in html and "?page=2" in html
    assert listed(world.midwife, "my referrals").count() == 2  # only the rows shown are logged

    last = client.get("/aanmeldingen/?page=3")
    assert [r.pk for r in last.context["referrals"]] == [made[0].pk]
    assert client.get("/aanmeldingen/?page=99").context["page"].number == 3  # past the end: the last page
    assert client.get("/aanmeldingen/?page=x").context["page"].number == 1


def test_a_referrer_finds_the_referrals_with_news_on_any_page(world, client, login):
    made = [refer(world, last_name=f"Janssen{k}") for k in range(5)]
    oldest = made[0].referral
    Feedback.objects.create(
        case_id=oldest.case_id,
        referral=oldest,
        moment=Moment.FIRST_CONTACT,
        text="Er is contact gelegd.",
        status=FeedbackStatus.SENT,
        sent_at=timezone.now(),
        created_by=world.nurse,
        sent_by=world.nurse,
    )
    login(world.midwife)

    html = client.get("/aanmeldingen/").content.decode()
    assert "1 referral has news for you" in html and "?nieuw=1" in html

    news = client.get("/aanmeldingen/?nieuw=1")
    assert [r.pk for r in news.context["referrals"]] == [oldest.pk]
    assert news.context["referrals"][0].unread_feedback == 1

    client.get(f"/aanmeldingen/{oldest.pk}/")  # read it
    after = client.get("/aanmeldingen/?nieuw=1")
    assert after.context["referrals"] == []
    assert "No news: you have read everything." in after.content.decode()


def test_the_referral_list_costs_the_same_queries_on_every_page(world, client, login, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for k in range(5):
        refer(world, last_name=f"Janssen{k}")
    login(world.midwife)
    counts = []
    for page in (1, 2, 3):
        with CaptureQueriesContext(connection) as queries:
            client.get(f"/aanmeldingen/?page={page}")
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2]


def test_a_provider_sees_the_running_referrals_first_and_finds_the_rest(world, client, login):
    offer = OfferFactory(region=world.region, provider=world.provider_org, municipalities=[world.maastricht])
    running = [put_follow_up(world, offer=offer, status=s) for s in (S.SENT, S.ACCEPTED, S.STARTED)]
    ended = put_follow_up(world, offer=offer, status=S.ENDED)
    declined = put_follow_up(world, offer=offer, status=S.DECLINED_PROVIDER)
    login(world.provider)

    first = client.get("/vervolg/aanbieder/")
    assert first.context["status"] == "current"
    assert first.context["page"].paginator.count == 3
    assert len(first.context["follow_ups"]) == 2
    second = client.get("/vervolg/aanbieder/?page=2")
    shown = {*first.context["follow_ups"], *second.context["follow_ups"]}
    assert shown == set(running)
    assert listed(world.provider, "follow-up referrals").count() == 3  # two on page 1, one on page 2

    everything = client.get("/vervolg/aanbieder/?status=all")
    assert everything.context["page"].paginator.count == 5
    assert "5 follow-up referrals." in everything.content.decode()
    assert list(client.get("/vervolg/aanbieder/?status=ended").context["follow_ups"]) == [ended]
    assert list(client.get("/vervolg/aanbieder/?status=declined_provider").context["follow_ups"]) == [declined]
    # The filter is kept when paging.
    assert "status=all&amp;page=2" in everything.content.decode()


def test_the_agreements_register_pages_and_keeps_its_filters(world, client, login):
    today = timezone.localdate()
    for k in range(3):
        Agreement.objects.create(
            region=world.region,
            topic="signalling",
            title=f"Afspraak {k}",
            text="Afspraak.",
            owner=world.officer,
            meeting="MDO",
            agreed_on=today - timedelta(days=800),
            next_review_on=today + timedelta(days=k),
            status="ended",
            created_by=world.officer,
            updated_by=world.officer,
        )
    login(world.officer)
    response = client.get("/afspraken/?status=ended")
    assert [a.title for a, *_ in response.context["rows"]] == ["Afspraak 0", "Afspraak 1"]
    html = response.content.decode()
    assert "3 agreements." in html and "status=ended&amp;page=2" in html
    assert [a.title for a, *_ in client.get("/afspraken/?status=ended&page=2").context["rows"]] == ["Afspraak 2"]
    assert client.get("/afspraken/").context["rows"] == []  # none active


def test_a_nurse_cannot_page_into_a_referrers_list(world, client, login):
    refer(world)
    login(world.nurse)
    assert client.get("/aanmeldingen/?page=1").status_code in (403, 404)
