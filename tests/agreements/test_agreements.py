"""The agreements register: who reads and keeps it, bad input, stale edits, double submits, reviews, reminders."""

import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from kansrijk.agreements.models import Agreement, Evaluation
from kansrijk.agreements.services import due_for

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def data(world, **overrides):
    values = {
        "topic": "feedback",
        "title": "Terugkoppeling binnen 10 werkdagen",
        "text": "De JGZ koppelt terug.",
        "municipalities": [str(world.maastricht.pk)],
        "parties": [str(world.jgz.pk), str(world.practice.pk)],
        "other_parties": "",
        "owner": str(world.officer.pk),
        "owner_name": "",
        "meeting": "Lokaal MDO",
        "agreed_on": today().isoformat(),
        "next_review_on": (today() + timedelta(days=90)).isoformat(),
        "submission_key": str(uuid.uuid4()),
    }
    values.update(overrides)
    return values


def make(world, **fields):
    values = {
        "region": world.region,
        "topic": "signalling",
        "title": "Signaleren",
        "text": "Afspraak.",
        "owner": world.officer,
        "meeting": "MDO",
        "agreed_on": today() - timedelta(days=100),
        "next_review_on": today() + timedelta(days=200),
        "created_by": world.officer,
        "updated_by": world.officer,
    }
    values.update(fields)
    return Agreement.objects.create(**values)


def test_an_officer_records_an_agreement_and_a_double_submit_makes_one(world, client, login):
    login(world.officer)
    payload = data(world)
    first = client.post("/afspraken/nieuw/", payload)
    second = client.post("/afspraken/nieuw/", payload)
    assert first.status_code == second.status_code == 302
    agreement = Agreement.objects.get()
    assert first.url == second.url == f"/afspraken/{agreement.pk}/"
    assert set(agreement.parties.all()) == {world.jgz, world.practice}


def test_a_review_before_the_agreement_is_refused_and_nothing_is_lost(world, client, login):
    login(world.planner)
    response = client.post(
        "/afspraken/nieuw/", data(world, next_review_on=(today() - timedelta(days=1)).isoformat(), owner="")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "next_review_on" in form.errors and "owner_name" in form.errors
    assert "Terugkoppeling binnen 10 werkdagen" in response.content.decode()
    assert not Agreement.objects.exists()


def test_a_stale_edit_is_refused(world, client, login):
    agreement = make(world)
    login(world.officer)
    client.post(f"/afspraken/{agreement.pk}/wijzigen/", data(world, version=str(agreement.version), title="Nieuw"))
    response = client.post(
        f"/afspraken/{agreement.pk}/wijzigen/", data(world, version=str(agreement.version), title="Ander")
    )
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    agreement.refresh_from_db()
    assert agreement.title == "Nieuw" and agreement.version == 2


def test_a_review_moves_the_date_and_keeps_the_history(world, client, login):
    agreement = make(world, next_review_on=today() + timedelta(days=5))
    login(world.coordinator)
    key = str(uuid.uuid4())
    payload = {
        "on": today().isoformat(),
        "notes": "Werkt.",
        "next_review_on": (today() + timedelta(days=180)).isoformat(),
        "submission_key": key,
    }
    client.post(f"/afspraken/{agreement.pk}/evaluatie/", payload)
    client.post(f"/afspraken/{agreement.pk}/evaluatie/", payload)  # double click
    agreement.refresh_from_db()
    assert Evaluation.objects.filter(agreement=agreement).count() == 1
    assert agreement.next_review_on == today() + timedelta(days=180)
    # A review without a next date ends the agreement.
    client.post(
        f"/afspraken/{agreement.pk}/evaluatie/", {**payload, "submission_key": str(uuid.uuid4()), "next_review_on": ""}
    )
    agreement.refresh_from_db()
    assert agreement.status == "ended" and agreement.evaluations.count() == 2


def test_a_review_in_the_future_is_refused(world, client, login):
    agreement = make(world)
    login(world.officer)
    response = client.post(
        f"/afspraken/{agreement.pk}/evaluatie/",
        {
            "on": (today() + timedelta(days=3)).isoformat(),
            "notes": "x",
            "next_review_on": "",
            "submission_key": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 400
    assert not agreement.evaluations.exists()


def test_who_reads_and_who_keeps_the_register(world, client, login):
    agreement = make(world)
    agreement.parties.set([world.practice])
    other = make(world, title="Alleen JGZ")
    for persona, reads, keeps in [
        ("officer", True, True),
        ("coordinator", True, True),
        ("planner", True, True),
        ("admin", True, True),
        ("midwife", True, False),  # her practice is a party
        ("provider", False, False),  # not a party to anything
        ("nurse", False, False),
        ("nobody", False, False),
    ]:
        login(getattr(world, persona))
        status = client.get(f"/afspraken/{agreement.pk}/").status_code
        assert (status == 200) is reads, persona
        assert (client.get(f"/afspraken/{agreement.pk}/wijzigen/").status_code == 200) is keeps, persona
        if persona == "midwife":
            assert client.get(f"/afspraken/{other.pk}/").status_code == 404


def test_due_for_and_the_reminder_once_per_review_date(world, settings):
    settings.KANSRIJK_AGREEMENT_REVIEW_NOTICE_DAYS = 30
    soon = make(world, title="Binnenkort", next_review_on=today() + timedelta(days=10))
    make(world, title="Later", next_review_on=today() + timedelta(days=100))
    assert list(due_for(world.officer)) == [soon]
    assert list(due_for(world.midwife)) == []

    call_command("agreement_reminders", stdout=StringIO())
    call_command("agreement_reminders", stdout=StringIO())
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.officer.email]
    assert f"/afspraken/{soon.pk}/" in message.body and "Binnenkort" in message.subject

    soon.next_review_on = today() + timedelta(days=20)  # a review set a new date: a new reminder follows
    soon.save()
    call_command("agreement_reminders", stdout=StringIO())
    assert len(mail.outbox) == 2


def test_the_list_costs_the_same_queries_for_few_and_many(world, client, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(world.officer)
    make(world).parties.set([world.jgz])
    client.get("/afspraken/")
    with CaptureQueriesContext(connection) as few:
        client.get("/afspraken/")
    for n in range(8):
        a = make(world, title=f"Afspraak {n}")
        a.parties.set([world.jgz, world.practice])
        a.municipalities.set([world.maastricht])
    with CaptureQueriesContext(connection) as many:
        client.get("/afspraken/")
    assert len(many) == len(few)


def test_the_dashboard_shows_agreements_due(world, client, login):
    make(world, title="Bijna aan de beurt", next_review_on=today() + timedelta(days=3))
    login(world.officer)
    assert "Bijna aan de beurt" in client.get("/monitoring/").content.decode()


def test_each_row_of_the_register_tells_its_topic_where_and_the_review_state_in_words(world, client, login, settings):
    """In Dutch, as the partners read it: the municipalities or the whole region, and the state of the review."""
    settings.KANSRIJK_AGREEMENT_REVIEW_NOTICE_DAYS = 30
    overdue = make(world, title="Te laat", next_review_on=today() - timedelta(days=2))
    make(world, title="Vandaag", next_review_on=today())
    soon = make(world, title="Binnenkort", next_review_on=today() + timedelta(days=1))
    make(world, title="Later", next_review_on=today() + timedelta(days=200))
    make(world, title="Afgelopen", status="ended")
    overdue.municipalities.set([world.maastricht, world.heerlen])
    soon.municipalities.set([world.heerlen])
    login(world.officer)

    html = client.get("/afspraken/?status=all").content.decode()
    rows = {row.split("</a>")[0].rsplit(">", 1)[1]: row for row in html.split("<tbody>")[1].split("<tr>")[1:]}

    assert "<td>Heerlen, Maastricht</td>" in rows["Te laat"]  # by name
    assert "<td>Signaleren</td>" in rows["Te laat"]  # the topic
    assert f"<td>Hele regio {world.region.name}</td>" in rows["Later"]
    assert '<span class="badge badge--urgent">Evaluatie 2 dagen te laat</span>' in rows["Te laat"]
    assert '<span class="badge badge--high">Evaluatie vandaag</span>' in rows["Vandaag"]
    assert '<span class="badge badge--high">Evaluatie over 1 dag</span>' in rows["Binnenkort"]
    assert '<span class="badge badge--normal">Evaluatie over 200 dagen</span>' in rows["Later"]
    assert '<span class="badge badge--closed">Beëindigd</span>' in rows["Afgelopen"]

    detail = client.get(f"/afspraken/{soon.pk}/").content.decode()
    assert "<dd>Heerlen</dd>" in detail and "Evaluatie over 1 dag</span>" in detail


def test_a_party_sees_each_of_her_agreements_once(world, client, login):
    """A referrer reads the agreements her organisation is a party to, once each, however many parties there are."""
    shared = make(world, title="Samen")
    shared.parties.set([world.practice, world.jgz])
    make(world, title="Zonder haar")
    login(world.midwife)
    html = client.get("/afspraken/").content.decode()
    assert html.count(f'href="/afspraken/{shared.pk}/"') == 1
    assert "Zonder haar" not in html and "1 afspraak." in html
