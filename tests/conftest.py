"""Named personas, built once: a small region with two JGZ organisations.

- region "Testregio" with Maastricht (6200–6229) and Heerlen (6400–6422), both
  served by `jgz`; Sittard (6130–6139) served by `other_jgz`; Beek (6190–6191)
  served by nobody.
- people: `midwife` (referrer at `practice`), `planner`, `nurse`, `nurse2` (at
  `jgz`), `other_nurse` and `other_planner` (at `other_jgz`), `provider`,
  `officer` (municipality officer for Maastricht), `coordinator` (region
  coordinator of Testregio), `privacy`, `admin` (functional
  administrator, staff) and `nobody` (no role).
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from kansrijk.organisations.models import OrganisationKind, Role

from . import factories as f


@pytest.fixture(autouse=True)
def _daytime(request):
    """Fast tests run at midday Amsterdam time, today, with the clock ticking.

    Near midnight "now" and "today" (local) fall on different dates than a few hours earlier, and a
    test that builds a referral now and a visit "two hours ago" would see an impossible order. CI must
    not depend on the hour it runs at. Browser tests keep the real clock (their server runs apart).
    """
    if request.node.get_closest_marker("browser"):
        yield
        return
    import time_machine

    local_today = timezone.localdate()
    midday = timezone.make_aware(timezone.datetime(local_today.year, local_today.month, local_today.day, 12, 0))
    with time_machine.travel(midday, tick=True):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The rate limits of the public desk count in the cache: every test starts with none used."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@dataclass
class World:
    region: object
    maastricht: object
    heerlen: object
    sittard: object
    beek: object
    jgz: object
    other_jgz: object
    practice: object
    provider_org: object
    municipality_org: object
    midwife: object
    planner: object
    nurse: object
    nurse2: object
    other_nurse: object
    other_planner: object
    provider: object
    officer: object
    coordinator: object
    privacy: object
    admin: object
    nobody: object
    domains: list


def _person(email, organisation, role, **extra):
    user = f.UserFactory(email=email, full_name=email.split("@")[0].title(), **extra)
    f.MembershipFactory(user=user, organisation=organisation, role=role)
    return user


def build_world() -> World:
    region = f.RegionFactory(name="Testregio")
    maastricht = f.MunicipalityFactory(region=region, cbs_code="GM0935", name="Maastricht")
    heerlen = f.MunicipalityFactory(region=region, cbs_code="GM0917", name="Heerlen")
    sittard = f.MunicipalityFactory(region=region, cbs_code="GM1883", name="Sittard-Geleen")
    beek = f.MunicipalityFactory(region=region, cbs_code="GM0888", name="Beek")
    f.PostcodeRangeFactory(municipality=maastricht, start=6200, end=6229)
    f.PostcodeRangeFactory(municipality=heerlen, start=6400, end=6422)
    f.PostcodeRangeFactory(municipality=sittard, start=6130, end=6139)
    f.PostcodeRangeFactory(municipality=beek, start=6190, end=6191)
    jgz = f.OrganisationFactory(name="JGZ Test", kind=OrganisationKind.JGZ, region=region)
    jgz.municipalities_served.add(maastricht, heerlen)
    other_jgz = f.OrganisationFactory(name="JGZ Ander", kind=OrganisationKind.JGZ, region=region)
    other_jgz.municipalities_served.add(sittard)
    practice = f.OrganisationFactory(name="Verloskundigen Test", kind=OrganisationKind.MIDWIFERY, region=region)
    provider_org = f.OrganisationFactory(name="Aanbieder Test", kind=OrganisationKind.PROVIDER, region=region)
    municipality_org = f.OrganisationFactory(name="Gemeente Test", kind=OrganisationKind.MUNICIPALITY, region=region)
    officer = _person("officer@example.org", municipality_org, Role.MUNICIPALITY_OFFICER)
    officer.memberships.get().municipalities.add(maastricht)
    return World(
        region=region,
        maastricht=maastricht,
        heerlen=heerlen,
        sittard=sittard,
        beek=beek,
        jgz=jgz,
        other_jgz=other_jgz,
        practice=practice,
        provider_org=provider_org,
        municipality_org=municipality_org,
        midwife=_person("midwife@example.org", practice, Role.REFERRER),
        planner=_person("planner@example.org", jgz, Role.PLANNER),
        nurse=_person("nurse@example.org", jgz, Role.NURSE),
        nurse2=_person("nurse2@example.org", jgz, Role.NURSE),
        other_nurse=_person("other-nurse@example.org", other_jgz, Role.NURSE),
        other_planner=_person("other-planner@example.org", other_jgz, Role.PLANNER),
        provider=_person("provider@example.org", provider_org, Role.PROVIDER),
        officer=officer,
        coordinator=_person("coordinator@example.org", municipality_org, Role.REGION_COORDINATOR),
        privacy=_person("privacy@example.org", jgz, Role.PRIVACY_OFFICER),
        admin=_person("admin@example.org", jgz, Role.ADMINISTRATOR, is_staff=True, is_superuser=True),
        nobody=f.UserFactory(email="nobody@example.org"),
        domains=[
            f.DomainFactory(region=region, code=c, name_nl=n, name_en=n)
            for c, n in [("financial", "Financiën"), ("housing", "Huisvesting")]
        ],
    )


@pytest.fixture
def world(db) -> World:
    return build_world()


def referral_data(world: World, **overrides) -> dict:
    """A valid POST body for the referral form."""
    today = timezone.localdate()
    data = {
        "submission_key": str(f.new_key()),
        "first_name": "Lotte",
        "last_name": "Janssen",
        "date_of_birth": (today - timedelta(days=365 * 25)).isoformat(),
        "bsn": "",
        "street": "Markt",
        "house_number": "1",
        "postcode": "6211 AB",
        "city": "Maastricht",
        "phone": "0612345678",
        "email": "",
        "preferred_language": "nl",
        "due_date": (today + timedelta(weeks=20)).isoformat(),
        "domains": [str(world.domains[0].pk)],
        "reason": "Zorgen over schulden en huisvesting.",
        "urgency": "1",
        "screening_instrument": "r4u",
        "consent_contact": "on",
        "consent_feedback": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def login(client):
    """Log a user in through the real login form (axes needs the request)."""

    def _login(user, c=None):
        c = c or client
        c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return c

    return _login


# --- Helpers for building cases and referrals in a known state -----------------

#: The lead-time stamps a case carries once it has reached a status.
_STAMPS = {
    "received": (),
    "assigned": ("assigned_at",),
    "in_contact": ("assigned_at", "first_contact_at"),
    "visited": ("assigned_at", "first_contact_at", "first_visit_at"),
    "follow_up": ("assigned_at", "first_contact_at", "first_visit_at"),
    "closed": ("assigned_at", "first_contact_at", "closed_at"),
}


def make_case(world: World, status: str = "received", *, organisation="jgz", nurse=None, client=None, **fields):
    """A case at `organisation` (default: world.jgz; None for an unserved one) in `status`.

    Any status after "received" gets `world.nurse` unless another nurse is given, and
    the stamps it would have had; a closed case is closed as completed.
    """
    if organisation == "jgz":
        organisation = world.jgz
    if nurse is None and status != "received":
        nurse = world.nurse
    now = timezone.now()
    values = dict.fromkeys(_STAMPS[status], now)
    if status == "closed":
        values["close_reason"] = "completed"
    values.update(fields)
    return f.CaseFactory(
        client=client or f.ClientFactory(),
        region=values.pop("region", world.region),
        municipality=values.pop("municipality", world.maastricht if organisation is not None else world.beek),
        organisation=organisation,
        nurse=nurse,
        status=status,
        **values,
    )


def http_request(user, path: str = "/test/"):
    """A request as services expect it (user, IP address, path) for calling them without a view."""
    from django.test import RequestFactory

    request = RequestFactory().post(path)
    request.user = user
    return request


def refer(
    world: World, *, referrer=None, key=None, due_date=None, urgency: int = 1, consent_feedback: bool = True, **client
):
    """Create a referral through the service, as the referral form would (default: `world.midwife`)."""
    from kansrijk.organisations.models import Membership
    from kansrijk.referrals.services import ClientDetails, referral_create

    referrer = referrer or world.midwife
    today = timezone.localdate()
    details = {
        "first_name": "Lotte",
        "last_name": "Janssen",
        "date_of_birth": today - timedelta(days=365 * 25),
        "postcode": "6211 AB",
    }
    details.update(client)
    return referral_create(
        request=http_request(referrer),
        referrer=referrer,
        membership=Membership.objects.get(user=referrer, role=Role.REFERRER),
        details=ClientDetails(**details),
        due_date=due_date or today + timedelta(weeks=20),
        urgency=urgency,
        screening_instrument="r4u",
        domains=world.domains[:1],
        reason="Zorgen over schulden.",
        consent_contact=True,
        consent_feedback=consent_feedback,
        submission_key=key or f.new_key(),
    )
