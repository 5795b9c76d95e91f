"""Reading the nurse's work on a case. Single records come through the access layer (audited)."""

from dataclasses import dataclass
from datetime import date, datetime, time
from itertools import groupby

from django.db.models import F, Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from kansrijk import access
from kansrijk.audit.models import Action
from kansrijk.cases.models import Case, Status
from kansrijk.organisations.models import Role

from .models import Assessment, AssessmentDomain, ContactAttempt, PlanAction, PlanGoal, Visit, VisitStatus

# --- Single records, fetched like the case they belong to ---------------------------------------------------------


def _visible(model, user) -> QuerySet:
    field = "goal__case__in" if model is PlanAction else "case__in"
    return model._default_manager.filter(**{field: access.visible_cases(user).values("pk")})


def _fetch(request: HttpRequest, model, pk: int, *, action: str, description: str):
    """One record of a case the user may see; the access is audited like the case page. 404 otherwise."""
    record = _visible(model, request.user).filter(pk=pk).first()
    if record is None:
        raise access.AccessDenied(description, action=action)
    case_id = record.goal.case_id if model is PlanAction else record.case_id
    case = access.get_case(request, case_id, action=action, description=description)
    if model is PlanAction:
        record.goal.case = case
    else:
        record.case = case
    return record


def get_visit(request: HttpRequest, pk: int, *, action: str = Action.READ, description: str = "visit") -> Visit:
    return _fetch(request, Visit, pk, action=action, description=description)


def get_goal(request: HttpRequest, pk: int, *, action: str = Action.READ, description: str = "plan goal") -> PlanGoal:
    return _fetch(request, PlanGoal, pk, action=action, description=description)


def get_action(
    request: HttpRequest, pk: int, *, action: str = Action.READ, description: str = "plan action"
) -> PlanAction:
    return _fetch(request, PlanAction, pk, action=action, description=description)


# --- What belongs to one case (already fetched through the access layer) -----------------------------------------


def case_contact_attempts(case: Case) -> list[ContactAttempt]:
    return list(case.contact_attempts.select_related("recorded_by").order_by("at", "pk"))


def case_visits(case: Case) -> list[Visit]:
    return list(case.visits.select_related("nurse").order_by("scheduled_at", "pk"))


def _with_domains(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    return assessments.select_related("created_by").prefetch_related(
        Prefetch("domains", queryset=AssessmentDomain.objects.select_related("domain").order_by("domain__order"))
    )


def current_assessment(case: Case) -> Assessment | None:
    """The latest version; earlier ones stay readable through `assessment_history`."""
    return _with_domains(case.assessments.order_by("-number")).first()


def assessment_version(case: Case, number: int) -> Assessment | None:
    return _with_domains(case.assessments.filter(number=number)).first()


def assessment_history(case: Case) -> list[Assessment]:
    return list(case.assessments.select_related("created_by").order_by("-number"))


def signalled_domain_ids(case: Case) -> set[int]:
    """The domains the referrers signalled, to open first in the assessment form."""
    return set(case.referrals.values_list("domains", flat=True)) - {None}


def plan_goals(case: Case) -> list[PlanGoal]:
    """The goals in the order they were agreed (so "goal 1" stays goal 1), each with its actions by date."""
    actions = PlanAction.objects.order_by(F("due_date").asc(nulls_last=True), "pk")
    return list(
        case.plan_goals.select_related("domain")
        .prefetch_related(Prefetch("actions", queryset=actions))
        .order_by("created_at", "pk")
    )


# --- The agenda --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaDay:
    day: date
    visits: list[Visit]


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def agenda_is_team(user) -> bool:
    """A planner sees her team's agenda; a nurse her own."""
    return access.has_role(user, Role.PLANNER)


def _agenda_visits(user, *, nurse_id: int | None) -> QuerySet[Visit]:
    cases = access.visible_cases(user).exclude(status=Status.CLOSED)
    visits = Visit.objects.filter(status=VisitStatus.PLANNED, case__in=cases.values("pk"))
    if agenda_is_team(user):
        teams = [m.organisation_id for m in access.memberships_with(user, Role.PLANNER)]
        own = Q(case__nurse=user) | Q(nurse=user)
        visits = visits.filter(Q(case__organisation_id__in=teams) | own)
        if nurse_id:
            visits = visits.filter(Q(case__nurse_id=nurse_id) | Q(nurse_id=nurse_id))
    else:
        visits = visits.filter(Q(case__nurse=user) | Q(nurse=user))
    return visits.select_related("case", "case__client", "case__nurse", "nurse").order_by("scheduled_at", "pk")


def agenda(user, *, nurse_id: int | None = None, today: date | None = None) -> list[AgendaDay]:
    """Planned visits from today on, grouped by day."""
    today = today or timezone.localdate()
    visits = _agenda_visits(user, nurse_id=nurse_id).filter(scheduled_at__gte=_start_of(today))
    return [
        AgendaDay(day, list(group))
        for day, group in groupby(visits, key=lambda v: timezone.localtime(v.scheduled_at).date())
    ]


def overdue_visits(user, *, nurse_id: int | None = None, today: date | None = None) -> list[Visit]:
    """Planned visits whose day has passed without being recorded as held or cancelled."""
    today = today or timezone.localdate()
    return list(_agenda_visits(user, nurse_id=nurse_id).filter(scheduled_at__lt=_start_of(today)))


def agenda_nurses(user) -> list:
    """The nurses a planner can filter her team's agenda on."""
    from kansrijk.cases.services import nurses_of

    nurses = []
    for m in access.memberships_with(user, Role.PLANNER):
        nurses += [n for n in nurses_of(m.organisation).order_by("full_name") if n not in nurses]
    return nurses
