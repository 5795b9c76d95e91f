"""Issue 3's whole chain in a real browser, through the pages only, as the people involved would do it.

The midwife refers a woman in Maastricht (consent to contact and to feedback); the planner assigns nurse jvp1;
the nurse fails to reach her once, reaches her, plans a video call and records it as held, records the
assessment and a plan goal with an action, and refers to both offers of the demo provider (Steunouders and
Mama-maatje, which serve Maastricht) with what the family agreed to share. The provider accepts one and puts
the other on a waiting list; the nurse sees both answers, sends feedback to the midwife, who reads it (her
e-mail only says there is news); the nurse records the birth, closes the case, prints the handover and
downloads it as PDF. The database is only read, at the end, to check what the pages did.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from kansrijk.care.models import Assessment, ContactAttempt, PlanAction, PlanGoal, Visit, VisitForm, VisitStatus
from kansrijk.cases.models import CloseReason, Status
from kansrijk.feedback.models import Feedback, FeedbackStatus, Moment
from kansrijk.followup.models import FollowUpStatus

from .conftest import demo_email
from .flows import (
    NURSE_NAME,
    Woman,
    case_badge,
    case_timeline_entry,
    follow_up_row,
    follow_up_section,
    midwife_reads_feedback,
    midwife_refers,
    nl,
    nurse_adds_goal_with_action,
    nurse_closes_case,
    nurse_opens_case,
    nurse_plans_visit,
    nurse_prints_handover_and_downloads_pdf,
    nurse_records_assessment,
    nurse_records_birth,
    nurse_records_contact_attempt,
    nurse_records_visit_held,
    nurse_refers_to_offer,
    nurse_sends_feedback,
    planner_assigns,
    provider_answers,
)

pytestmark = pytest.mark.browser

STEUNOUDERS = "Steunouders"
MAMA_MAATJE = "Mama-maatje"

ASSESSMENT = {
    "situation": "Woont sinds kort in Maastricht, familie woont in het buitenland.",
    "risk_factors": "Weinig mensen om op terug te vallen na de bevalling.",
    "protective_factors": "Goed contact met de buurvrouw; partner is betrokken.",
}
QUESTIONS = "Wie kan ons helpen als de baby er is? We willen graag iemand in de buurt leren kennen."
SHARED_WITH_PROVIDER = "Eerste kind, weinig netwerk in de buurt. Ze wil graag een vaste vrijwilliger."
FEEDBACK_ADDITION = "Met vriendelijke groet, Joke (JGZ)."


def now_to_the_minute():
    return timezone.localtime().replace(second=0, microsecond=0)


def test_the_care_chain_from_referral_to_handover(log_in):
    woman = Woman(
        first_name="Lieke",
        last_name="Zorgketen",
        postcode="6211 AB",
        street="Markt",
        house_number="3",
        domains=["network", "social"],
        reason="Klein netwerk, net verhuisd naar Maastricht.\nPartner werkt veel.",
    )
    today = timezone.localdate()

    # The midwife refers her (consent to contact and to feedback); the planner assigns nurse jvp1.
    midwife = log_in("verloskundige")
    midwife_refers(midwife, woman, double_click=False)
    planner_assigns(log_in("planner"), woman)

    # The nurse: a failed contact attempt, then a successful one.
    nurse = log_in("jvp1")
    nurse_opens_case(nurse, woman)
    expect(case_badge(nurse)).to_have_text(nl(Status.ASSIGNED.label))
    expect(nurse.locator('section[aria-labelledby="case-h"]')).to_contain_text("Maastricht")
    nurse_records_contact_attempt(
        nurse, woman, method="phone", reached=False, note="Gebeld, niet opgenomen; voicemail ingesproken."
    )
    expect(case_badge(nurse)).to_have_text(nl(Status.ASSIGNED.label))
    expect(nurse.locator("#care-contacts .notice")).to_be_visible()  # the unreachable rule, with this attempt
    nurse_records_contact_attempt(
        nurse, woman, method="phone", reached=True, note="Teruggebeld, kennismaking per video afgesproken."
    )
    expect(case_badge(nurse)).to_have_text(nl(Status.IN_CONTACT.label))
    expect(nurse.locator("#care-contacts .notice")).to_have_count(0)  # reached: the count starts again
    expect(case_timeline_entry(nurse, Status.ASSIGNED, Status.IN_CONTACT)).to_have_count(1)

    # A video call, planned (it shows on her agenda) and recorded as held when it took place.
    tomorrow_ten = (timezone.localtime() + timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    nurse_plans_visit(nurse, woman, when=tomorrow_ten, form=VisitForm.VIDEO)
    nurse_records_visit_held(
        nurse,
        woman,
        held_at=now_to_the_minute(),
        minutes=55,
        others="Haar zus",
        notes="Kennismaking per video, met tolk Arabisch.",
    )
    expect(case_badge(nurse)).to_have_text(nl(Status.VISITED.label))
    expect(case_timeline_entry(nurse, Status.IN_CONTACT, Status.VISITED)).to_have_count(1)

    # The assessment with the family, and the plan: a goal in her words with an action.
    nurse_records_assessment(
        nurse, woman, domain_code="network", parts=ASSESSMENT, questions=QUESTIONS, support="light"
    )
    goal = "Voor de bevalling twee mensen in de buurt kennen bij wie we terecht kunnen."
    action = "Aanmelden bij Mama-maatje en Steunouders"
    nurse_adds_goal_with_action(
        nurse, woman, goal=goal, domain_code="network", action=action, who="de verpleegkundige", by=today
    )

    # Two follow-up referrals from the case to the demo provider's offers, sent with consent.
    nurse_refers_to_offer(nurse, woman, STEUNOUDERS, shared=SHARED_WITH_PROVIDER)
    expect(case_badge(nurse)).to_have_text(nl(Status.FOLLOW_UP.label))
    expect(case_timeline_entry(nurse, Status.VISITED, Status.FOLLOW_UP)).to_have_count(1)
    nurse_refers_to_offer(nurse, woman, MAMA_MAATJE, shared=SHARED_WITH_PROVIDER)
    expect(follow_up_section(nurse).locator("tbody tr")).to_have_count(2)

    # The provider accepts Steunouders and puts Mama-maatje on a waiting list. She sees only what was shared.
    expected_start = today + timedelta(weeks=4)
    provider = log_in("aanbieder")
    not_for_her = [QUESTIONS, ASSESSMENT["risk_factors"], woman.reason.splitlines()[0], goal, woman.email]
    provider_answers(
        provider, woman, STEUNOUDERS, change="accept", note="Coördinator belt deze week.", hidden=not_for_her
    )
    provider_answers(
        provider,
        woman,
        MAMA_MAATJE,
        change="waiting_list",
        expected_start=expected_start,
        note="Maatje met Arabisch zoeken.",
        hidden=not_for_her,
    )

    # The nurse sees both answers at once on the case page.
    nurse.reload()
    expect(follow_up_row(nurse, STEUNOUDERS).locator(".badge")).to_have_text(nl(FollowUpStatus.ACCEPTED.label))
    waiting = follow_up_row(nurse, MAMA_MAATJE)
    expect(waiting.locator(".badge")).to_have_text(nl(FollowUpStatus.WAITING_LIST.label))
    expect(waiting.locator(f'time[datetime="{expected_start.isoformat()}"]')).to_have_count(1)

    # Feedback to the midwife on the visit held; her e-mail only says there is news.
    sent_before = len(mail.outbox)
    nurse_sends_feedback(nurse, woman, moment=Moment.VISIT_HELD, addition=FEEDBACK_ADDITION)
    news = [m for m in mail.outbox[sent_before:] if demo_email("verloskundige") in m.to]
    assert len(news) == 1
    email = news[0]
    for secret in [woman.first_name, woman.last_name, woman.postcode, FEEDBACK_ADDITION]:
        assert secret not in email.subject and secret not in email.body
    referral = woman.case().referrals.get()
    assert reverse("referrals:detail", args=[referral.pk]) in email.body  # only a link to read it in Kansrijk

    midwife_reads_feedback(midwife, woman, moment_label=Moment.VISIT_HELD.label, addition=FEEDBACK_ADDITION)

    # The nurse sees it was read, records the birth, closes the case and hands over.
    nurse_opens_case(nurse, woman)
    read = nurse.locator('section[aria-labelledby="feedback-h"] table.data tbody tr td').nth(3)
    expect(read.locator("time")).to_have_count(1)
    nurse_records_birth(nurse, woman, today)
    nurse_closes_case(
        nurse, woman, reason=CloseReason.COMPLETED, note="Afgerond; overdracht naar het consultatiebureau."
    )
    pdf = nurse_prints_handover_and_downloads_pdf(nurse, woman)
    assert len(pdf) > 1000

    # What the pages did, in the database.
    case = woman.case()
    assert case.status == Status.CLOSED
    assert case.close_reason == CloseReason.COMPLETED
    assert case.birth_date == today
    assert case.nurse.display_name == NURSE_NAME
    attempts = list(ContactAttempt.objects.filter(case=case).order_by("pk"))
    assert [(a.method, a.reached) for a in attempts] == [("phone", False), ("phone", True)]
    visits = list(Visit.objects.filter(case=case))
    assert [(v.form, v.status) for v in visits] == [(VisitForm.VIDEO, VisitStatus.HELD)]
    visit = visits[0]
    assert (visit.duration_minutes, visit.partner_present, visit.interpreter_used) == (55, True, True)
    assert visit.others_present == "Haar zus"
    assessment = Assessment.objects.get(case=case)
    assert assessment.support_needed == "light"
    assert assessment.family_questions == QUESTIONS
    part = assessment.domains.get()
    assert (part.domain.code, part.situation, part.risk_factors, part.protective_factors) == (
        "network",
        ASSESSMENT["situation"],
        ASSESSMENT["risk_factors"],
        ASSESSMENT["protective_factors"],
    )
    assert PlanGoal.objects.get(case=case).goal == goal
    assert PlanAction.objects.get(goal__case=case).action == action
    follow_ups = {f.offer.name: f for f in case.follow_ups.select_related("offer", "offer__provider")}
    assert {name: f.status for name, f in follow_ups.items()} == {
        STEUNOUDERS: FollowUpStatus.ACCEPTED,
        MAMA_MAATJE: FollowUpStatus.WAITING_LIST,
    }
    assert follow_ups[MAMA_MAATJE].expected_start == expected_start
    assert all(f.shared_with_provider == SHARED_WITH_PROVIDER and f.share_phone for f in follow_ups.values())
    assert {f.offer.provider.name for f in follow_ups.values()} == {"Stichting Steunouders Limburg (demo)"}
    feedback = Feedback.objects.get(case=case)
    assert (feedback.moment, feedback.status) == (Moment.VISIT_HELD, FeedbackStatus.SENT)
    assert feedback.sent_at is not None and feedback.read_at is not None
    assert FEEDBACK_ADDITION in feedback.text
