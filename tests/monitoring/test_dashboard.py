"""The figures pages: who sees what, the small-number rule on the page, and the indicators' arithmetic."""

from collections import defaultdict
from datetime import timedelta

import pytest
from django.utils import timezone

from kansrijk.followup.models import Gap, GapReason
from kansrijk.monitoring import indicators, periods
from kansrijk.monitoring.indicators import Scope
from kansrijk.monitoring.models_births import LiveBirths
from kansrijk.organisations.models import Municipality, Region
from tests.conftest import make_case, refer

pytestmark = pytest.mark.django_db


def this_year():
    return periods.current(periods.YEAR)


@pytest.fixture
def midyear():
    """The clock in the middle of a year, so that "a month ago" is this year whenever the suite runs."""
    import time_machine

    now = timezone.localtime()
    with time_machine.travel(now.replace(month=6, day=15, hour=12), tick=True):
        yield


def figure(response, key):
    return next(fig for fig in response.context["figures"] if fig.key == key)


def cell_texts(fig, column=0):
    return dict(zip(fig.rows, [row[column].text for row in fig.cells], strict=True))


def test_the_officer_sees_her_own_municipality_with_small_numbers_hidden(world, client, login):
    for _ in range(6):
        make_case(world, "received")
    for _ in range(2):
        make_case(world, "visited")
    for _ in range(9):
        make_case(world, "visited", municipality=world.heerlen)  # not hers
    login(world.officer)

    response = client.get("/monitoring/")

    assert response.status_code == 200
    funnel = cell_texts(figure(response, "funnel"))
    values = list(funnel.values())
    assert values[0] == "8"  # six received + two visited in Maastricht; Heerlen's nine not counted
    assert values[3] == "< 5"  # two home visits: too few to show
    html = response.content.decode()
    assert "Heerlen" not in html
    assert "{#" not in html and "#}" not in html  # no template comment printed as text


def _referrals_by_source(world, sources: dict):
    from kansrijk.referrals.models import Referral

    for source, n in sources.items():
        for _ in range(n):
            referral = refer(world, first_name="Anna", last_name=f"{source}{_}")
            Referral.objects.filter(pk=referral.referral.pk).update(source=source)


def test_referrals_by_source_and_weeks_at_referral(world, client, login):
    _referrals_by_source(world, {"midwife": 7, "gp": 6, "self": 2})
    login(world.officer)
    response = client.get("/monitoring/")
    by_source = figure(response, "referrals_by_source")
    from kansrijk.referrals.models import ReferralSource

    texts = dict(zip(ReferralSource.values, [row[0] for row in by_source.cells], strict=True))
    assert texts["midwife"].text == "7"
    assert texts["self"].hidden and texts["self"].text == "< 5"
    # With one hidden row, the total (15) would give the 2 away. The total stays (other figures show the same
    # 15), so the smallest other count is hidden as well.
    assert texts["gp"].hidden and texts["gp"].text == "x"
    assert by_source.column_totals[0].text == "15"
    weeks = figure(response, "weeks_at_referral")  # refer() gives a due date 20 weeks away: 20 weeks pregnant
    assert [row[0].text for row in weeks.cells] == ["0", "0", "15", "0", "0"]


def test_a_small_count_cannot_be_worked_out_from_a_total_that_another_figure_shows(world, client, login):
    """The referrals of a period are the total of three figures. Weeks of pregnancy used to hide its total
    when one band was small, while "by source" showed the same total: 26 - 8 - 9 - 6 gave the 3 away."""
    today = timezone.localdate()
    for weeks_away, n in [(35, 3), (24, 8), (20, 9), (10, 6)]:  # 5, 16, 20 and 30 weeks pregnant
        for i in range(n):
            refer(
                world, first_name="Anna", last_name=f"W{weeks_away}-{i}", due_date=today + timedelta(weeks=weeks_away)
            )
    login(world.officer)
    response = client.get("/monitoring/")
    weeks = figure(response, "weeks_at_referral")
    by_source = figure(response, "referrals_by_source")
    assert by_source.column_totals[0].text == weeks.column_totals[0].text == "26"
    bands = [row[0] for row in weeks.cells]
    assert bands[0].text == "< 5"
    shown_sum = sum(int(cell.text) for cell in bands if not cell.hidden)
    assert 26 - shown_sum != 3  # what the known total leaves is the sum of two hidden bands, not the small one
    for key in ("referrals_by_source", "referrals_by_organisation", "weeks_at_referral", "acceptance", "outcomes"):
        hidden = [row[0] for row in figure(response, key).cells if row[0].hidden]
        assert len(hidden) != 1, key


def test_the_accepted_women_stay_shown_because_the_funnel_shows_them(world, client, login):
    """Accepted 6, unreachable 2, waiting 7: the smallest other count was the 6, hidden as "x", while the funnel
    showed 6 under "home visit held", and 15 - 6 - 7 gave the 2 away."""
    for _ in range(6):
        make_case(world, "visited")
    for _ in range(2):
        make_case(world, "closed", close_reason="unreachable")
    for _ in range(7):
        make_case(world, "received")
    login(world.officer)
    response = client.get("/monitoring/")
    acceptance = figure(response, "acceptance")
    funnel = figure(response, "funnel")
    texts = [row[0].text for row in acceptance.cells]
    assert texts == ["6", "0", "< 5", "0", "x"]
    assert funnel.cells[3][0].text == "6" and acceptance.column_totals[0].text == funnel.cells[0][0].text == "15"


def test_by_source_and_by_organisation_hide_the_same_count(world, client, login):
    """ "By source" is "by organisation" grouped by kind: "by source" hid the GP's 6 to protect the 2 of
    self-registration, while "by organisation" showed the GP practice's 6 — the same number."""
    from kansrijk.organisations.models import Organisation
    from kansrijk.referrals.models import Referral

    orgs = {
        "A": Organisation.objects.create(name="Verloskundigen A", kind="midwifery", region=world.region),
        "B": Organisation.objects.create(name="Verloskundigen B", kind="midwifery", region=world.region),
        "G": Organisation.objects.create(name="Huisartsen G", kind="gp", region=world.region),
    }
    for source, org, n in [("midwife", "A", 5), ("midwife", "B", 4), ("gp", "G", 6), ("self", None, 2)]:
        for i in range(n):
            referral = refer(world, first_name="Anna", last_name=f"{source}{org}{i}").referral
            Referral.objects.filter(pk=referral.pk).update(
                source=source, referrer_organisation=orgs[org] if org else None
            )
    login(world.officer)
    response = client.get("/monitoring/")
    by_source = figure(response, "referrals_by_source")
    by_org = figure(response, "referrals_by_organisation")
    source_text = dict(zip(by_source.rows, [row[0].text for row in by_source.cells], strict=True))
    org_text = dict(zip(by_org.rows, [row[0].text for row in by_org.cells], strict=True))
    assert source_text["Zelfaanmelding"] == "< 5"
    assert source_text["Huisarts"] == org_text["Huisartsen G"] == "x"
    assert by_source.column_totals[0].text == by_org.column_totals[0].text == "17"
    # Midwives A and B add up to the midwife row: with B's 4 hidden, A's 5 is hidden as well.
    assert source_text["Verloskundige"] == "9" and org_text["Verloskundigen B"] == "< 5"
    assert org_text["Verloskundigen A"] == "x"


def test_another_municipality_is_refused_with_a_message_and_her_own_shown(world, client, login):
    login(world.officer)
    response = client.get("/monitoring/?gemeente=GM0917")
    assert response.status_code == 200
    assert response.context["selection"].scope.ids == [world.maastricht.pk]
    assert response.context["selection"].errors


@pytest.mark.parametrize("bad", ["2025-13", "abc", "20255", "2025-K5"])
def test_an_impossible_period_gives_a_message_and_this_year(world, client, login, bad):
    login(world.officer)
    response = client.get(f"/monitoring/?periode={bad}")
    assert response.status_code == 200
    assert response.context["period"] == this_year()
    assert response.context["selection"].errors


def test_a_future_period_is_refused(world, client, login):
    login(world.officer)
    response = client.get(f"/monitoring/?periode={timezone.localdate().year + 1}")
    assert response.context["period"] == this_year()
    assert response.context["selection"].errors


def test_a_quarter_and_a_month_can_be_chosen(world, client, login):
    login(world.officer)
    today = timezone.localdate()
    for slug in (f"{today.year}-K{(today.month - 1) // 3 + 1}", f"{today:%Y-%m}"):
        response = client.get(f"/monitoring/?periode={slug}")
        assert response.context["period"].slug == slug
        assert not response.context["selection"].errors


def _period_list(response) -> list[tuple[str, list[tuple[str, str, bool]]]]:
    """The period list as shown: [(group, [(value, text, selected)])]."""
    from html.parser import HTMLParser

    groups: list = []

    class Options(HTMLParser):
        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "optgroup":
                groups.append((attrs["label"], []))
            elif tag == "option" and groups:
                groups[-1][1].append([attrs["value"], "", "selected" in attrs])

        def handle_data(self, data):
            if groups and groups[-1][1] and not groups[-1][1][-1][1]:
                groups[-1][1][-1][1] = data

    html = response.content.decode()
    Options().feed(html.split('id="id_periode"', 1)[1].split("</select>", 1)[0])
    return [(label, [tuple(option) for option in options]) for label, options in groups]


def test_the_period_list_offers_years_quarters_and_months_in_the_pages_language(world, client, login):
    import time_machine

    login(world.officer)
    with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 5, 20, 12)), tick=False):
        shown = _period_list(client.get("/monitoring/?periode=2026-K1"))
        assert [label for label, _options in shown] == ["Jaar", "Kwartaal", "Maand"]
        years, quarters, months = (options for _label, options in shown)
        assert [value for value, _text, _selected in years] == [str(y) for y in range(2026, 2020, -1)]
        assert quarters[0] == ("2026-K2", "K2 2026", False) and len(quarters) == 8
        assert ("2026-K1", "K1 2026", True) in quarters  # the page's period is the selected one
        assert months[0] == ("2026-05", "mei 2026", False) and months[-1][0] == "2025-06"
        assert sum(selected for _label, options in shown for *_rest, selected in options) == 1

        # A period further back than the list: shown first, as the chosen one.
        chosen = _period_list(client.get("/monitoring/?periode=2019-K3"))
        assert chosen[0] == ("Gekozen", [("2019-K3", "K3 2019", True)])

        client.cookies["django_language"] = "en"
        english = _period_list(client.get("/monitoring/?periode=2026-K1"))
        assert [label for label, _options in english] == ["Year", "Quarter", "Month"]
        assert ("2026-K1", "Q1 2026", True) in english[1][1] and english[2][1][0][1] == "May 2026"
        del client.cookies["django_language"]

    # Weeks later, in a new quarter: the same page's list moves with the day.
    with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 7, 1, 9)), tick=False):
        later = _period_list(client.get("/monitoring/?periode=2026-K1"))
        assert later[1][1][0] == ("2026-K3", "K3 2026", False)
        assert later[2][1][0] == ("2026-07", "juli 2026", False)
        assert ("2026-K1", "K1 2026", True) in later[1][1]


def test_the_period_list_is_made_for_the_day_and_language_it_is_kept_for():
    """`_period_options_on` is kept by its arguments, so it must be made from them, not from the moment or the
    language it happens to be called in."""
    from datetime import date

    from django.utils import translation

    from kansrijk.monitoring import periods
    from kansrijk.monitoring.views_dashboard import _period_options_on

    selected = periods.make(periods.QUARTER, 2024, 10)
    with translation.override("nl"):
        english = _period_options_on(date(2024, 11, 3), "en", selected)
    assert '<optgroup label="Year">' in english and ">November 2024</option>" in english
    assert '<option value="2024-K4" selected>Q4 2024</option>' in english
    assert "2025" not in english  # the day given, not today

    with translation.override("en"):
        dutch = _period_options_on(date(2023, 2, 1), "nl", selected)
    assert '<optgroup label="Gekozen"><option value="2024-K4" selected>K4 2024</option>' in dutch
    assert ">februari 2023</option>" in dutch and "2024-01" not in dutch


def test_the_coordinator_sees_the_region_side_by_side(world, client, login):
    for _ in range(6):
        make_case(world, "visited", municipality=world.heerlen)
    for _ in range(9):
        make_case(world, "visited", municipality=world.sittard, organisation=world.other_jgz, nurse=world.other_nurse)
    make_case(world, "received")
    login(world.coordinator)

    response = client.get("/monitoring/regio/")

    assert response.status_code == 200
    overview = figure(response, "region_overview")
    assert overview.rows == ["Beek", "Heerlen", "Maastricht", "Sittard-Geleen"]
    by_row = dict(zip(overview.rows, overview.cells, strict=True))
    assert by_row["Sittard-Geleen"][0].text == "9"
    assert by_row["Maastricht"][0].text == "< 5"
    # With the total 16 shown, 16 - 9 - 6 would give the 1 away. Heerlen's 6 stays, as Heerlen's own dashboard
    # shows it; the total is hidden instead, as the funnel of all municipalities together hides it.
    assert by_row["Heerlen"][0].text == "6"
    assert overview.column_totals[0].text == "x"
    members = [row[0] for row in overview.cells] + [overview.column_totals[0]]
    assert sum(v.hidden for v in members) != 1


def test_the_sum_of_several_municipalities_hides_what_any_of_them_hides(world, client, login):
    """In the demo the region's funnel showed 94 referred, Maastricht 47 and Heerlen 43: Beek's "< 5" was 4.
    Each municipality's figures stay as her own dashboard shows them; their sum hides every count that one of
    them hides, on the dashboard of all municipalities and on the region page alike."""
    for _ in range(6):
        make_case(world, "visited", municipality=world.heerlen)
    for _ in range(9):
        make_case(world, "visited", municipality=world.sittard, organisation=world.other_jgz, nurse=world.other_nurse)
    for _ in range(2):
        make_case(world, "received")  # Maastricht: 2, a small number
    login(world.coordinator)
    own = {}
    for m in (world.beek, world.heerlen, world.maastricht, world.sittard):
        response = client.get(f"/monitoring/?gemeente={m.cbs_code}")
        own[m.name] = {f.key: f for f in response.context["figures"]}
    together_page = client.get("/monitoring/?gemeente=alle")
    together = {f.key: f for f in together_page.context["figures"]}
    region_page = client.get("/monitoring/regio/")
    region = {f.key: f for f in region_page.context["figures"]}
    # The pages of a sum say why more reads "x" there; a municipality's own page does not need to.
    note = "ook in hun som (x)"
    assert note in together_page.content.decode() and note in region_page.content.decode()
    assert note not in client.get(f"/monitoring/?gemeente={world.heerlen.cbs_code}").content.decode()

    referred = [own[name]["funnel"].cells[0][0] for name in own]
    assert [v.text for v in referred] == ["0", "6", "< 5", "9"]
    assert together["funnel"].cells[0][0].hidden  # else 17 - 6 - 9 gives Maastricht's 2
    for key in ("funnel", "acceptance", "outcomes", "referrals_by_source", "weeks_at_referral", "domains"):
        hidden_somewhere = set().union(*(own[name][key].hidden_labels() for name in own))
        assert hidden_somewhere <= together[key].hidden_labels(), key
    # The region page agrees with both: each row as the municipality's own funnel, the totals as the sum's.
    overview = region["region_overview"]
    for row_label, row in zip(overview.rows, overview.cells, strict=True):
        funnel = own[row_label]["funnel"]
        assert [v.text for v in row] == [funnel.cells[i][0].text for i in (0, 3, 5)], row_label
    assert [v.text for v in overview.column_totals] == [together["funnel"].cells[i][0].text for i in (0, 3, 5)]
    sources = region["region_sources"]
    for row_label, row, row_total in zip(sources.rows, sources.cells, sources.row_totals, strict=True):
        listed = own[row_label]["referrals_by_source"]
        assert [v.text for v in row] == [c[0].text for c in listed.cells], row_label
        assert row_total.text == listed.column_totals[0].text
    assert [v.text for v in sources.column_totals] == [c[0].text for c in together["referrals_by_source"].cells]
    assert sources.total.text == together["referrals_by_source"].column_totals[0].text
    # The region's trend is a sum too: this year's referred is hidden, as on the dashboard of all of them.
    this_year_row = -1
    assert region["region_trend"].cells[this_year_row][0].hidden
    assert [v.text for v in region["region_trend"].cells[this_year_row]] == [
        v.text for v in together["trend"].cells[this_year_row]
    ]


def test_a_coordinator_does_not_see_another_region(world, client, login):
    other = Region.objects.create(name="Elders")
    elsewhere = Municipality.objects.create(cbs_code="GM0363", name="Amsterdam", region=other)
    login(world.coordinator)
    response = client.get(f"/monitoring/?gemeente={elsewhere.cbs_code}")
    assert elsewhere.pk not in response.context["selection"].scope.ids
    assert "Amsterdam" not in response.content.decode()


@pytest.mark.parametrize("persona", ["planner", "nurse", "midwife", "provider", "privacy", "admin", "nobody"])
def test_others_do_not_see_figures(world, client, login, persona):
    login(getattr(world, persona))
    for url in ("/monitoring/", "/monitoring/regio/", "/monitoring/definities/", "/monitoring/export/funnel.csv"):
        assert client.get(url).status_code == 404, url


def test_the_dashboard_costs_the_same_number_of_queries_for_few_and_many_cases(
    world, client, login, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(world.officer)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/monitoring/").status_code == 200
        return len(ctx.captured_queries)

    make_case(world, "visited")
    few = count()
    for _ in range(25):
        make_case(world, "visited")
    assert count() == few
    assert few < 40


def test_reach_divides_women_referred_by_live_births(world):
    LiveBirths.objects.create(municipality=world.maastricht, year=this_year().year, count=200, source="test")
    for _ in range(10):
        make_case(world, "received")
    fig = indicators.reach(Scope((world.maastricht,), this_year()))
    women, births, share = fig.cells[0]
    assert (women.text, births.number, share.number) == ("10", 200.0, 5.0)


def test_reach_hides_the_share_when_the_count_is_hidden(world):
    LiveBirths.objects.create(municipality=world.maastricht, year=this_year().year, count=200, source="test")
    make_case(world, "received")
    women, _births, share = indicators.reach(Scope((world.maastricht,), this_year())).cells[0]
    assert women.hidden and share.number is None


def test_lead_times_median_and_90th_percentile_and_share_within_norm(world, settings, midyear):
    settings.KANSRIJK_NORM_ASSIGN_DAYS = 3
    now = timezone.now()
    for days in [1, 2, 2, 3, 4, 10]:
        make_case(world, "assigned", received_at=now - timedelta(days=20), assigned_at=now - timedelta(days=20 - days))
    fig = indicators.lead_times(Scope((world.maastricht,), this_year()))
    median, p90, within, _norm, n = fig.cells[0]
    assert median.number == pytest.approx(2.5)
    assert p90.number == pytest.approx(10)
    assert within.number == pytest.approx(4 / 6 * 100)
    assert n.number == 6
    # Fewer than 5 women reached the first visit: no statistic shown.
    assert fig.cells[2][0].number is None


def test_percentile_is_nearest_rank():
    assert indicators.percentile([5, 1, 3, 2, 4], 90) == 5
    assert indicators.percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90) == 9
    assert indicators.percentile([], 50) is None


def test_gaps_by_domain_count_hers_only_and_never_show_the_need(world, client, login):
    financial, housing = world.domains
    for domain, count, municipality in [(financial, 6, world.maastricht), (housing, 2, world.maastricht)]:
        for _ in range(count):
            case = make_case(world, "visited", municipality=municipality)
            Gap.objects.create(
                case=case,
                domain=domain,
                municipality=municipality,
                need="Steun bij iets geheims",
                reason=GapReason.NONE_EXISTS,
                created_by=world.nurse,
            )
    other = make_case(world, "visited", municipality=world.heerlen)
    Gap.objects.create(
        case=other,
        domain=financial,
        municipality=world.heerlen,
        need="x",
        reason=GapReason.COSTS,
        created_by=world.nurse,
    )
    login(world.officer)
    response = client.get("/monitoring/")
    gaps = figure(response, "gaps_by_domain")
    by_domain = dict(zip(gaps.rows, gaps.cells, strict=True))
    assert gaps.column_totals[0].text == "8"  # Heerlen's gap not counted
    assert by_domain[housing.name_nl][0].hidden  # 2 is too small to show
    assert by_domain[financial.name_nl][0].text == "x"  # else 8 - 6 would give the 2 away
    assert "Steun bij iets geheims" not in response.content.decode()


def test_the_definitions_page_lists_every_figure(world, client, login):
    login(world.officer)
    response = client.get("/monitoring/definities/")
    assert response.status_code == 200
    keys = {fig.key for fig in response.context["figures"]}
    assert {"funnel", "reach", "lead_times", "gaps_by_domain", "region_overview"} <= keys


def test_old_figures_address_redirects(world, client, login):
    login(world.officer)
    response = client.get("/gemeente/")
    assert response.status_code == 302 and response.url.startswith("/monitoring/")


def test_visits_by_form_and_visits_per_family(world, settings, midyear):
    from kansrijk.care.models import Visit

    settings.KANSRIJK_SMALL_NUMBER_THRESHOLD = 1  # every count shown: this test is about the numbers
    now = timezone.now()
    forms = [["home", "video"], ["home"], ["home", "phone", "phone"]]  # 6 visits for 3 families
    for family in forms:
        case = make_case(world, "visited", received_at=now - timedelta(days=40))
        for k, form in enumerate(family):
            Visit.objects.create(
                case=case,
                nurse=world.nurse,
                status="held",
                form=form,
                duration_minutes=60,
                scheduled_at=now - timedelta(days=30 - k),
            )
    planned = make_case(world, "visited", received_at=now - timedelta(days=40))
    Visit.objects.create(case=planned, nurse=world.nurse, form="home", scheduled_at=now - timedelta(days=5))
    fig = indicators.visits_by_form(Scope((world.maastricht,), this_year()))
    by_form = dict(zip(fig.rows, [row[0].number for row in fig.cells], strict=True))
    labels = dict(Visit._meta.get_field("form").choices)
    assert by_form[str(labels["home"])] == 3
    assert by_form[str(labels["video"])] == 1
    assert by_form[str(labels["phone"])] == 2
    assert any("2" in note for note in fig.notes)  # on average 6 / 3 = 2 visits per family visited


def test_follow_up_waiting_counts_from_sending_to_the_last_start_in_the_period(world, settings, midyear):
    from kansrijk.followup.models import FollowUpEvent
    from tests.followup.conftest import OfferFactory, put_follow_up

    settings.KANSRIJK_SMALL_NUMBER_THRESHOLD = 1
    now = timezone.now()
    offer = OfferFactory(region=world.region, provider=world.provider_org, municipalities=[world.maastricht])
    waits = [4, 10, 20]
    for days in waits:
        case = make_case(world, "follow_up", received_at=now - timedelta(days=60))
        follow_up = put_follow_up(
            world, offer=offer, case=case, status="started", sent_at=now - timedelta(days=30), domain=world.domains[0]
        )
        if days == 20:  # started once, stopped, started again: the last start counts
            FollowUpEvent.objects.create(
                follow_up=follow_up, at=now - timedelta(days=28), actor=world.nurse, to_status="started"
            )
        FollowUpEvent.objects.create(
            follow_up=follow_up, at=now - timedelta(days=30 - days), actor=world.nurse, to_status="started"
        )
    fig = indicators.follow_up_waiting(Scope((world.maastricht,), this_year()))
    median, p90, started = fig.cells[-1]  # all domains
    assert started.number == 3
    assert median.number == pytest.approx(10)
    assert p90.number == pytest.approx(20)
    assert fig.rows[0] == world.domains[0].name


def test_the_numbers_started_per_domain_cannot_give_a_small_one_away_through_all_domains(world, midyear):
    """ "All domains" is the sum of the domains' numbers started: with one domain's 3 hidden and the other's 7
    shown, 10 - 7 gave the 3 away. The column is protected as a list with its total now."""
    from kansrijk.followup.models import FollowUpEvent
    from tests.followup.conftest import OfferFactory, put_follow_up

    now = timezone.now()
    offer = OfferFactory(region=world.region, provider=world.provider_org, municipalities=[world.maastricht])
    for domain, n in [(world.domains[0], 7), (world.domains[1], 3)]:
        for _ in range(n):
            case = make_case(world, "follow_up", received_at=now - timedelta(days=60))
            follow_up = put_follow_up(
                world, offer=offer, case=case, status="started", sent_at=now - timedelta(days=30), domain=domain
            )
            FollowUpEvent.objects.create(
                follow_up=follow_up, at=now - timedelta(days=20), actor=world.nurse, to_status="started"
            )
    fig = indicators.follow_up_waiting(Scope((world.maastricht,), this_year()))
    started = dict(zip(fig.rows, [row[2] for row in fig.cells], strict=True))
    assert started[world.domains[1].name].text == "< 5"
    assert started[world.domains[0].name].text == "x"
    assert fig.cells[-1][2].text == "10"
    assert fig.cells[0][0].number == pytest.approx(10)  # the median over 7 is still shown


def test_days_between_is_computed_in_the_database_in_real_hours(world):
    from zoneinfo import ZoneInfo

    from kansrijk.cases.models import Case
    from kansrijk.monitoring.expressions import DaysBetween

    ams = ZoneInfo("Europe/Amsterdam")
    # Over the change to summer time: 28 March 12:00 CET to 30 March 12:00 CEST is 47 hours.
    case = make_case(
        world,
        "visited",
        received_at=timezone.datetime(2026, 3, 28, 12, tzinfo=ams),
        first_visit_at=timezone.datetime(2026, 3, 30, 12, tzinfo=ams),
        first_contact_at=None,
    )
    visit, contact = Case.objects.filter(pk=case.pk).values_list(
        DaysBetween("first_visit_at", "received_at"), DaysBetween("first_contact_at", "received_at")
    )[0]
    assert visit == pytest.approx(47 / 24)
    assert contact is None


def test_figures_that_share_a_query_agree_with_counting_the_records(world, settings, midyear):
    """Funnel, acceptance and outcomes read one count of the cohort; sources and organisations one count of the
    referrals; domains and offers one count of the follow-ups; gaps by domain and reason one count. Each figure
    must still equal counting the records one by one."""
    from kansrijk.cases.models import Case, CloseReason
    from kansrijk.followup.models import FollowUp
    from kansrijk.referrals.models import Referral
    from tests.followup.conftest import OfferFactory, put_follow_up

    settings.KANSRIJK_SMALL_NUMBER_THRESHOLD = 1  # every count shown: this test is about the numbers
    now = timezone.now()
    received = now - timedelta(days=20)
    for status, reason, visited, n in [
        ("received", "", False, 3),
        ("assigned", "", False, 2),
        ("visited", "", True, 4),
        ("closed", CloseReason.DECLINED, False, 2),
        ("closed", CloseReason.UNREACHABLE, False, 1),
        ("closed", CloseReason.MOVED, False, 1),
        ("closed", CloseReason.COMPLETED, True, 3),
    ]:
        for _ in range(n):
            extra = {"close_reason": reason} if reason else {}
            make_case(world, status, received_at=received, first_visit_at=now if visited else None, **extra)
    make_case(world, "visited", municipality=world.heerlen, received_at=received)  # not in the scope
    other_practice = world.provider_org  # any organisation will do as a second referrer's
    for source, organisation, n in [("midwife", world.practice, 3), ("gp", other_practice, 2), ("self", None, 1)]:
        for k in range(n):
            referral = refer(world, first_name="Anna", last_name=f"{source}{k}").referral
            Referral.objects.filter(pk=referral.pk).update(source=source, referrer_organisation=organisation)
    offers = [OfferFactory(region=world.region, provider=world.provider_org) for _ in range(2)]
    visited_cases = list(Case.objects.filter(municipality=world.maastricht, first_visit_at__isnull=False))
    for k, (offer, domain, status) in enumerate(
        [
            (offers[0], world.domains[0], "started"),
            (offers[0], world.domains[0], "sent"),
            (offers[0], world.domains[1], "waiting_list"),
            (offers[1], world.domains[1], "declined_provider"),
            (offers[1], None, "started"),
            (offers[1], world.domains[0], "ended"),
        ]
    ):
        put_follow_up(world, offer=offer, case=visited_cases[k], status=status, domain=domain)
    for domain, reason, n in [
        (world.domains[0], GapReason.NONE_EXISTS, 2),
        (world.domains[0], GapReason.COSTS, 1),
        (world.domains[1], GapReason.COSTS, 3),
    ]:
        for _ in range(n):
            Gap.objects.create(
                case=visited_cases[0],
                domain=domain,
                municipality=world.maastricht,
                need="x",
                reason=reason,
                created_by=world.nurse,
            )
    scope = Scope((world.maastricht,), this_year())
    figures = {f.key: f for f in indicators.dashboard_figures(scope)}

    def numbers(key, column=0):
        return dict(zip(figures[key].rows, [row[column].number for row in figures[key].cells], strict=True))

    cases = list(Case.objects.filter(municipality=world.maastricht))
    assert len(cases) == 16 + 6  # the cases made above and the six referrals
    visited = [c for c in cases if c.first_visit_at]
    funnel = list(numbers("funnel").values())
    started_cases = {f.case_id for f in FollowUp.objects.filter(status__in=["started", "ended"])}
    assert funnel == [
        len(cases),
        sum(1 for c in cases if c.assigned_at),
        sum(1 for c in cases if c.first_contact_at),
        len(visited),
        len({f.case_id for f in FollowUp.objects.all()}),
        len(started_cases),
    ]
    no_visit = [c for c in cases if not c.first_visit_at]
    assert (
        list(numbers("acceptance").values())
        == [
            len(visited),
            sum(1 for c in no_visit if c.close_reason == CloseReason.DECLINED),
            sum(1 for c in no_visit if c.close_reason == CloseReason.UNREACHABLE),
            sum(1 for c in no_visit if c.status == "closed" and c.close_reason not in ("declined", "unreachable")),
            sum(1 for c in no_visit if c.status != "closed"),
        ]
        == [7, 2, 1, 1, 11]
    )
    outcomes = numbers("outcomes")
    for value, label in CloseReason.choices:
        assert outcomes[str(label)] == sum(1 for c in cases if c.status == "closed" and c.close_reason == value)
    assert outcomes["Nog open"] == sum(1 for c in cases if c.status != "closed") == 15

    referrals = list(Referral.objects.filter(case__municipality=world.maastricht))
    by_source = numbers("referrals_by_source")
    from kansrijk.referrals.models import ReferralSource

    for value, label in ReferralSource.choices:
        assert by_source[str(label)] == sum(1 for r in referrals if r.source == value)
    by_organisation = figures["referrals_by_organisation"]
    assert by_organisation.rows == ["Verloskundigen Test", "Aanbieder Test", "Geen organisatie (zelfaanmelding)"]
    assert [row[0].number for row in by_organisation.cells] == [3, 2, 1]

    follow_ups = list(FollowUp.objects.select_related("offer"))
    groups = {"started": 0, "ended": 0, "waiting_list": 1, "sent": 2, "declined_provider": 3}
    expected_domain: dict = defaultdict(lambda: [0, 0, 0, 0])
    expected_offer: dict = defaultdict(lambda: [0, 0, 0, 0])
    for f in follow_ups:
        expected_domain[f.domain.name if f.domain else "Geen domein opgegeven"][groups[f.status]] += 1
        expected_offer[f.offer.name][groups[f.status]] += 1
    for key, expected in [("follow_ups_by_domain", expected_domain), ("follow_ups_by_offer", expected_offer)]:
        fig = figures[key]
        shown = {row: [v.number for v in cells] for row, cells in zip(fig.rows, fig.cells, strict=True)}
        assert shown == {row: [float(n) for n in counts] for row, counts in expected.items()}, key

    gaps = list(Gap.objects.all())
    by_domain, by_reason = numbers("gaps_by_domain"), numbers("gaps_by_reason")
    for domain in world.domains:
        assert by_domain[domain.name] == sum(1 for g in gaps if g.domain_id == domain.pk)
    for value, label in GapReason.choices:
        assert by_reason[str(label)] == sum(1 for g in gaps if g.reason == value)
    assert sum(by_reason.values()) == sum(by_domain.values()) == 6


def test_weeks_at_referral_counts_from_the_dutch_date_of_referral(world, settings):
    """Counted in the database per distinct number of days: bands and median equal counting each referral from
    its Dutch date. 31 January 23:30 UTC is 1 February in the Netherlands: one day less to the due date."""
    import statistics
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from kansrijk.referrals.models import Referral

    settings.KANSRIJK_SMALL_NUMBER_THRESHOLD = 1
    ams, utc = ZoneInfo("Europe/Amsterdam"), ZoneInfo("UTC")
    created = datetime(2026, 1, 31, 23, 30, tzinfo=utc)
    # Days from the Dutch date of referral (1 February) to the due date: 40 weeks minus these is the pregnancy.
    days_left = [40 * 7 - 7 * w for w in (8, 8, 15, 22, 22, 22, 30)] + [280 - 36 * 7 - 3]
    for k, days in enumerate(days_left):
        referral = refer(world, first_name="Anna", last_name=f"W{k}").referral
        Referral.objects.filter(pk=referral.pk).update(
            created_at=created, due_date=date(2026, 2, 1) + timedelta(days=days)
        )
    fig = indicators.weeks_at_referral(Scope((world.maastricht,), periods.make(periods.YEAR, 2026)))
    weeks = [
        (280 - (Referral.objects.get(pk=pk).due_date - created.astimezone(ams).date()).days) / 7
        for pk in Referral.objects.values_list("pk", flat=True)
    ]
    assert sorted(weeks) == [8, 8, 15, 22, 22, 22, 30, 36 + 3 / 7]  # by the Dutch date, not the UTC one
    assert [row[0].number for row in fig.cells] == [2, 1, 3, 1, 1]
    median = statistics.median(weeks)
    assert fig.notes == [f"Mediaan: {median:.1f} weken.".replace(".", ",", 1)]


def test_side_by_side_counts_and_lead_times_come_from_one_read_of_the_cohort(world, settings, midyear):
    settings.KANSRIJK_SMALL_NUMBER_THRESHOLD = 1
    now = timezone.now()
    for days in (2, 4, 9):
        received = now - timedelta(days=30)
        make_case(
            world,
            "visited",
            municipality=world.heerlen,
            received_at=received,
            first_visit_at=received + timedelta(days),
        )
    for _ in range(2):
        make_case(world, "received", municipality=world.heerlen, received_at=now - timedelta(days=3))
    scope = Scope((world.heerlen, world.maastricht), this_year())
    overview = indicators.region_overview(scope)
    assert [v.number for v in overview.cells[0]] == [5, 3, 0]  # Heerlen: referred, home visit held, started
    assert [v.number for v in overview.cells[1]] == [0, 0, 0]
    lead = indicators.region_lead_times(scope)
    median, p90, _within = lead.cells[0]
    assert median.number == pytest.approx(4) and p90.number == pytest.approx(9)


@pytest.mark.parametrize(
    "values",
    [[7], [3, 9], [5, 1, 4], [2, 2, 8, 8], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [12, 3, 3, 40, 7, 7, 7, 1, 90, 2, 5]],
)
def test_the_percentile_aggregate_equals_the_python_definition(world, values):
    """Percentile runs as percentile_disc/percentile_cont on PostgreSQL and as a Python aggregate on SQLite; on
    both it must equal the nearest rank and the median the figures are defined by (CI runs this on both)."""
    import statistics

    from django.db.models import Q

    from kansrijk.monitoring.expressions import Percentile

    for k, value in enumerate(values):
        LiveBirths.objects.create(municipality=world.maastricht, year=2000 + k, count=value, source="test")
    LiveBirths.objects.create(municipality=world.heerlen, year=2000, count=1000, source="test")  # another group
    rows = (
        LiveBirths.objects.values("municipality_id")
        .annotate(
            median=Percentile("count", 0.5, interpolate=True),
            p90=Percentile("count", 0.9),
            p25=Percentile("count", 0.25),
            p90_small=Percentile("count", 0.9, filter=Q(count__lt=10)),
        )
        .order_by()
    )
    got = {r["municipality_id"]: r for r in rows}[world.maastricht.pk]
    assert got["median"] == pytest.approx(statistics.median(values))
    assert got["p90"] == indicators.percentile(values, 90)
    assert got["p25"] == indicators.percentile(values, 25)
    small = [v for v in values if v < 10]
    assert got["p90_small"] == (indicators.percentile(small, 90) if small else None)
    empty = LiveBirths.objects.filter(year=1900).aggregate(m=Percentile("count", 0.5, interpolate=True))
    assert empty == {"m": None}


def test_section_headings_follow_the_language_of_the_page(world, client, login):
    """The headings were translated once, when the module was imported (gettext, not gettext_lazy): an officer
    who chose English read "In één oogopslag" above English figures."""
    login(world.officer)
    dutch = client.get("/monitoring/").content.decode()
    assert "In één oogopslag" in dutch and "Vervolgondersteuning en lacunes" in dutch
    client.cookies["django_language"] = "en"
    english = client.get("/monitoring/").content.decode()
    assert ">At a glance<" in english and ">Follow-up support and gaps<" in english
    assert "In één oogopslag" not in english


def test_sections_hold_every_dashboard_figure_once_and_leave_out_empty_ones():
    from kansrijk.monitoring.figures import Figure

    keys = [key for _title, keys in indicators.SECTIONS for key in keys]
    assert sorted(keys) == sorted(build.__name__ for build in indicators.DASHBOARD)
    only = Figure.counts(
        key="trend", title="t", definition="d", row_header="r", rows=["a"], columns=["n"], counts=[[9]]
    )
    assert [(str(title), [f.key for f in shown]) for title, shown in indicators.sections([only])] == [
        ("At a glance", ["trend"])
    ]


@pytest.mark.parametrize("period", [this_year(), this_year().previous(), periods.current(periods.QUARTER)])
def test_each_municipality_of_a_sum_reads_her_own_figures_out_of_the_sums_queries(demo_region, period):
    """The dashboard of several municipalities builds each one's figures first (to hide in the sum what any of
    them hides), from the sum's queries grouped by municipality. Each must be exactly her own dashboard."""
    together = Scope(demo_region, period)
    assert len(demo_region) >= 3
    seen = defaultdict(int)
    for municipality in demo_region:
        alone = {f.key: f for f in indicators.dashboard_figures(Scope((municipality,), period))}
        part = indicators._part(together, municipality)
        for build in indicators.DASHBOARD:
            mine, own = build(part), alone[build.__name__]
            assert (mine.table_rows(), mine.notes) == (own.table_rows(), own.notes), (municipality.name, mine.key)
            seen[mine.key] += sum(1 for row in own.cells for v in row if v.number or v.hidden)
    # The demo has numbers in every figure of the year before (not a test of zeros against zeros).
    if period == this_year().previous():
        assert all(seen[build.__name__] for build in indicators.DASHBOARD if build.__name__ != "stagnating"), seen


def test_the_dashboard_of_several_municipalities_costs_one_query_more_than_of_one(demo_region):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(municipalities) -> int:
        with CaptureQueriesContext(connection) as ctx:
            indicators.dashboard_figures(Scope(municipalities, this_year()))
        return len(ctx.captured_queries)

    one = queries(demo_region[:1])
    # The sum's cohort with its own medians, and the same cohort per municipality: one query more, however many.
    assert queries(demo_region[:2]) == one + 1
    assert queries(demo_region) == one + 1


def test_reach_says_which_years_births_it_divides_by_when_not_the_years_own(world, settings):
    """CBS publishes a year's births months after it ends: the reach divides by the latest year known, and says
    so per municipality; in Dutch as the officer reads it."""
    from django.utils import translation

    year = this_year().year
    LiveBirths.objects.create(municipality=world.maastricht, year=year - 3, count=816, source="test")
    LiveBirths.objects.create(municipality=world.heerlen, year=year - 3, count=710, source="test")
    both = Scope((world.heerlen, world.maastricht), this_year())
    with translation.override("nl"):
        fig = indicators.reach(both)
    assert fig.notes == [f"Heerlen, Maastricht: levendgeborenen van {year - 3}, het laatste jaar dat bekend is."]
    assert [row[1].number for row in fig.cells] == [710.0, 816.0]

    LiveBirths.objects.create(municipality=world.heerlen, year=year, count=700, source="test")
    with translation.override("en"):
        fig = indicators.reach(Scope((world.heerlen, world.maastricht), this_year()))
    assert fig.notes == [f"Maastricht: live births of {year - 3}, the latest year known."]
    with translation.override("en"):
        assert indicators.reach(Scope((world.heerlen,), this_year())).notes == []


@pytest.mark.parametrize("kind", [periods.YEAR, periods.QUARTER, periods.MONTH])
def test_a_series_is_consecutive_periods_ending_with_this_one(kind):
    last = periods.make(kind, 2025, 2)
    series = last.series(14)
    assert len(series) == 14 and series[-1] == last
    assert all(a.end == b.start and a.kind == b.kind == kind for a, b in zip(series, series[1:], strict=False))
    assert series[0] == last.previous(13)
    assert last.series(1) == [last] and last.series(0) == []


def test_events_of_the_period_count_for_cases_referred_up_to_fifteen_months_before_it(world, settings, midyear):
    """A woman referred last autumn is visited, referred on, supported and her referrer told this year: all of it
    is this year's, alone and in a sum of municipalities. Events of a case referred longer ago than a case lives
    (`CASE_LIFETIME`) are left out: that bound keeps each query to a municipality's recent cases."""
    from kansrijk.care.models import Visit
    from kansrijk.cases.models import Case
    from kansrijk.feedback.models import Feedback, FeedbackStatus, Moment
    from kansrijk.followup.models import FollowUpEvent
    from tests.followup.conftest import OfferFactory, put_follow_up

    settings.KANSRIJK_SMALL_NUMBER_THRESHOLD = 1  # every count shown: this test is about the numbers
    now = timezone.now()
    new_year = this_year().bounds()[0]
    offer = OfferFactory(
        region=world.region, provider=world.provider_org, municipalities=[world.maastricht, world.heerlen]
    )
    for municipality, referred_days_before in [
        (world.maastricht, 100),  # last autumn
        (world.heerlen, 400),  # over a year before the period, within its lifetime
        (world.maastricht, indicators.CASE_LIFETIME.days + 30),  # longer ago than a case lives
    ]:
        referral = refer(world, first_name="Anna", last_name=f"{municipality.name}{referred_days_before}").referral
        case = referral.case
        Case.objects.filter(pk=case.pk).update(
            municipality=municipality, received_at=new_year - timedelta(days=referred_days_before)
        )
        Visit.objects.create(
            case=case, nurse=world.nurse, status="held", form="home", duration_minutes=60, scheduled_at=now
        )
        follow_up = put_follow_up(
            world, offer=offer, case=case, status="started", sent_at=now - timedelta(days=9), domain=world.domains[0]
        )
        FollowUpEvent.objects.create(follow_up=follow_up, at=now, actor=world.nurse, to_status="started")
        Feedback.objects.create(
            case=case,
            referral=referral,
            moment=Moment.VISIT_HELD,
            text="x",
            status=FeedbackStatus.SENT,
            sent_at=now,
            sent_by=world.nurse,
        )

    def counts(municipalities) -> dict:
        figures = {f.key: f for f in indicators.dashboard_figures(Scope(municipalities, this_year()))}
        return {
            "visits": figures["visits_by_form"].column_totals[0].number,
            "follow_ups": figures["follow_ups_by_offer"].column_totals[0].number,
            "started": figures["follow_up_waiting"].cells[-1][2].number,
            "feedback": figures["feedback_sent"].column_totals[0].number,
        }

    assert counts((world.maastricht,)) == {"visits": 1, "follow_ups": 1, "started": 1, "feedback": 1}
    assert counts((world.heerlen,)) == {"visits": 1, "follow_ups": 1, "started": 1, "feedback": 1}
    assert counts((world.heerlen, world.maastricht)) == {"visits": 2, "follow_ups": 2, "started": 2, "feedback": 2}
