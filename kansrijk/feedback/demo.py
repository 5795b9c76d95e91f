"""Demo feedback, birth and handover, loaded by `manage.py load_demo`. Idempotent.

- c5 (the midwife's referral, consent given): the feedback on the first contact has been
  sent and waits, unread, for verloskundige@;
- c7 (maternity care's referral): a saved draft for jvp2 about the visit held; c6 keeps its
  due moments for jvp1 to write;
- one extra case of the midwife, referred months ago, worked through by jvp1 (contacts, a
  home visit, an assessment and a plan), with the baby born and the case closed as
  completed, so the handover summary is there to print.

Everything goes through the services, acting as the demo's people. Only the referral date
of the extra case is moved back afterwards (the demo only), so that its history fits.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from kansrijk.care.models import VisitForm
from kansrijk.care.services import (
    DomainAssessment,
    HeldVisit,
    action_create,
    assessment_record,
    contact_attempt_record,
    goal_create,
    visit_record_held,
)
from kansrijk.cases.models import Case
from kansrijk.cases.services import case_transition
from kansrijk.organisations.models import Membership, Role
from kansrijk.referrals.models import Referral, ScreeningInstrument, Urgency, VulnerabilityDomain
from kansrijk.referrals.services import ClientDetails, referral_create

from .models import Feedback, Moment
from .services import birth_record, feedback_draft, feedback_save, feedback_send

BORN_CASE_KEY = "fb-born"
WEEKS_SINCE_REFERRAL = 16


def _send(context, case_key: str, moment: str, nurse_key: str, *, send: bool) -> None:
    case = context.cases[case_key]
    referral = case.referrals.filter(consent_feedback=True).order_by("created_at").first()
    if referral is None or Feedback.objects.filter(referral=referral, moment=moment).exists():
        return
    request = context.request_for(context.users[nurse_key])
    feedback, _ = feedback_draft(request=request, case=case, referral=referral, moment=moment)
    if send:
        feedback_send(request=request, feedback=feedback, text=feedback.text, expected_version=feedback.version)
    else:
        feedback_save(request=request, feedback=feedback, text=feedback.text, expected_version=feedback.version)


def _at(day, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _born_case(context) -> Case:
    """The extra case: referred 16 weeks ago, visited, the baby born, closed as completed."""
    from kansrijk.demo.management.commands.load_demo import demo_submission_key

    key = demo_submission_key(BORN_CASE_KEY)
    existing = Referral.objects.filter(submission_key=key).select_related("case").first()
    if existing is not None:
        return existing.case
    today = timezone.localdate()
    midwife = context.users["verloskundige"]
    result = referral_create(
        request=context.request_for(midwife),
        referrer=midwife,
        membership=Membership.objects.get(user=midwife, role=Role.REFERRER),
        details=ClientDetails(
            first_name="Noor",
            last_name="Lemmens",
            date_of_birth=today.replace(year=today.year - 23, day=1),
            postcode="6216 BK",
            street="Demostraat",
            house_number="42",
            city="Maastricht",
            phone="06-00000000",
        ),
        due_date=today - timedelta(days=3),
        urgency=Urgency.NORMAL,
        screening_instrument=ScreeningInstrument.R4U,
        domains=VulnerabilityDomain.objects.filter(region=context.region, code__in=["financial", "network"]),
        reason="Demo: verzonnen situatie voor het uitproberen van Kansrijk. Geen echte persoon.",
        consent_contact=True,
        consent_feedback=True,
        submission_key=key,
    )
    case = Case.objects.get(pk=result.referral.case_id)
    referred = timezone.now() - timedelta(weeks=WEEKS_SINCE_REFERRAL)
    # The demo only: the referral came in months ago, so the work below fits after it.
    Case.objects.filter(pk=case.pk).update(received_at=referred)
    Referral.objects.filter(pk=result.referral.pk).update(created_at=referred, consent_recorded_at=referred)
    case.refresh_from_db()

    nurse = context.users["jvp1"]
    case_transition(request=context.request_for(context.users["planner"]), case=case, name="assign", nurse=nurse)
    request = context.request_for(nurse)
    first_day = timezone.localtime(referred).date()
    contact_attempt_record(
        request=request, case=case, at=_at(first_day + timedelta(days=2), 10), method="phone", reached=False
    )
    contact_attempt_record(
        request=request,
        case=case,
        at=_at(first_day + timedelta(days=5), 14, 30),
        method="phone",
        reached=True,
        note="Demo: afspraak gemaakt voor een huisbezoek.",
    )
    visit_record_held(
        request=request,
        case=case,
        held=HeldVisit(
            scheduled_at=_at(first_day + timedelta(days=12), 10),
            form=VisitForm.HOME,
            location="",
            duration_minutes=75,
            partner_present=True,
            others_present="",
            interpreter_used=False,
            notes="Demo: verzonnen verslag.",
        ),
    )
    domains = {d.code: d for d in VulnerabilityDomain.objects.filter(region=context.region)}
    assessment_record(
        request=request,
        case=case,
        based_on=0,
        family_questions="Demo: 'Hoe houden we het overzicht over onze rekeningen als de baby er is?'",
        support_needed="light",
        conclusion="Demo: lichte ondersteuning; het gezin heeft veel eigen kracht.",
        domains={
            domains["financial"].pk: DomainAssessment(
                situation="Demo: vader heeft sinds kort een tijdelijk contract.",
                risk_factors="Demo: enkele betalingsachterstanden.",
                protective_factors="Demo: ouders willen graag hulp en maken samen plannen.",
            ),
            domains["network"].pk: DomainAssessment(
                situation="Demo: familie woont in de buurt.",
                protective_factors="Demo: oma helpt de eerste weken na de bevalling.",
            ),
        },
    )
    goal = goal_create(
        request=request,
        case=case,
        goal="Demo: 'We willen elke maand weten wat er binnenkomt en wat eruit gaat.'",
        domain=domains["financial"],
    )
    action_create(
        request=request,
        goal=goal,
        action="Demo: aanmelden bij de budgetcursus van het wijkteam",
        responsible="Ouders",
        due_date=first_day + timedelta(weeks=4),
    )
    birth_record(request=request, case=case, birth_date=today - timedelta(days=6))
    case_transition(request=request, case=case, name="close", reason="completed")
    return case


def load(context) -> None:
    _send(context, "c5", Moment.FIRST_CONTACT, "jvp1", send=True)
    _send(context, "c7", Moment.VISIT_HELD, "jvp2", send=False)
    _born_case(context)
