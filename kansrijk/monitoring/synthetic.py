"""Synthetic data: a whole country for the benchmarks, and a few years of history for the demo region.

Everything made here is invented (names "Synthetisch", no BSN, addresses without a street). Rows are
written in bulk (`Writer`: PostgreSQL COPY, else executemany) with explicit ids, bypassing `save()` on
purpose, and respect every database constraint (the database checks them). Lead times, outcomes, visit
forms and follow-up statuses are drawn from plausible distributions, so the figures pages show what a
real region would look like.
"""

import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.utils import timezone

from kansrijk.audit.models import AuditEntry
from kansrijk.care.models import Assessment, AssessmentDomain, ContactAttempt, Visit
from kansrijk.cases.models import Case, CaseEvent
from kansrijk.clients.models import Client
from kansrijk.feedback.models import Feedback
from kansrijk.followup.models import FollowUp, FollowUpEvent, Gap
from kansrijk.referrals.models import Referral

SOURCES = [
    ("midwife", 55),
    ("hospital", 15),
    ("maternity", 5),
    ("gp", 8),
    ("social_team", 7),
    ("self", 5),
    ("other", 5),
]
CLOSE_REASONS = [
    ("completed", 62),
    ("declined", 12),
    ("unreachable", 8),
    ("moved", 5),
    ("pregnancy_ended", 3),
    ("already_in_care", 6),
    ("not_in_target_group", 4),
]
#: Visits held per family visited: three to four on average (the demo capacity plan counts three), some more.
HELD_VISITS = [1, 2, 2, 3, 3, 4, 4, 5, 5, 6]
#: A planned visit that is cancelled and held some days later instead (illness, the family not at home).
CANCELLED_SHARE = 0.25
VISIT_FORMS = [("home", 70), ("video", 15), ("phone", 13), ("elsewhere", 2)]
FOLLOW_STATUSES = [
    ("started", 40),
    ("ended", 20),
    ("waiting_list", 10),
    ("accepted", 5),
    ("sent", 8),
    ("proposed", 4),
    ("declined_family", 8),
    ("declined_provider", 5),
]
#: For history that is over: every follow-up reached its end (nothing left to stagnate).
#: A follow-up referral older than this has started or been declined (no longer sent, accepted or waiting).
FOLLOW_UP_SETTLED_DAYS = 270
#: Support that started longer ago than this has ended.
FOLLOW_UP_ENDS_DAYS = 730
FINAL_FOLLOW_STATUSES = [("started", 30), ("ended", 50), ("declined_family", 12), ("declined_provider", 8)]
GAP_REASONS = ["none_exists", "waiting_too_long", "not_reachable", "language", "costs"]
FIRST_NAMES = ["Anna", "Fatima", "Sanne", "Olena", "Aylin", "Maria", "Lotte", "Noor", "Eva", "Yasmin", "Iris", "Zeynep"]
MISSING = object()


def pick(rng: random.Random, weighted):
    return rng.choices([v for v, _w in weighted], weights=[w for _v, w in weighted])[0]


class Writer:
    """Bulk writer with explicit ids: COPY on PostgreSQL, executemany elsewhere. Call `flush()` at the end."""

    def __init__(self, chunk: int = 20_000):
        self.pg = connection.vendor == "postgresql"
        self.chunk = chunk
        self.pending: dict = {}
        self.ids: dict = {}
        self.written: dict = {}
        self.municipalities: set = set()  # of the cases written: their monthly summary is rebuilt

    def next_id(self, model) -> int:
        if model not in self.ids:
            last = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            self.ids[model] = last
        self.ids[model] += 1
        return self.ids[model]

    def add(self, model, **values) -> int:
        if "id" not in values:
            values["id"] = self.next_id(model)
        self.pending.setdefault(model, []).append(values)
        if model._meta.label == "cases.Case":
            self.municipalities.add(values.get("municipality_id"))
        if len(self.pending[model]) >= self.chunk:
            self._write(model)
        return values["id"]

    def _prep(self, f, value):
        if value is MISSING:
            if f.has_default():
                value = f.get_default()
            elif f.null:
                value = None
            else:
                value = ""
        return f.get_db_prep_save(value, connection)

    def _write(self, model) -> None:
        rows = self.pending.pop(model, [])
        if not rows:
            return
        fields = list(model._meta.concrete_fields)
        table = model._meta.db_table
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        data = [[self._prep(f, row.get(f.attname, MISSING)) for f in fields] for row in rows]
        with connection.cursor() as cursor:
            if self.pg:
                with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN") as copy:
                    for row in data:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(fields))
                # Table and column names come from the models, never from input.
                sql = f"INSERT INTO {connection.ops.quote_name(table)} ({columns}) VALUES ({marks})"  # noqa: S608
                cursor.executemany(sql, data)
        self.written[model] = self.written.get(model, 0) + len(rows)

    def flush(self) -> None:
        # Parents before children (foreign keys are checked at once on SQLite).
        for model in [*ORDER, *_late_models()]:
            self._write(model)
        for model in list(self.pending):
            self._write(model)
        if self.municipalities:
            # COPY sends no signals: the monthly summary of these municipalities is made again from their cases.
            from . import monthly

            monthly.rebuild(sorted(m for m in self.municipalities if m is not None))
            self.municipalities = set()
        if self.pg:
            with connection.cursor() as cursor:
                for model in self.ids:
                    table = model._meta.db_table
                    quoted = connection.ops.quote_name(table)  # a model's table name, never input
                    sql = (
                        f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT COALESCE(MAX(id), 1) FROM {quoted}))"  # noqa: S608
                    )
                    cursor.execute(sql, [table])


ORDER = [
    Client,
    Case,
    Referral,
    Referral.domains.through,
    CaseEvent,
    ContactAttempt,
    Visit,
    Assessment,
    AssessmentDomain,
    FollowUp,
    FollowUpEvent,
    Gap,
    Feedback,
    AuditEntry,
]


def _late_models() -> list:
    """Models written after the case rows (imported late: other apps)."""
    from kansrijk.agreements.models import Agreement
    from kansrijk.desk.models import Question

    return [Question, Agreement, Agreement.municipalities.through, Agreement.parties.through]


@dataclass
class Place:
    """What cases of one municipality are made with."""

    municipality: object
    births_per_year: int
    region_id: int
    jgz: object
    nurses: list
    referrer_orgs: dict  # source → organisation (or None)
    offers: list  # (offer id, [domain ids])
    domain_ids: list
    #: source → ids of the people who refer from that organisation (none: the referral has no referrer).
    referrers: dict = field(default_factory=dict)


@dataclass
class Made:
    cases: int = 0
    counts: dict = field(default_factory=dict)


def _aware(day: date, seconds: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min)) + timedelta(seconds=seconds)


def add_cases(
    place: Place,
    n: int,
    *,
    start: date,
    end: date,
    rng: random.Random,
    writer: Writer,
    now=None,
    closed_only: bool = False,
    audit: bool = True,
) -> int:
    """Add `n` cases for one municipality, received between `start` and `end` (not after now).
    `closed_only`: every case is closed (history that must not fill anyone's work lists)."""
    now = now or timezone.now()
    span = max(1, (end - start).days)
    municipality = place.municipality
    for _i in range(n):
        received = _aware(start + timedelta(days=rng.randrange(span)), rng.randrange(8 * 3600, 18 * 3600))
        if received > now:
            received = now - timedelta(hours=rng.randrange(1, 48))
        weeks = min(36, max(6, int(rng.gauss(22, 6))))
        due = (received + timedelta(days=(40 - weeks) * 7)).date()
        age = (now - received).days
        nurse = rng.choice(place.nurses) if place.nurses else None
        assigned = received + timedelta(hours=rng.expovariate(1 / 40)) if nurse else None
        contacted = assigned + timedelta(hours=rng.expovariate(1 / 90)) if assigned and rng.random() < 0.92 else None
        accepted = contacted is not None and rng.random() < 0.80
        visited = contacted + timedelta(days=rng.expovariate(1 / 9)) if accepted else None
        stamps = [s for s in (assigned, contacted, visited) if s is not None and s > now]
        if stamps:  # not yet happened: stop the story there
            if assigned and assigned > now:
                assigned = contacted = visited = None
                accepted = False
            elif contacted and contacted > now:
                contacted = visited = None
                accepted = False
            elif visited and visited > now:
                visited = None
                accepted = False
        if closed_only or age > 150 or (age > 60 and rng.random() < 0.5):
            if visited:
                reason = "completed" if rng.random() < 0.9 else pick(rng, CLOSE_REASONS)
            elif contacted:
                reason = rng.choice(["declined", "declined", "already_in_care", "not_in_target_group", "moved"])
            else:
                reason = rng.choice(["unreachable", "unreachable", "moved", "pregnancy_ended"])
            status = "closed"
            closed_at = min(now, received + timedelta(days=rng.randrange(60, 200)))
        else:
            reason, closed_at = "", None
            status = (
                "follow_up"
                if visited and rng.random() < 0.4
                else "visited"
                if visited
                else "in_contact"
                if contacted
                else "assigned"
                if assigned
                else "received"
            )
        case_nurse = nurse if assigned else None
        if status == "received":
            case_nurse = None
        client_id = writer.add(
            Client,
            first_name=rng.choice(FIRST_NAMES),
            last_name=f"Synthetisch {rng.randrange(10**6):06d}",
            date_of_birth=date(received.year - rng.randrange(17, 42), rng.randrange(1, 13), rng.randrange(1, 29)),
            bsn="",
            postcode="1000 AA",
            city=municipality.name,
            preferred_language="nl",
            created_at=received,
        )
        case_id = writer.add(
            Case,
            client_id=client_id,
            region_id=place.region_id,
            municipality_id=municipality.pk,
            organisation_id=place.jgz.pk,
            nurse_id=case_nurse.pk if case_nurse else None,
            status=status,
            close_reason=reason,
            due_date=due,
            urgency=1,
            received_at=received,
            assigned_at=assigned,
            first_contact_at=contacted,
            first_visit_at=visited,
            closed_at=closed_at,
            version=1,
        )
        source = pick(rng, SOURCES)
        organisation = place.referrer_orgs.get(source)
        consent_feedback = source != "self" and rng.random() < 0.85
        referrers = place.referrers.get(source)
        referral_id = writer.add(
            Referral,
            case_id=case_id,
            referrer_id=rng.choice(referrers) if referrers else None,
            referrer_organisation_id=organisation.pk if organisation else None,
            source=source,
            created_at=received,
            due_date=due,
            urgency=1,
            screening_instrument="none",
            reason="Synthetische aanmelding.",
            consent_contact=True,
            consent_feedback=consent_feedback,
            consent_recorded_at=received,
            joined_existing_case=False,
            submission_key=uuid.UUID(int=rng.getrandbits(128)),
        )
        domains = rng.sample(place.domain_ids, k=min(len(place.domain_ids), rng.choice([1, 1, 2, 2, 3])))
        for domain_id in domains:
            writer.add(Referral.domains.through, referral_id=referral_id, vulnerabilitydomain_id=domain_id)
        writer.add(CaseEvent, case_id=case_id, at=received, actor_id=None, kind="referral")
        if audit:
            _audit(writer, rng, case_id, client_id, nurse, place.jgz, received, count=rng.randrange(3, 9))
        if contacted and nurse:
            writer.add(
                ContactAttempt,
                case_id=case_id,
                at=contacted,
                method="phone",
                reached=True,
                recorded_by_id=nurse.pk,
                created_at=contacted,
                submission_key=uuid.UUID(int=rng.getrandbits(128)),
            )
        # What the referrer hears about: the moments of the case, in order (see kansrijk.feedback.selectors).
        tell = consent_feedback and organisation is not None and nurse is not None
        moments = [("first_contact", contacted)] if contacted else []
        final = None
        if status == "closed":
            final = ("declined" if reason in ("declined", "unreachable") else "closed", closed_at)
        if not visited:
            if tell:
                _feedback(writer, rng, now, case_id, referral_id, nurse, [*moments, final] if final else moments)
            continue
        moments.append(("visit_held", visited))
        first_started = None
        at = visited
        for k in range(rng.choice(HELD_VISITS)):
            if at > now:
                break
            if k and rng.random() < CANCELLED_SHARE:  # planned, then cancelled and held some days later
                _visit(writer, rng, case_id, nurse, at, "cancelled", "home", 7, cancellation_note="Synthetisch: verzet")
                at += timedelta(days=rng.randrange(2, 10))
                if at > now:
                    break
            _visit(
                writer,
                rng,
                case_id,
                nurse,
                at,
                "held",
                pick(rng, VISIT_FORMS) if k else "home",
                3,
                duration_minutes=rng.randrange(40, 110),
            )
            at += timedelta(days=rng.randrange(10, 35))
        assessment_id = writer.add(
            Assessment,
            case_id=case_id,
            number=1,
            created_at=visited,
            created_by_id=nurse.pk,
            family_questions="Synthetisch.",
            support_needed=rng.choice(["none", "light", "light", "intensive"]),
            submission_key=uuid.UUID(int=rng.getrandbits(128)),
        )
        for domain_id in domains:
            writer.add(AssessmentDomain, assessment_id=assessment_id, domain_id=domain_id)
        chosen = rng.sample(place.offers, k=min(len(place.offers), rng.choice([0, 1, 1, 2, 3])))
        for offer_id, offer_domains in chosen:  # one follow-up per offer: at most one open per offer and case
            created = visited + timedelta(days=rng.randrange(0, 10))
            if created > now:
                break
            # Support that was referred to long ago has started or was declined by now, and ends within two years.
            old = (now - created).days > FOLLOW_UP_SETTLED_DAYS
            status = pick(rng, FINAL_FOLLOW_STATUSES if closed_only or old else FOLLOW_STATUSES)
            sent = (
                min(created + timedelta(hours=rng.randrange(1, 48)), now)
                if status not in ("proposed", "declined_family")
                else None
            )
            started = sent + timedelta(days=rng.expovariate(1 / 18)) if status in ("started", "ended") else None
            if started and started > now:
                status, started = "accepted", None
            if status == "started" and (now - started).days > FOLLOW_UP_ENDS_DAYS:
                status = "ended"
            changed = started or sent or created
            if status == "ended":
                changed = started + timedelta(days=rng.randrange(60, FOLLOW_UP_ENDS_DAYS))
            history = _follow_up_history(rng, status, created, sent, started, changed, now)
            follow_id = writer.add(
                FollowUp,
                case_id=case_id,
                offer_id=offer_id,
                domain_id=offer_domains[0] if offer_domains else None,
                status=status,
                status_changed_at=history[-1][2],  # when it got its status, as its last event says
                expected_start=(created + timedelta(days=45)).date() if status == "waiting_list" else None,
                decline_reason="Synthetisch." if status.startswith("declined") else "",
                sent_at=sent,
                created_by_id=nurse.pk,
                created_at=created,
                version=1,
            )
            if started:
                first_started = min(first_started or started, started)
            for before, after, when in history:
                writer.add(
                    FollowUpEvent,
                    follow_up_id=follow_id,
                    at=when,
                    actor_id=nurse.pk,
                    from_status=before,
                    to_status=after,
                )
        if rng.random() < 0.06:
            writer.add(
                Gap,
                case_id=case_id,
                domain_id=rng.choice(domains),
                municipality_id=municipality.pk,
                need="Synthetisch.",
                reason=rng.choice(GAP_REASONS),
                created_by_id=nurse.pk,
                created_at=visited + timedelta(days=rng.randrange(1, 20)),
            )
        if tell:
            if first_started:
                moments.append(("follow_up", first_started))
            _feedback(writer, rng, now, case_id, referral_id, nurse, [*moments, final] if final else moments)
    return n


def _visit(writer, rng, case_id, nurse, at, status, form, planned_days_before, **fields) -> None:
    writer.add(
        Visit,
        case_id=case_id,
        nurse_id=nurse.pk,
        status=status,
        scheduled_at=at,
        form=form,
        created_at=at - timedelta(days=planned_days_before),
        version=2 if status == "cancelled" else 1,
        submission_key=uuid.UUID(int=rng.getrandbits(128)),
        **fields,
    )


def _follow_up_history(rng, status, created, sent, started, changed, now) -> list[tuple[str, str, datetime]]:
    """Each status change of a follow-up referral, as the application records it (followup.services): made,
    sent, accepted, on a waiting list, started, ended or declined, in order and none after `now`."""
    events = [("", "proposed", created)]
    if sent:
        events.append(("proposed", "sent", sent))
    if status == "declined_family":
        events.append(("proposed", status, changed))
    elif status == "declined_provider":
        events.append(("sent", status, sent + timedelta(days=rng.randrange(1, 10))))
    elif status in ("accepted", "waiting_list", "started", "ended"):
        accepted = sent + timedelta(hours=rng.randrange(4, 96))
        events.append(("sent", "accepted", min(accepted, started) if started else accepted))
        if status == "waiting_list":
            events.append(("accepted", status, accepted + timedelta(days=rng.randrange(1, 7))))
        if started:
            events.append(("accepted", "started", started))
        if status == "ended":
            events.append(("started", "ended", changed))
    return [(before, after, min(at, now)) for before, after, at in events]


FEEDBACK_TEXT = {
    "first_contact": "Er is contact gelegd.",
    "visit_held": "Het huisbezoek is geweest.",
    "follow_up": "Er is vervolgondersteuning gestart.",
    "declined": "Er is geen begeleiding.",
    "closed": "De begeleiding is afgerond.",
}


def _feedback(writer, rng, now, case_id, referral_id, nurse, moments) -> None:
    """Feedback sent to the referrer, as nurses do: most moments told within a few days, the last one almost
    always once it is more than a fortnight old, so only recent moments are still due (on the day lists)."""
    for k, (moment, at) in enumerate(moments):
        last = k == len(moments) - 1
        sent_at = at + timedelta(hours=rng.randrange(2, 72))
        if sent_at > now:
            continue
        chance = (0.97 if (now - at).days > 14 else 0.75) if last else 0.9
        if rng.random() >= chance:
            continue
        read_at = sent_at + timedelta(hours=rng.randrange(1, 120))  # the referrer reads it within days, mostly
        if read_at > now or rng.random() >= 0.95:
            read_at = None
        writer.add(
            Feedback,
            case_id=case_id,
            referral_id=referral_id,
            moment=moment,
            text=FEEDBACK_TEXT[moment],
            status="sent",
            created_at=at,
            created_by_id=nurse.pk,
            sent_at=sent_at,
            sent_by_id=nurse.pk,
            read_at=read_at,
            version=1,
        )


def _audit(writer, rng, case_id, client_id, nurse, jgz, received, *, count: int) -> None:
    if nurse is None:
        return
    for k in range(count):
        writer.add(
            AuditEntry,
            at=received + timedelta(days=k * 3, minutes=rng.randrange(600)),
            user_id=nurse.pk,
            user_label=nurse.email,
            role="nurse",
            organisation_id=jgz.pk,
            organisation_label=jgz.name,
            client_id=client_id,
            case_id=case_id,
            action="read" if k % 3 else "update",
            outcome="success",
            description="case page",
            ip_address="10.0.0.1",
            path=f"/trajecten/{case_id}/",
            system="kansrijk",
        )


def spread(places: list[Place], total: int, rng: random.Random) -> list[tuple[Place, int]]:
    """Split `total` cases over places in proportion to their births (largest remainder)."""
    weight = sum(p.births_per_year for p in places) or 1
    shares = [(p, total * p.births_per_year / weight) for p in places]
    out = [(p, int(s)) for p, s in shares]
    rest = total - sum(n for _p, n in out)
    order = sorted(range(len(shares)), key=lambda i: shares[i][1] - int(shares[i][1]), reverse=True)
    for i in order[:rest]:
        out[i] = (out[i][0], out[i][1] + 1)
    return out


# --- A synthetic country (benchmarks) ------------------------------------------------------------------

#: Change this when the generator makes different data: `make bench` then builds its databases again.
VERSION = "synthetic country v6 (visits cancelled and held, the status history of each follow-up)"
COUNTRY_REGION_PREFIX = "Synthetische regio"
BENCH_DOMAIN = "bench.kansrijk.invalid"


def build_country(*, municipalities: int = 342, regions: int = 25, births: int = 170_000, years: int = 20, seed=1):
    """Regions, municipalities (GM5001…), organisations, people, offers and live births; once (idempotent)."""
    from kansrijk.accounts.models import User
    from kansrijk.demo.management.commands.load_demo import DOMAINS as DOMAIN_CODES
    from kansrijk.organisations.models import Membership, Municipality, Organisation, Region
    from kansrijk.referrals.models import VulnerabilityDomain
    from kansrijk.socialmap.models import Offer

    from .models_births import LiveBirths

    if Region.objects.filter(name__startswith=COUNTRY_REGION_PREFIX).exists():
        return
    rng = random.Random(seed)
    weights = sorted((rng.lognormvariate(0, 1.0) for _i in range(municipalities)), reverse=True)
    scale = births / sum(weights)
    this_year = timezone.localdate().year
    kinds = [
        ("midwifery", "Verloskundigen"),
        ("hospital", "Ziekenhuis"),
        ("maternity", "Kraamzorg"),
        ("gp", "Huisartsen"),
        ("social_team", "Sociaal team"),
    ]
    for r in range(regions):
        region = Region.objects.create(name=f"{COUNTRY_REGION_PREFIX} {r + 1:02d}")
        domains = [
            VulnerabilityDomain.objects.create(region=region, code=code, name_nl=nl, name_en=en, order=10 * (i + 1))
            for i, (code, nl, en) in enumerate(DOMAIN_CODES)
        ]
        jgz = Organisation.objects.create(name=f"JGZ {region.name}", kind="jgz", region=region)
        for kind, name in kinds:
            Organisation.objects.create(name=f"{name} {region.name}", kind=kind, region=region)
        provider = Organisation.objects.create(name=f"Aanbieder {region.name}", kind="provider", region=region)
        gemeente = Organisation.objects.create(name=f"Gemeenten {region.name}", kind="municipality", region=region)
        members = []
        for i in range(r, municipalities, regions):
            m = Municipality.objects.create(cbs_code=f"GM{5001 + i}", name=f"Synthetisch {i + 1:03d}", region=region)
            members.append(m)
            yearly = max(1, int(weights[i] * scale))
            LiveBirths.objects.bulk_create(
                [
                    LiveBirths(
                        municipality=m,
                        year=y,
                        count=max(1, int(yearly * rng.uniform(0.93, 1.07))),
                        source="synthetic (generate_synthetic)",
                    )
                    for y in range(this_year - years, this_year)
                ]
            )
        jgz.municipalities_served.add(*members)
        for k in range(6):
            offer = Offer.objects.create(
                region=region,
                name=f"Aanbod {k + 1} {region.name}",
                provider=provider,
                provider_name=provider.name,
                description="Synthetisch aanbod.",
            )
            offer.domains.add(domains[k % len(domains)], domains[(k + 3) % len(domains)])
            offer.municipalities.add(*members)
        region_births = sum(int(weights[i] * scale) for i in range(r, municipalities, regions))
        for n in range(max(2, region_births // 700)):
            user = User.objects.create_user(f"jvp{n + 1}.r{r + 1}@{BENCH_DOMAIN}", None, full_name=f"JVP {n + 1}")
            Membership.objects.create(user=user, organisation=jgz, role="nurse")
        planner = User.objects.create_user(f"planner.r{r + 1}@{BENCH_DOMAIN}", None, full_name="Planner")
        Membership.objects.create(user=planner, organisation=jgz, role="planner")
        officer = User.objects.create_user(f"gemeente.r{r + 1}@{BENCH_DOMAIN}", None, full_name="Beleid")
        Membership.objects.create(user=officer, organisation=gemeente, role="municipality_officer").municipalities.add(
            *members
        )
        coordinator = User.objects.create_user(f"regio.r{r + 1}@{BENCH_DOMAIN}", None, full_name="Regio")
        Membership.objects.create(user=coordinator, organisation=gemeente, role="region_coordinator")


#: The referrers of each region: (organisation kind, e-mail stem, how many). Each refers her share of her
#: organisation's referrals, so her "my referrals" list grows with the history, as it would in real use.
REFERRERS = [
    ("midwifery", "vlk", 4),
    ("hospital", "zh", 2),
    ("maternity", "kraam", 1),
    ("gp", "ha", 2),
    ("social_team", "st", 1),
]


def ensure_people() -> None:
    """The people of every synthetic region besides the JGZ and the municipality (idempotent, also for a
    country built by an earlier version): referrers, a provider's employee, a privacy officer."""
    from kansrijk.accounts.models import User
    from kansrijk.organisations.models import Membership, Organisation, Region

    regions = Region.objects.filter(name__startswith=COUNTRY_REGION_PREFIX).order_by("name")
    orgs: dict = {}
    for org in Organisation.objects.filter(region__in=regions):
        orgs.setdefault(org.region_id, {})[org.kind] = org
    wanted = []
    for region in regions:
        r = region_number(region.name)
        for kind, stem, count in REFERRERS:
            wanted += [(f"{stem}{k + 1}.r{r}@{BENCH_DOMAIN}", orgs[region.pk][kind], "referrer") for k in range(count)]
        wanted.append((f"aanbieder.r{r}@{BENCH_DOMAIN}", orgs[region.pk]["provider"], "provider"))
        wanted.append((f"privacy.r{r}@{BENCH_DOMAIN}", orgs[region.pk]["jgz"], "privacy_officer"))
    existing = set(User.objects.filter(email__endswith=BENCH_DOMAIN).values_list("email", flat=True))
    for email, organisation, role in wanted:
        if email not in existing:
            user = User.objects.create_user(email, None, full_name=email.split("@")[0])
            Membership.objects.create(user=user, organisation=organisation, role=role)


def country_places() -> list[Place]:
    from kansrijk.organisations.models import Membership, Municipality, Organisation
    from kansrijk.socialmap.models import Offer

    from .models_births import LiveBirths

    municipalities = list(
        Municipality.objects.filter(region__name__startswith=COUNTRY_REGION_PREFIX).select_related("region")
    )
    births = {}
    years_seen: dict = {}
    for municipality_id, count in LiveBirths.objects.filter(municipality__in=municipalities).values_list(
        "municipality_id", "count"
    ):
        births[municipality_id] = births.get(municipality_id, 0) + count
        years_seen[municipality_id] = years_seen.get(municipality_id, 0) + 1
    births = {pk: total // years_seen[pk] for pk, total in births.items()}  # a year's births
    by_region: dict = {}
    for org in Organisation.objects.filter(region__name__startswith=COUNTRY_REGION_PREFIX):
        by_region.setdefault(org.region_id, {})[org.kind] = org
    nurses: dict = {}
    for m in Membership.objects.filter(
        role="nurse", organisation__kind="jgz", user__email__endswith=BENCH_DOMAIN
    ).select_related("user", "organisation"):
        nurses.setdefault(m.organisation.region_id, []).append(m.user)
    source_of_kind = {"midwifery": "midwife", "hospital": "hospital", "maternity": "maternity", "gp": "gp"}
    source_of_kind["social_team"] = "social_team"
    referrers: dict = {}
    for region_id, kind, user_id in Membership.objects.filter(
        role="referrer",
        user__email__endswith=BENCH_DOMAIN,
        organisation__region__name__startswith=COUNTRY_REGION_PREFIX,
    ).values_list("organisation__region_id", "organisation__kind", "user_id"):
        referrers.setdefault(region_id, {}).setdefault(source_of_kind[kind], []).append(user_id)
    for by_source in referrers.values():
        for ids in by_source.values():
            ids.sort()
    offers: dict = {}
    for offer in Offer.objects.filter(region__name__startswith=COUNTRY_REGION_PREFIX).prefetch_related("domains"):
        offers.setdefault(offer.region_id, []).append((offer.pk, [d.pk for d in offer.domains.all()]))
    domains: dict = {}
    from kansrijk.referrals.models import VulnerabilityDomain

    for d in VulnerabilityDomain.objects.filter(region__name__startswith=COUNTRY_REGION_PREFIX):
        domains.setdefault(d.region_id, []).append(d.pk)
    places = []
    for m in municipalities:
        orgs = by_region[m.region_id]
        places.append(
            Place(
                municipality=m,
                births_per_year=births.get(m.pk, 100),
                region_id=m.region_id,
                jgz=orgs["jgz"],
                nurses=nurses.get(m.region_id, []),
                referrer_orgs={
                    "midwife": orgs.get("midwifery"),
                    "hospital": orgs.get("hospital"),
                    "maternity": orgs.get("maternity"),
                    "gp": orgs.get("gp"),
                    "social_team": orgs.get("social_team"),
                },
                offers=offers.get(m.region_id, []),
                domain_ids=domains.get(m.region_id, []),
                referrers=referrers.get(m.region_id, {}),
            )
        )
    return places


#: The share of live births referred in the synthetic country (10 %: 17,000 a year at 170,000 births).
REFERRAL_RATE = 0.10


def region_number(name: str) -> int:
    """1 for "Synthetische regio 01": the order regions are made in (and grown in, `grow_country`)."""
    return int(name.rsplit(" ", 1)[1])


def regions_for(total_cases: int, *, years: float, rate: float = REFERRAL_RATE) -> int | None:
    """How many regions (01, 02, …) `total_cases` fill for at least `years` at full density: None for all of
    them, when the whole country's `total_cases` span that long already; at least one."""
    yearly: dict = defaultdict(float)
    for place in country_places():
        yearly[region_number(place.municipality.region.name)] += place.births_per_year * rate
    ordered = [yearly[number] for number in sorted(yearly)]
    if not ordered or total_cases >= sum(ordered) * years:
        return None
    chosen, per_year = 0, 0.0
    for region_yearly in ordered:
        if chosen and total_cases < (per_year + region_yearly) * years:
            break
        chosen, per_year = chosen + 1, per_year + region_yearly
    return chosen


def regions_grown() -> int | None:
    """How many regions (01, 02, …) of the synthetic country have cases: None when none has."""
    from kansrijk.organisations.models import Region

    names = Region.objects.filter(name__startswith=COUNTRY_REGION_PREFIX, cases__isnull=False).values_list(
        "name", flat=True
    )
    return max((region_number(name) for name in names.distinct()), default=None)


def grow_country(
    total_cases: int, *, seed: int = 1, rate: float = REFERRAL_RATE, regions: int | None = None, progress=None
) -> int:
    """Add synthetic cases until the synthetic country holds `total_cases`; returns how many were added.

    The country fills **back in time at full density**: a referral rate of `rate` of its live births, so
    10,000 cases are the last seven months of a national system and 340,000 are twenty years. A municipality's
    month looks the same at every size; only the history behind it grows, as it would in real use.

    `regions`: only the first so many regions (01, 02, …) get cases, a smaller country whose cases reach
    further back (`regions_for`); grow a country with the same number each time."""
    ensure_people()
    places = country_places()
    if regions is not None:
        places = [p for p in places if region_number(p.municipality.region.name) <= regions]
    existing = Case.objects.filter(municipality__in=[p.municipality for p in places]).count()
    missing = total_cases - existing
    if missing <= 0:
        return 0
    per_year = sum(p.births_per_year for p in places) * rate or 1
    today = timezone.localdate()
    end = today - timedelta(days=round(existing / per_year * 365))
    start = today - timedelta(days=max(1, round(total_cases / per_year * 365)))
    if start >= end:
        start = end - timedelta(days=1)
    rng = random.Random(seed * 7919 + existing)
    writer = Writer()
    done = 0
    owed = 0.0  # the questions' fractions carried from one municipality to the next: the total is right
    for place, n in spread(places, missing, rng):
        add_cases(place, n, start=start, end=end, rng=rng, writer=writer)
        questions = int(owed + n * QUESTION_RATE)
        owed += n * QUESTION_RATE - questions
        add_questions(place, questions, start=start, end=end, rng=rng, writer=writer)
        done += n
        if progress and n:
            progress(done, missing)
    add_agreements(places, start=start, end=end, rng=rng, writer=writer)
    writer.flush()
    return done


#: Questions to the desk per case (residents and professionals ask; about one for every five referrals).
QUESTION_RATE = 0.2
#: Agreements a region makes: one every AGREEMENT_EVERY_DAYS, reviewed yearly; those older than two years ended.
AGREEMENT_EVERY_DAYS = 45


def add_questions(place: Place, n: int, *, start: date, end: date, rng: random.Random, writer: Writer, now=None):
    """Questions to the desk from the municipality, routed to its JGZ; answered unless they are recent."""
    from kansrijk.desk.models import Question

    now = now or timezone.now()
    span = max(1, (end - start).days)
    for _i in range(n):
        asked = _aware(start + timedelta(days=rng.randrange(span)), rng.randrange(7 * 3600, 22 * 3600))
        if asked > now:
            asked = now - timedelta(hours=rng.randrange(1, 48))
        answered = asked + timedelta(hours=rng.expovariate(1 / 30))
        status = "answered" if answered < now else "open"
        if status == "answered" and rng.random() < 0.03:
            status = "set_aside"
        question_id = writer.next_id(Question)
        by_email = rng.random() < 0.7
        writer.add(
            Question,
            id=question_id,
            reference=f"SY-{question_id:08d}",
            asker_kind="resident" if rng.random() < 0.8 else "professional",
            name=f"Synthetisch {question_id}",
            channel="email" if by_email else "phone",
            email=f"vraag{question_id}@{BENCH_DOMAIN}" if by_email else "",
            phone="" if by_email else "0612345678",
            text="Synthetische vraag.",
            municipality_id=place.municipality.pk,
            organisation_id=place.jgz.pk,
            region_id=place.region_id,
            language="nl",
            submission_key=uuid.UUID(int=rng.getrandbits(128)),
            created_at=asked,
            status=status,
            answer="Synthetisch antwoord." if status == "answered" else "",
            answered_at=answered if status == "answered" else None,
            answered_by_id=rng.choice(place.nurses).pk if status == "answered" and place.nurses else None,
            version=1,
        )


def add_agreements(places: list[Place], *, start: date, end: date, rng: random.Random, writer: Writer, now=None):
    """Each region's register of agreements over the period: one every AGREEMENT_EVERY_DAYS, with the region's
    referring organisations and JGZ as parties; reviewed yearly, ended after two years."""
    from kansrijk.agreements.models import Agreement, Topic

    today = timezone.localdate()
    now = now or timezone.now()
    by_region: dict = {}
    for place in places:
        by_region.setdefault(place.region_id, []).append(place)
    for region_places in by_region.values():
        first = region_places[0]
        owner = first.nurses[0] if first.nurses else None
        if owner is None:
            continue
        parties = [first.jgz.pk] + [o.pk for o in first.referrer_orgs.values() if o is not None]
        day = start + timedelta(days=rng.randrange(AGREEMENT_EVERY_DAYS))
        while day < end:
            place = rng.choice(region_places)
            agreement_id = writer.add(
                Agreement,
                region_id=first.region_id,
                topic=rng.choice(Topic.values),
                title=f"Synthetische afspraak {day.isoformat()}",
                text="Synthetisch.",
                other_parties="",
                owner_id=owner.pk,
                owner_name="",
                meeting=f"MDO {place.municipality.name}",
                agreed_on=day,
                next_review_on=day + timedelta(days=365),
                status="active" if (today - day).days < 730 else "ended",
                reminded_for_review_on=None,
                version=1,
                submission_key=uuid.UUID(int=rng.getrandbits(128)),
                created_by_id=owner.pk,
                created_at=min(now, _aware(day, 12 * 3600)),
                updated_by_id=owner.pk,
                updated_at=min(now, _aware(day, 12 * 3600)),
            )
            if rng.random() < 0.7:  # else the whole region
                writer.add(
                    Agreement.municipalities.through, agreement_id=agreement_id, municipality_id=place.municipality.pk
                )
            for organisation_id in rng.sample(parties, k=min(3, len(parties))):
                writer.add(Agreement.parties.through, agreement_id=agreement_id, organisation_id=organisation_id)
            day += timedelta(days=AGREEMENT_EVERY_DAYS)
