"""Load the demo region. Idempotent: a second run adds nothing."""

import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from kansrijk.accounts.models import User
from kansrijk.cases.models import Case, CaseEvent
from kansrijk.cases.services import case_transition
from kansrijk.organisations.models import (
    Membership,
    Municipality,
    Organisation,
    OrganisationKind,
    PostcodeRange,
    Region,
    Role,
)
from kansrijk.referrals.models import Referral, ScreeningInstrument, Urgency, VulnerabilityDomain
from kansrijk.referrals.services import ClientDetails, referral_create

DEMO_PASSWORD = "kansrijk-demo"
DEMO_DOMAIN = "demo.kansrijk.nl"

# Real CBS codes; postcode areas (four digits) as used by PostNL for these municipalities.
MUNICIPALITIES = [
    ("GM0935", "Maastricht", [(6200, 6229)]),
    ("GM0917", "Heerlen", [(6400, 6422), (6430, 6433)]),
    ("GM0888", "Beek", [(6190, 6191)]),
]

# The domains of DOMAIN.md; the region may extend the catalogue in the admin.
DOMAINS = [
    ("social", "Sociale situatie", "Social situation"),
    ("financial", "Financiën", "Finances"),
    ("housing", "Huisvesting", "Housing"),
    ("psychological", "Psychisch welbevinden", "Mental wellbeing"),
    ("lifestyle", "Leefstijl en middelengebruik", "Lifestyle and substance use"),
    ("relationship", "Relatie en huiselijk geweld", "Relationship and domestic violence"),
    ("network", "Sociaal netwerk", "Social network"),
    ("language", "Taal en geletterdheid", "Language and literacy"),
    ("medical", "Medische en obstetrische voorgeschiedenis", "Medical and obstetric history"),
]

ORGANISATIONS = [
    ("jgz", "JGZ Zuid-Limburg (demo)", OrganisationKind.JGZ),
    ("vlk1", "Verloskundigenpraktijk De Maas (demo)", OrganisationKind.MIDWIFERY),
    ("vlk2", "Verloskundigen Parkstad (demo)", OrganisationKind.MIDWIFERY),
    ("kraam", "Kraamzorg Limburg (demo)", OrganisationKind.MATERNITY),
    ("ha", "Huisartsenpraktijk Wyck (demo)", OrganisationKind.GP),
    ("aanbieder", "Stichting Steunouders Limburg (demo)", OrganisationKind.PROVIDER),
    ("gemeente", "Gemeente Maastricht (demo)", OrganisationKind.MUNICIPALITY),
]

#: e-mail (before @), full name, [(organisation key, role)]
USERS = [
    ("verloskundige", "Sanne Verloskundige", [("vlk1", Role.REFERRER)]),
    ("verloskundige2", "Fatima Verloskundige", [("vlk2", Role.REFERRER)]),
    ("planner", "Petra Planner", [("jgz", Role.PLANNER)]),
    ("jvp1", "Joke Jeugdverpleegkundige", [("jgz", Role.NURSE)]),
    ("jvp2", "Yasmin Jeugdverpleegkundige", [("jgz", Role.NURSE)]),
    ("kraamzorg", "Karin Kraamverzorgende", [("kraam", Role.REFERRER)]),
    ("huisarts", "Hans Huisarts", [("ha", Role.REFERRER)]),
    ("aanbieder", "Anouk Aanbieder", [("aanbieder", Role.PROVIDER)]),
    ("gemeente", "Gerard Gemeente", [("gemeente", Role.MUNICIPALITY_OFFICER)]),
    ("regio", "Rianne Regio", [("gemeente", Role.REGION_COORDINATOR)]),
    ("privacy", "Priya Privacy", [("jgz", Role.PRIVACY_OFFICER)]),
    ("beheer", "Bert Beheer", [("jgz", Role.ADMINISTRATOR)]),
]

# Invented women; BSNs from the RvIG test range (999990000–999999999), never real people.
CASES = [
    # key, referrer, first, last, dob offset years, bsn, postcode, city, weeks pregnant, urgency, domains, lang, interp, steps
    (
        "c1",
        "verloskundige",
        "Lotte",
        "Janssen",
        24,
        "999990019",
        "6211 AB",
        "Maastricht",
        14,
        Urgency.NORMAL,
        ["financial", "housing"],
        "nl",
        False,
        [],
    ),
    (
        "c2",
        "verloskundige",
        "Amal",
        "Haddad",
        29,
        "",
        "6221 CD",
        "Maastricht",
        22,
        Urgency.HIGH,
        ["language", "network", "psychological"],
        "ar",
        True,
        [],
    ),
    (
        "c3",
        "kraamzorg",
        "Kim",
        "Bosch",
        19,
        "999990020",
        "6412 EF",
        "Heerlen",
        18,
        Urgency.URGENT,
        ["relationship", "psychological"],
        "nl",
        False,
        [],
    ),
    (
        "c4",
        "huisarts",
        "Oksana",
        "Kovalenko",
        31,
        "",
        "6191 GH",
        "Beek",
        26,
        Urgency.NORMAL,
        ["language", "financial"],
        "uk",
        True,
        [("assign", "jvp1")],
    ),
    (
        "c5",
        "verloskundige",
        "Esra",
        "Yilmaz",
        27,
        "999990032",
        "6217 JK",
        "Maastricht",
        20,
        Urgency.NORMAL,
        ["lifestyle", "social"],
        "tr",
        False,
        [("assign", "jvp1"), ("contact", "jvp1")],
    ),
    (
        "c6",
        "verloskundige2",
        "Naomi",
        "de Wit",
        22,
        "",
        "6417 LM",
        "Heerlen",
        28,
        Urgency.HIGH,
        ["housing", "financial", "network"],
        "nl",
        False,
        [("assign", "jvp1"), ("contact", "jvp1"), ("visit", "jvp1")],
    ),
    (
        "c7",
        "kraamzorg",
        "Marieke",
        "Smeets",
        34,
        "",
        "6224 NP",
        "Maastricht",
        30,
        Urgency.NORMAL,
        ["medical", "psychological"],
        "nl",
        False,
        [("assign", "jvp2"), ("contact", "jvp2"), ("visit", "jvp2"), ("follow_up", "jvp2")],
    ),
    (
        "c8",
        "huisarts",
        "Agnieszka",
        "Nowak",
        26,
        "",
        "6215 RS",
        "Maastricht",
        16,
        Urgency.NORMAL,
        ["language"],
        "pl",
        True,
        [("assign", "jvp2"), ("close", "jvp2")],
    ),
    (
        "c9",
        "verloskundige",
        "Sarah",
        "Peters",
        30,
        "",
        "5611 AA",
        "Eindhoven",
        12,
        Urgency.NORMAL,
        ["social"],
        "nl",
        False,
        [],
    ),
]


#: How long ago each demo case was referred.
REFERRED_AGO = {
    "c1": timedelta(days=2, hours=3),
    "c2": timedelta(days=1, hours=1),
    "c3": timedelta(hours=5),
    "c4": timedelta(days=6),
    "c5": timedelta(days=10),
    "c6": timedelta(days=20),
    "c7": timedelta(days=35),
    "c8": timedelta(days=30),
    "c9": timedelta(days=3),
}

#: transition, the Case field it stamps, days after the referral it happened in the demo.
STEP_DAYS = [
    ("assign", "assigned_at", 1),
    ("contact", "first_contact_at", 3),
    ("visit", "first_visit_at", 9),
    ("follow_up", "", 14),
    ("close", "closed_at", 12),
]

#: Each app that adds demo data has a `load(context)` that is idempotent on its own.
DEMO_EXTENSIONS = [
    "kansrijk.socialmap.demo.load",
    "kansrijk.care.demo.load",
    "kansrijk.followup.demo.load",
    "kansrijk.feedback.demo.load",
    "kansrijk.desk.demo.load",
    "kansrijk.monitoring.demo_births.load",
    "kansrijk.monitoring.demo_history.load",
    "kansrijk.monitoring.demo_planning.load",
    "kansrijk.agreements.demo.load",
    "kansrijk.evaluation.demo.load",
    "kansrijk.monitoring.demo_monthly.load",  # last: after everything that writes cases
]


@dataclass
class DemoContext:
    region: Region
    municipalities: dict[str, Municipality]
    organisations: dict[str, Organisation]
    users: dict[str, User]
    #: The demo cases by key (c1 … c9), see CASES.
    cases: dict[str, Case]
    #: `request_for(user)` gives a stand-in request for services that audit.
    request_for: type


def demo_submission_key(key: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"kansrijk-demo-{key}")


@contextmanager
def _no_email():
    backend = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    try:
        yield
    finally:
        settings.EMAIL_BACKEND = backend


class _DemoRequest:
    """A stand-in request for services that audit: the demo loader acts as the demo user."""

    META: dict = {"REMOTE_ADDR": "127.0.0.1"}

    def __init__(self, user):
        self.user = user

    def get_full_path(self) -> str:
        return "manage.py load_demo"


class Command(BaseCommand):
    help = "Load the demo region (idempotent)."

    def handle(self, *args, **options):
        # The demo sends no e-mail (feedback would otherwise tell the demo midwife there is news).
        with _no_email(), transaction.atomic():
            self._load()

    def _load(self):
        region, _ = Region.objects.get_or_create(name="Demo-regio")
        municipalities = {}
        for code, name, ranges in MUNICIPALITIES:
            m, _ = Municipality.objects.get_or_create(cbs_code=code, defaults={"name": name, "region": region})
            municipalities[name] = m
            for start, end in ranges:
                PostcodeRange.objects.get_or_create(municipality=m, start=start, end=end)
        for order, (code, nl, en) in enumerate(DOMAINS, start=1):
            VulnerabilityDomain.objects.get_or_create(
                region=region, code=code, defaults={"name_nl": nl, "name_en": en, "order": order * 10}
            )
        orgs = {}
        for key, name, kind in ORGANISATIONS:
            orgs[key], _ = Organisation.objects.get_or_create(region=region, name=name, defaults={"kind": kind})
        orgs["jgz"].municipalities_served.add(*municipalities.values())

        users = {}
        for local, full_name, roles in USERS:
            email = f"{local}@{DEMO_DOMAIN}"
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(email, DEMO_PASSWORD, full_name=full_name)
            users[local] = user
            for org_key, role in roles:
                membership, _ = Membership.objects.get_or_create(user=user, organisation=orgs[org_key], role=role)
                if role == Role.MUNICIPALITY_OFFICER:
                    membership.municipalities.add(municipalities["Maastricht"])
        beheer = users["beheer"]
        if not beheer.is_superuser:
            beheer.is_staff = beheer.is_superuser = True
            beheer.save(update_fields=["is_staff", "is_superuser"])

        created = self._load_cases(region, users)
        context = DemoContext(
            region=region,
            municipalities=municipalities,
            organisations=orgs,
            users=users,
            cases={key: self._demo_case(key) for key, *_ in CASES},
            request_for=_DemoRequest,
        )
        for path in DEMO_EXTENSIONS:
            import_string(path)(context)
        self.stdout.write(self.style.SUCCESS(f"Demo region ready ({created} demo cases added)."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for local, _full_name, roles in USERS:
            role_names = ", ".join(str(Role(r).label) for _, r in roles)
            self.stdout.write(f"  {local + '@' + DEMO_DOMAIN:<34} {role_names}")

    def _spread_steps(self, case: Case, referred_at) -> None:
        """Place the demo case's steps on plausible days after its referral (never in the future)."""
        now = timezone.now()
        for transition, stamp, days in STEP_DAYS:
            at = min(referred_at + timedelta(days=days), now)
            if stamp and getattr(case, stamp) is not None:
                Case.objects.filter(pk=case.pk).update(**{stamp: at})
            CaseEvent.objects.filter(case=case, transition=transition).update(at=at)

    def _demo_case(self, key: str) -> Case:
        return Referral.objects.select_related("case").get(submission_key=demo_submission_key(key)).case

    def _load_cases(self, region, users) -> int:
        today = timezone.localdate()
        created = 0
        for (
            key,
            referrer_key,
            first,
            last,
            age,
            bsn,
            postcode,
            city,
            weeks,
            urgency,
            domain_codes,
            lang,
            interp,
            steps,
        ) in CASES:
            submission_key = demo_submission_key(key)
            if Referral.objects.filter(submission_key=submission_key).exists():
                continue
            referrer = users[referrer_key]
            membership = Membership.objects.get(user=referrer, role=Role.REFERRER)
            result = referral_create(
                request=_DemoRequest(referrer),
                referrer=referrer,
                membership=membership,
                details=ClientDetails(
                    first_name=first,
                    last_name=last,
                    date_of_birth=today.replace(year=today.year - age, day=1),
                    bsn=bsn,
                    postcode=postcode,
                    street="Demostraat",
                    house_number=str(10 + created),
                    city=city,
                    phone="06-00000000",
                    preferred_language=lang,
                    interpreter_needed=interp,
                ),
                due_date=today + timedelta(weeks=40 - weeks),
                urgency=urgency,
                screening_instrument=ScreeningInstrument.R4U
                if referrer_key.startswith("verlos")
                else ScreeningInstrument.NONE,
                domains=VulnerabilityDomain.objects.filter(region=region, code__in=domain_codes),
                reason="Demo: verzonnen situatie voor het uitproberen van Kansrijk. Geen echte persoon.",
                consent_contact=True,
                consent_feedback=key != "c2",
                submission_key=submission_key,
            )
            # Spread the demo over the past weeks, so waiting times and timelines look like real work.
            referred_at = timezone.now() - REFERRED_AGO[key]
            Case.objects.filter(pk=result.referral.case_id).update(received_at=referred_at)
            Referral.objects.filter(pk=result.referral.pk).update(
                created_at=referred_at, consent_recorded_at=referred_at
            )
            CaseEvent.objects.filter(case_id=result.referral.case_id).update(at=referred_at)
            case = Case.objects.get(pk=result.referral.case_id)
            for name, actor_key in steps:
                actor = users["planner"] if name == "assign" else users[actor_key]
                case_transition(
                    request=_DemoRequest(actor),
                    case=case,
                    name=name,
                    nurse=users[actor_key] if name == "assign" else None,
                    reason="moved" if name == "close" else "",
                    note="Demo" if name == "close" else "",
                )
            self._spread_steps(case, referred_at)
            created += 1
        return created
