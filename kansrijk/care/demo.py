"""Demo data of this app, loaded by `manage.py load_demo`. Idempotent.

Contact attempts, visits of each form, two versions of an assessment and a plan,
all recorded through the services as the case's nurse would. Every record has a
fixed submission key, so a second run finds it and adds nothing.

The demo cases are referred when the demo is loaded, and nothing on a case can be
earlier than its referral: moments "in the past" are given as a time after the
referral and never later than now (on a freshly loaded demo they fall on today).
"""

import uuid
from datetime import datetime, time, timedelta

from django.utils import timezone

from kansrijk.referrals.models import VulnerabilityDomain

from . import services
from .models import ContactMethod, SupportNeeded, VisitForm
from .services import DomainAssessment, HeldVisit


def _key(name: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"kansrijk-demo-care-{name}")


def _after_referral(case, **delta) -> datetime:
    """A moment `delta` after the referral, but not in the future."""
    return min(case.received_at + timedelta(**delta), timezone.now())


def _days_ahead(days: int, hour: int, minute: int = 0) -> datetime:
    """A working day about `days` ahead (a Saturday or Sunday moves on to Monday)."""
    day = timezone.localdate() + timedelta(days=days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _domains(context, *codes) -> dict[str, VulnerabilityDomain]:
    return {d.code: d for d in VulnerabilityDomain.objects.filter(region=context.region, code__in=codes)}


def _attempt(request, case, name, method, reached, note, **delta):
    services.contact_attempt_record(
        request=request,
        case=case,
        at=_after_referral(case, **delta),
        method=method,
        reached=reached,
        note=note,
        submission_key=_key(name),
    )


def _held(request, case, name, *, form, minutes, notes, partner=False, others="", interpreter=False, **delta):
    services.visit_record_held(
        request=request,
        case=case,
        held=HeldVisit(
            scheduled_at=_after_referral(case, **delta),
            form=form,
            location="",
            duration_minutes=minutes,
            partner_present=partner,
            others_present=others,
            interpreter_used=interpreter,
            notes=notes,
        ),
        submission_key=_key(name),
    )


def _plan(request, case, name, *, form, days, hour, location=""):
    services.visit_plan(
        request=request,
        case=case,
        scheduled_at=_days_ahead(days, hour),
        form=form,
        location=location,
        submission_key=_key(name),
    )


def _c4(context) -> None:
    """Oksana: assigned, two failed attempts so far."""
    case = context.cases["c4"]
    request = context.request_for(case.nurse)
    _attempt(
        request,
        case,
        "c4-1",
        ContactMethod.PHONE,
        False,
        "Niet opgenomen, geen voicemail ingesteld.",
        days=1,
        hours=1,
    )
    _attempt(
        request,
        case,
        "c4-2",
        ContactMethod.TEXT,
        False,
        "Sms in het Oekraïens (via de tolkentelefoon opgesteld) met het verzoek terug te bellen. Nog geen reactie.",
        days=3,
        hours=4,
    )


def _c5(context) -> None:
    """Esra: reached on the second try, home visit planned in two days."""
    case = context.cases["c5"]
    request = context.request_for(case.nurse)
    _attempt(request, case, "c5-1", ContactMethod.PHONE, False, "Voicemail ingesproken.", hours=2)
    _attempt(
        request,
        case,
        "c5-2",
        ContactMethod.PHONE,
        True,
        "Esra belde terug. Ze is blij met het aanbod; huisbezoek afgesproken, haar vriend wil er graag bij zijn.",
        days=1,
    )
    _plan(request, case, "c5-visit", form=VisitForm.HOME, days=2, hour=10)


def _c6(context) -> None:
    """Naomi: visited at home, assessment in two versions, a video call planned."""
    case = context.cases["c6"]
    request = context.request_for(case.nurse)
    _attempt(
        request, case, "c6-1", ContactMethod.PHONE, True, "Direct bereikt; afspraak voor huisbezoek gemaakt.", hours=3
    )
    _held(
        request,
        case,
        "c6-visit",
        form=VisitForm.HOME,
        minutes=75,
        partner=True,
        notes=(
            "Kennismaking bij Naomi thuis, haar vriend Dave was erbij. Kleine bovenwoning, de trap is steil. "
            "Er zijn betalingsachterstanden bij de energieleverancier. Haar moeder woont in de buurt en helpt."
        ),
        days=2,
    )
    _plan(request, case, "c6-video", form=VisitForm.VIDEO, days=5, hour=14)
    domains = _domains(context, "housing", "financial", "network")
    services.assessment_record(
        request=request,
        case=case,
        based_on=0,
        family_questions=(
            "“Hoe krijgen we het huis op tijd klaar voor de baby?” en “Kunnen we hulp krijgen met de rekeningen?”"
        ),
        support_needed=SupportNeeded.LIGHT,
        conclusion="Lichte ondersteuning: informatie over schuldhulp en kijken naar de woonsituatie.",
        domains={
            domains["housing"].pk: DomainAssessment(
                situation="Bovenwoning van twee kamers, steile trap.",
                risk_factors="Geen ruimte voor een babykamer.",
                protective_factors="Huur is betaalbaar; verhuurder is bereikbaar.",
            ),
            domains["financial"].pk: DomainAssessment(
                situation="Dave werkt via een uitzendbureau, Naomi heeft geen inkomen.",
                risk_factors="Achterstand bij de energieleverancier.",
                protective_factors="Ze willen er zelf iets aan doen.",
            ),
        },
        submission_key=_key("c6-assessment-1"),
    )
    services.assessment_record(
        request=request,
        case=case,
        based_on=1,
        family_questions=(
            "“Hoe krijgen we het huis op tijd klaar voor de baby?”, “Kunnen we hulp krijgen met de rekeningen?” "
            "en nu ook: “Wat doen we als de energie wordt afgesloten?”"
        ),
        support_needed=SupportNeeded.INTENSIVE,
        conclusion=(
            "Na het telefonisch contact: er dreigt afsluiting van de energie. Intensievere ondersteuning nodig; "
            "schuldhulp met voorrang en steun vanuit het netwerk versterken."
        ),
        domains={
            domains["housing"].pk: DomainAssessment(
                situation="Bovenwoning van twee kamers, steile trap.",
                risk_factors="Geen ruimte voor een babykamer.",
                protective_factors="Huur is betaalbaar; verhuurder is bereikbaar.",
            ),
            domains["financial"].pk: DomainAssessment(
                situation="Dave werkt via een uitzendbureau, Naomi heeft geen inkomen.",
                risk_factors="Achterstand bij de energieleverancier; aankondiging van afsluiting ontvangen.",
                protective_factors="Ze willen er zelf iets aan doen en hebben alle brieven bewaard.",
            ),
            domains["network"].pk: DomainAssessment(
                situation="Moeder van Naomi woont twee straten verder.",
                risk_factors="Weinig andere mensen om op terug te vallen.",
                protective_factors="Moeder wil helpen met oppassen en met de administratie.",
            ),
        },
        submission_key=_key("c6-assessment-2"),
    )


def _c7(context) -> None:
    """Marieke: video call and phone visit held, an assessment and a plan with goals and actions."""
    case = context.cases["c7"]
    request = context.request_for(case.nurse)
    _attempt(
        request,
        case,
        "c7-1",
        ContactMethod.TEXT,
        True,
        "Ze reageerde meteen op de sms; liever eerst beeldbellen.",
        hours=1,
    )
    _held(
        request,
        case,
        "c7-video",
        form=VisitForm.VIDEO,
        minutes=50,
        partner=True,
        notes=(
            "Beeldgesprek met Marieke en haar man. Ze vertelt over de zware vorige bevalling en dat ze vaak somber is."
        ),
        days=1,
    )
    _held(
        request,
        case,
        "c7-phone",
        form=VisitForm.PHONE,
        minutes=25,
        notes="Telefonisch vervolg: afspraken van het plan doorgenomen; ze heeft de huisarts gebeld.",
        days=4,
    )
    _plan(request, case, "c7-home", form=VisitForm.HOME, days=3, hour=9)
    domains = _domains(context, "medical", "psychological")
    services.assessment_record(
        request=request,
        case=case,
        based_on=0,
        family_questions=(
            "“Ik wil deze keer niet zo bang zijn voor de bevalling.” “Bij wie kan ik terecht als ik me slecht voel?”"
        ),
        support_needed=SupportNeeded.LIGHT,
        conclusion="Lichte ondersteuning met gerichte vervolghulp voor de somberheid.",
        domains={
            domains["medical"].pk: DomainAssessment(
                situation="Tweede zwangerschap; de eerste bevalling eindigde in een spoedkeizersnede.",
                risk_factors="Angst voor de bevalling.",
                protective_factors="Goed contact met de verloskundige.",
            ),
            domains["psychological"].pk: DomainAssessment(
                situation="Voelt zich vaak somber sinds de vorige bevalling.",
                risk_factors="Somberheid; slaapt slecht.",
                protective_factors="Praat er open over met haar man.",
            ),
        },
        submission_key=_key("c7-assessment-1"),
    )
    mood = services.goal_create(
        request=request,
        case=case,
        goal="“Ik wil me minder somber voelen en weten bij wie ik terechtkan als het slechter gaat.”",
        domain=domains["psychological"],
        submission_key=_key("c7-goal-mood"),
    )
    birth = services.goal_create(
        request=request,
        case=case,
        goal="“We willen goed voorbereid zijn op de bevalling, na de vorige keizersnede.”",
        domain=domains["medical"],
        submission_key=_key("c7-goal-birth"),
    )
    today = timezone.localdate()
    for goal, name, what, who, days, done in [
        (mood, "c7-a1", "Afspraak maken bij de huisarts over de somberheid", "Marieke", 7, True),
        (mood, "c7-a2", "Folder en contactgegevens van steunouders meegeven", "Jeugdverpleegkundige", 10, False),
        (birth, "c7-a3", "Vragen voor de verloskundige samen op papier zetten", "Marieke en haar man", 14, False),
    ]:
        action = services.action_create(
            request=request,
            goal=goal,
            action=what,
            responsible=who,
            due_date=today + timedelta(days=days),
            submission_key=_key(name),
        )
        if done and action.done_at is None:
            services.action_set_done(request=request, action=action, done=True, expected_version=action.version)


def load(context) -> None:
    _c4(context)
    _c5(context)
    _c6(context)
    _c7(context)
