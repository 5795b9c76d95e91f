"""The nurse's work on a case: recording contact attempts, visits, the assessment and the plan.

Every write checks `access.can_work_on` (the assigned nurse, or a planner of the
case's organisation, on an open case), writes its NEN 7513 audit row in the same
transaction, and moves the case on through `cases.services.case_transition` where
the work implies a step: the first reached contact ("contact") and the first held
visit ("contact" if needed, then "visit").

Records made from a form are idempotent on their `submission_key` (a double submit
returns the first record); records two people can edit carry a `version` and are
saved with a guarded UPDATE.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from kansrijk import access
from kansrijk.audit.models import Action
from kansrijk.audit.services import audit_log
from kansrijk.cases.models import Case
from kansrijk.cases.services import ConcurrentEdit, case_transition
from kansrijk.cases.workflow import TRANSITIONS
from kansrijk.referrals.models import VulnerabilityDomain

from .models import (
    Assessment,
    AssessmentDomain,
    ContactAttempt,
    ContactMethod,
    PlanAction,
    PlanGoal,
    SupportNeeded,
    Visit,
    VisitForm,
    VisitStatus,
)

#: A time typed a few minutes ahead of the server's clock is still "now".
CLOCK_LEEWAY = timedelta(minutes=5)
MAX_VISIT_MINUTES = 480
#: A visit planned further ahead than this is a typing error (a wrong year).
MAX_PLAN_AHEAD = timedelta(days=366)


# --- Shared checks --------------------------------------------------------------------------------------------


def check_can_work(user, case: Case) -> None:
    """Refuse (PermissionDenied, with a message that says why) unless the user may work on the case."""
    if access.can_work_on(user, case):
        return
    if not case.is_open:
        raise PermissionDenied(_("This case is closed; nothing can be added or changed any more."))
    if case.nurse_id is None:
        raise PermissionDenied(_("Assign a nurse to this case first."))
    raise PermissionDenied(_("Only the nurse of this case or a planner of the team can record this."))


def _audit(request: HttpRequest, case: Case, action: str, description: str) -> None:
    audit_log(
        request,
        action=action,
        description=description,
        membership=access.membership_for_case(request.user, case),
        client_id=case.client_id,
        case_id=case.pk,
    )


def referral_date(case: Case) -> date:
    """The day the case was referred; nothing on it can have happened earlier."""
    return timezone.localtime(case.received_at).date()


def _not_before_referral(case: Case, moment: datetime | date, message: str) -> None:
    day = timezone.localtime(moment).date() if isinstance(moment, datetime) else moment
    if day < referral_date(case):
        raise ValidationError(message % {"date": referral_date(case).strftime("%d-%m-%Y")})


def _not_in_future(moment: datetime, message: str) -> None:
    if moment > timezone.now() + CLOCK_LEEWAY:
        raise ValidationError(message)


def _save_guarded(obj: models.Model, expected_version: int, **changes) -> None:
    """Write `changes` only if nobody changed the record since the person opened it."""
    model = type(obj)
    updated = model._default_manager.filter(pk=obj.pk, version=expected_version).update(
        version=F("version") + 1, **changes
    )
    if updated != 1:
        raise ConcurrentEdit(
            _(
                "Someone else changed this while you were working on it. "
                "Nothing was saved; look at the current version and try again."
            )
        )
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.version = expected_version + 1


def _step(request: HttpRequest, case: Case, name: str) -> bool:
    """Make a state-machine step the work implies, when this user may make it now."""
    transition = TRANSITIONS[name]
    if case.status not in transition.sources or not access.can_transition(request.user, case, transition):
        return False
    case_transition(request=request, case=case, name=name)
    return True


def _existing(model, submission_key: uuid.UUID | None, **scope):
    """The record made earlier from the same form (within `scope`, e.g. the same case), if any."""
    if submission_key is None:
        return None
    return model._default_manager.filter(submission_key=submission_key, **scope).first()


def _create_once(model, submission_key: uuid.UUID | None, scope: dict, **fields):
    """Create a record for one submitted form; a retry of the same form returns the first record."""
    if submission_key is None:
        return model._default_manager.create(**fields), True
    try:
        with transaction.atomic():
            return model._default_manager.create(submission_key=submission_key, **fields), True
    except IntegrityError:
        existing = _existing(model, submission_key, **scope)
        if existing is None:
            raise ValidationError(_("This form was already sent. Reload the page and try again."))
        return existing, False


# --- Contact attempts -----------------------------------------------------------------------------------------


@transaction.atomic
def contact_attempt_record(
    *,
    request: HttpRequest,
    case: Case,
    at: datetime,
    method: str,
    reached: bool,
    note: str = "",
    submission_key: uuid.UUID | None = None,
) -> ContactAttempt:
    """Record one attempt to reach the family. The first reached contact moves an assigned case to "in contact"."""
    check_can_work(request.user, case)
    existing = _existing(ContactAttempt, submission_key, case=case)
    if existing is not None:
        return existing
    if method not in ContactMethod.values:
        raise ValidationError(_("Choose how you tried to reach her."))
    _not_in_future(at, _("A contact attempt cannot lie in the future."))
    _not_before_referral(case, at, _("A contact attempt cannot be earlier than the referral (%(date)s)."))
    attempt, created = _create_once(
        ContactAttempt,
        submission_key,
        {"case": case},
        case=case,
        at=at,
        method=method,
        reached=reached,
        note=note.strip(),
        recorded_by=request.user,
    )
    if not created:
        return attempt
    _audit(
        request, case, Action.CREATE, f"contact attempt recorded ({method}, {'reached' if reached else 'not reached'})"
    )
    if reached:
        _step(request, case, "contact")
    return attempt


# --- Visits ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeldVisit:
    """What is recorded about a visit that took place."""

    scheduled_at: datetime
    form: str
    location: str
    duration_minutes: int
    partner_present: bool
    others_present: str
    interpreter_used: bool
    notes: str


def _check_form(form: str) -> None:
    if form not in VisitForm.values:
        raise ValidationError(_("Choose the form of the visit."))


def _check_planned(scheduled_at: datetime, form: str) -> None:
    _check_form(form)
    now = timezone.now()
    if scheduled_at <= now:
        raise ValidationError(_("A visit in the past cannot be planned. If it took place, record it as a visit held."))
    if scheduled_at > now + MAX_PLAN_AHEAD:
        raise ValidationError(_("A visit more than a year ahead cannot be planned; check the date."))


def _check_held(case: Case, held: HeldVisit) -> None:
    _check_form(held.form)
    _not_in_future(
        held.scheduled_at, _("A visit in the future cannot have been held. Plan it instead, and record it afterwards.")
    )
    _not_before_referral(case, held.scheduled_at, _("A visit cannot be earlier than the referral (%(date)s)."))
    if held.duration_minutes is None or not 1 <= held.duration_minutes <= MAX_VISIT_MINUTES:
        raise ValidationError(_("The duration must be between 1 and %(max)s minutes.") % {"max": MAX_VISIT_MINUTES})


def _held_fields(held: HeldVisit) -> dict:
    return {
        "scheduled_at": held.scheduled_at,
        "form": held.form,
        "location": held.location.strip(),
        "duration_minutes": held.duration_minutes,
        "partner_present": held.partner_present,
        "others_present": held.others_present.strip(),
        "interpreter_used": held.interpreter_used,
        "notes": held.notes.strip(),
    }


def _after_held(request: HttpRequest, case: Case) -> None:
    """A held visit means the family was reached and visited: move the case on as far as that goes."""
    _step(request, case, "contact")
    _step(request, case, "visit")


@transaction.atomic
def visit_plan(
    *,
    request: HttpRequest,
    case: Case,
    scheduled_at: datetime,
    form: str,
    location: str = "",
    submission_key: uuid.UUID | None = None,
) -> Visit:
    """Plan a visit with the case's nurse; it shows on her agenda."""
    check_can_work(request.user, case)
    existing = _existing(Visit, submission_key, case=case)
    if existing is not None:
        return existing
    _check_planned(scheduled_at, form)
    visit, created = _create_once(
        Visit,
        submission_key,
        {"case": case},
        case=case,
        nurse=case.nurse,
        status=VisitStatus.PLANNED,
        scheduled_at=scheduled_at,
        form=form,
        location=location.strip(),
    )
    if created:
        _audit(request, case, Action.CREATE, f"visit planned ({form})")
    return visit


@transaction.atomic
def visit_record_held(
    *, request: HttpRequest, case: Case, held: HeldVisit, submission_key: uuid.UUID | None = None
) -> Visit:
    """Record a visit that took place without being planned here first."""
    check_can_work(request.user, case)
    existing = _existing(Visit, submission_key, case=case)
    if existing is not None:
        return existing
    _check_held(case, held)
    visit, created = _create_once(
        Visit,
        submission_key,
        {"case": case},
        case=case,
        nurse=case.nurse,
        status=VisitStatus.HELD,
        **_held_fields(held),
    )
    if created:
        _audit(request, case, Action.CREATE, f"visit held recorded ({held.form})")
        _after_held(request, case)
    return visit


@transaction.atomic
def visit_mark_held(*, request: HttpRequest, visit: Visit, held: HeldVisit, expected_version: int) -> Visit:
    """A planned visit took place: record how it went."""
    case = visit.case
    check_can_work(request.user, case)
    if visit.status != VisitStatus.PLANNED:
        raise ValidationError(_("Only a planned visit can be recorded as held."))
    _check_held(case, held)
    _save_guarded(visit, expected_version, status=VisitStatus.HELD, **_held_fields(held))
    _audit(request, case, Action.UPDATE, f"visit {visit.pk} recorded as held")
    _after_held(request, case)
    return visit


@transaction.atomic
def visit_reschedule(
    *, request: HttpRequest, visit: Visit, scheduled_at: datetime, form: str, location: str, expected_version: int
) -> Visit:
    """Change the date, form or place of a planned visit."""
    case = visit.case
    check_can_work(request.user, case)
    if visit.status != VisitStatus.PLANNED:
        raise ValidationError(_("Only a planned visit can be moved."))
    _check_planned(scheduled_at, form)
    _save_guarded(visit, expected_version, scheduled_at=scheduled_at, form=form, location=location.strip())
    _audit(request, case, Action.UPDATE, f"visit {visit.pk} rescheduled")
    return visit


@transaction.atomic
def visit_correct_held(*, request: HttpRequest, visit: Visit, held: HeldVisit, expected_version: int) -> Visit:
    """Correct or complete what was recorded about a held visit."""
    case = visit.case
    check_can_work(request.user, case)
    if visit.status != VisitStatus.HELD:
        raise ValidationError(_("Only a held visit can be corrected this way."))
    _check_held(case, held)
    _save_guarded(visit, expected_version, **_held_fields(held))
    _audit(request, case, Action.UPDATE, f"visit {visit.pk} record corrected")
    return visit


@transaction.atomic
def visit_cancel(*, request: HttpRequest, visit: Visit, note: str = "", expected_version: int) -> Visit:
    """Cancel a planned visit; it stays on the case, marked cancelled."""
    case = visit.case
    check_can_work(request.user, case)
    if visit.status != VisitStatus.PLANNED:
        raise ValidationError(_("Only a planned visit can be cancelled."))
    _save_guarded(visit, expected_version, status=VisitStatus.CANCELLED, cancellation_note=note.strip())
    _audit(request, case, Action.UPDATE, f"visit {visit.pk} cancelled")
    return visit


# --- Assessment -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DomainAssessment:
    situation: str = ""
    risk_factors: str = ""
    protective_factors: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.situation.strip() or self.risk_factors.strip() or self.protective_factors.strip())


def assessment_domains(case: Case):
    """The catalogue the assessment follows: the active domains of the case's region."""
    return VulnerabilityDomain.objects.filter(region_id=case.region_id, is_active=True).order_by("order", "name_nl")


def _latest_number(case: Case) -> int:
    return Assessment.objects.filter(case=case).aggregate(n=Max("number"))["n"] or 0


def _assessment_conflict() -> ConcurrentEdit:
    return ConcurrentEdit(
        _(
            "Someone else recorded a new version of the assessment while you were working on it. "
            "Nothing was saved; read the current version and add yours on top of it."
        )
    )


@transaction.atomic
def assessment_record(
    *,
    request: HttpRequest,
    case: Case,
    based_on: int,
    family_questions: str,
    support_needed: str,
    conclusion: str = "",
    domains: dict[int, DomainAssessment],
    submission_key: uuid.UUID | None = None,
) -> Assessment:
    """Record a new version of the assessment, on top of version `based_on` (0: the first one).

    Nothing is overwritten: the earlier versions stay as they were. If someone else
    added a version after `based_on`, this one is refused.
    """
    check_can_work(request.user, case)
    existing = _existing(Assessment, submission_key, case=case)
    if existing is not None:
        return existing
    if not family_questions.strip():
        raise ValidationError(_("Write down the family's own questions and wishes, in their words."))
    if support_needed not in SupportNeeded.values:
        raise ValidationError(_("Choose the support needed."))
    catalogue = {d.pk: d for d in assessment_domains(case)}
    unknown = set(domains) - set(catalogue)
    if unknown:
        raise ValidationError(_("Use the domains of this region's catalogue."))
    if _latest_number(case) != based_on:
        raise _assessment_conflict()
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                case=case,
                number=based_on + 1,
                created_by=request.user,
                family_questions=family_questions.strip(),
                support_needed=support_needed,
                conclusion=conclusion.strip(),
                **({"submission_key": submission_key} if submission_key else {}),
            )
    except IntegrityError:
        # Two people started from the same version; the first one won.
        existing = _existing(Assessment, submission_key, case=case)
        if existing is not None:
            return existing
        raise _assessment_conflict()
    AssessmentDomain.objects.bulk_create(
        AssessmentDomain(
            assessment=assessment,
            domain=catalogue[pk],
            situation=part.situation.strip(),
            risk_factors=part.risk_factors.strip(),
            protective_factors=part.protective_factors.strip(),
        )
        for pk, part in domains.items()
        if not part.is_empty
    )
    _audit(request, case, Action.CREATE, f"assessment version {assessment.number} recorded")
    return assessment


# --- Plan -----------------------------------------------------------------------------------------------------


def _check_domain(case: Case, domain: VulnerabilityDomain | None) -> None:
    if domain is not None and domain.region_id != case.region_id:
        raise ValidationError(_("Use a domain of this region's catalogue."))


def _clean_goal(text: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError(_("Write the goal down, in the family's words."))
    return text


@transaction.atomic
def goal_create(
    *,
    request: HttpRequest,
    case: Case,
    goal: str,
    domain: VulnerabilityDomain | None = None,
    submission_key: uuid.UUID | None = None,
) -> PlanGoal:
    check_can_work(request.user, case)
    existing = _existing(PlanGoal, submission_key, case=case)
    if existing is not None:
        return existing
    _check_domain(case, domain)
    created_goal, created = _create_once(
        PlanGoal,
        submission_key,
        {"case": case},
        case=case,
        goal=_clean_goal(goal),
        domain=domain,
        created_by=request.user,
    )
    if created:
        _audit(request, case, Action.CREATE, "plan goal added")
    return created_goal


@transaction.atomic
def goal_update(
    *, request: HttpRequest, goal: PlanGoal, text: str, domain: VulnerabilityDomain | None, expected_version: int
) -> PlanGoal:
    case = goal.case
    check_can_work(request.user, case)
    _check_domain(case, domain)
    _save_guarded(goal, expected_version, goal=_clean_goal(text), domain=domain)
    _audit(request, case, Action.UPDATE, f"plan goal {goal.pk} changed")
    return goal


@transaction.atomic
def goal_set_achieved(*, request: HttpRequest, goal: PlanGoal, achieved: bool, expected_version: int) -> PlanGoal:
    case = goal.case
    check_can_work(request.user, case)
    _save_guarded(goal, expected_version, achieved_at=timezone.now() if achieved else None)
    _audit(request, case, Action.UPDATE, f"plan goal {goal.pk} {'achieved' if achieved else 'reopened'}")
    return goal


def _check_action(case: Case, action: str, responsible: str, due_date: date | None) -> None:
    if not action.strip():
        raise ValidationError(_("Say what will be done."))
    if not responsible.strip():
        raise ValidationError(_("Say who will do it."))
    if due_date is not None:
        _not_before_referral(case, due_date, _("The date cannot be earlier than the referral (%(date)s)."))


@transaction.atomic
def action_create(
    *,
    request: HttpRequest,
    goal: PlanGoal,
    action: str,
    responsible: str,
    due_date: date | None = None,
    submission_key: uuid.UUID | None = None,
) -> PlanAction:
    case = goal.case
    check_can_work(request.user, case)
    existing = _existing(PlanAction, submission_key, goal=goal)
    if existing is not None:
        return existing
    _check_action(case, action, responsible, due_date)
    created_action, created = _create_once(
        PlanAction,
        submission_key,
        {"goal": goal},
        goal=goal,
        action=action.strip(),
        responsible=responsible.strip(),
        due_date=due_date,
    )
    if created:
        _audit(request, case, Action.CREATE, f"plan action added to goal {goal.pk}")
    return created_action


@transaction.atomic
def action_update(
    *,
    request: HttpRequest,
    action: PlanAction,
    text: str,
    responsible: str,
    due_date: date | None,
    expected_version: int,
) -> PlanAction:
    case = action.goal.case
    check_can_work(request.user, case)
    _check_action(case, text, responsible, due_date)
    _save_guarded(action, expected_version, action=text.strip(), responsible=responsible.strip(), due_date=due_date)
    _audit(request, case, Action.UPDATE, f"plan action {action.pk} changed")
    return action


@transaction.atomic
def action_set_done(*, request: HttpRequest, action: PlanAction, done: bool, expected_version: int) -> PlanAction:
    case = action.goal.case
    check_can_work(request.user, case)
    _save_guarded(action, expected_version, done_at=timezone.now() if done else None)
    _audit(request, case, Action.UPDATE, f"plan action {action.pk} {'done' if done else 'reopened'}")
    return action


__all__ = [
    "DomainAssessment",
    "HeldVisit",
    "action_create",
    "action_set_done",
    "action_update",
    "assessment_record",
    "contact_attempt_record",
    "goal_create",
    "goal_set_achieved",
    "goal_update",
    "visit_cancel",
    "visit_correct_held",
    "visit_mark_held",
    "visit_plan",
    "visit_record_held",
    "visit_reschedule",
]
