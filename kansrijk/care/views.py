"""Pages of the nurse's work: record forms of a case, the visit and assessment pages, the agenda."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kansrijk import access
from kansrijk.audit.models import Action
from kansrijk.audit.services import audit_log_many
from kansrijk.organisations.models import Role

from . import selectors, services
from .forms import (
    ActionEditForm,
    ActionForm,
    AssessmentForm,
    ContactAttemptForm,
    GoalEditForm,
    GoalForm,
    ToggleForm,
    VisitCancelForm,
    VisitHeldForm,
    VisitMarkHeldForm,
    VisitPlanForm,
    VisitRescheduleForm,
    assessment_initial,
)
from .models import VisitStatus

# --- Helpers ------------------------------------------------------------------------------------------------------


def _action(request) -> str:
    return Action.UPDATE if request.method == "POST" else Action.READ


def _refusal(request, case):
    """The page for someone who may read the case but not work on it (closed, or not her case)."""
    try:
        services.check_can_work(request.user, case)
    except PermissionDenied as error:
        return render(
            request, "care/not_allowed.html", {"case": case, "client": case.client, "message": str(error)}, status=403
        )
    return None


def _save(bound_form, service: Callable[..., object], /, **arguments) -> bool:
    """Run a service; its refusal becomes an error on the form."""
    try:
        service(**arguments)
    except (ValidationError, PermissionDenied) as error:
        for message in getattr(error, "messages", [str(error)]):
            bound_form.add_error(None, message)
        return False
    return True


def _back(case, anchor: str):
    return redirect(f"{case.get_absolute_url()}#{anchor}")


def _form_page(request, case, form, *, title, submit, intro="", danger=False, extra=None):
    context = {
        "case": case,
        "client": case.client,
        "form": form,
        "title": title,
        "intro": intro,
        "submit": submit,
        "danger": danger,
    }
    context.update(extra or {})
    return render(request, "care/form_page.html", context, status=400 if form.is_bound else 200)


# --- Contact attempts ---------------------------------------------------------------------------------------------


@login_required
def contact_new(request, case_pk: int):
    case = access.get_case(request, case_pk, action=_action(request), description="contact attempt form")
    if refused := _refusal(request, case):
        return refused
    form = ContactAttemptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _save(
            form,
            services.contact_attempt_record,
            request=request,
            case=case,
            at=data["at"],
            method=data["method"],
            reached=data["reached"],
            note=data["note"],
            submission_key=data["submission_key"],
        ):
            messages.success(request, _("The contact attempt has been recorded."))
            return _back(case, "care-contacts")
    return _form_page(request, case, form, title=_("Record a contact attempt"), submit=_("Record"))


# --- Visits -------------------------------------------------------------------------------------------------------


@login_required
def visit_plan(request, case_pk: int):
    case = access.get_case(request, case_pk, action=_action(request), description="visit plan form")
    if refused := _refusal(request, case):
        return refused
    form = VisitPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _save(
            form,
            services.visit_plan,
            request=request,
            case=case,
            scheduled_at=data["scheduled_at"],
            form=data["form"],
            location=data["location"],
            submission_key=data["submission_key"],
        ):
            messages.success(request, _("The visit has been planned; it is on the agenda."))
            return _back(case, "care-visits")
    return _form_page(
        request,
        case,
        form,
        title=_("Plan a visit"),
        submit=_("Plan"),
        intro=_("The visit is planned for the nurse of this case and shows on her agenda."),
    )


@login_required
def visit_new_held(request, case_pk: int):
    case = access.get_case(request, case_pk, action=_action(request), description="visit held form")
    if refused := _refusal(request, case):
        return refused
    form = VisitHeldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        key = form.cleaned_data["submission_key"]
        if _save(form, services.visit_record_held, request=request, case=case, held=form.held(), submission_key=key):
            messages.success(request, _("The visit has been recorded."))
            return _back(case, "care-visits")
    return _form_page(
        request,
        case,
        form,
        title=_("Record a visit held"),
        submit=_("Record"),
        intro=_(
            "For a visit that took place without being planned here. A planned visit is recorded from its own page."
        ),
    )


@login_required
def visit_detail(request, pk: int):
    visit = selectors.get_visit(request, pk, description="visit page")
    case = visit.case
    return render(
        request,
        "care/visit_detail.html",
        {"visit": visit, "case": case, "client": case.client, "can_work": access.can_work_on(request.user, case)},
    )


@login_required
def visit_report(request, pk: int):
    """Record a planned visit as held, or correct what was recorded about a held visit."""
    visit = selectors.get_visit(request, pk, action=_action(request), description="visit report form")
    case = visit.case
    if refused := _refusal(request, case):
        return refused
    if visit.status == VisitStatus.CANCELLED:
        messages.error(request, _("A cancelled visit cannot be recorded as held."))
        return redirect("care:visit_detail", pk=visit.pk)
    planned = visit.status == VisitStatus.PLANNED
    initial = {
        "version": visit.version,
        "scheduled_at": visit.scheduled_at,
        "form": visit.form,
        "location": visit.location,
        "duration_minutes": visit.duration_minutes,
        "partner_present": visit.partner_present,
        "others_present": visit.others_present,
        "interpreter_used": visit.interpreter_used,
        "notes": visit.notes,
    }
    form = VisitMarkHeldForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        service = services.visit_mark_held if planned else services.visit_correct_held
        if _save(
            form,
            service,
            request=request,
            visit=visit,
            held=form.held(),
            expected_version=form.cleaned_data["version"],
        ):
            messages.success(request, _("The visit has been recorded."))
            return redirect("care:visit_detail", pk=visit.pk)
    return _form_page(
        request,
        case,
        form,
        title=_("Record the visit as held") if planned else _("Correct the visit record"),
        submit=_("Save"),
        intro=_("Record how the visit went. If it took place at another moment, change the date and time.")
        if planned
        else "",
    )


@login_required
def visit_reschedule(request, pk: int):
    visit = selectors.get_visit(request, pk, action=_action(request), description="visit reschedule form")
    case = visit.case
    if refused := _refusal(request, case):
        return refused
    if visit.status != VisitStatus.PLANNED:
        messages.error(request, _("Only a planned visit can be moved."))
        return redirect("care:visit_detail", pk=visit.pk)
    initial = {
        "version": visit.version,
        "scheduled_at": visit.scheduled_at,
        "form": visit.form,
        "location": visit.location,
    }
    form = VisitRescheduleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _save(
            form,
            services.visit_reschedule,
            request=request,
            visit=visit,
            scheduled_at=data["scheduled_at"],
            form=data["form"],
            location=data["location"],
            expected_version=data["version"],
        ):
            messages.success(request, _("The visit has been moved."))
            return redirect("care:visit_detail", pk=visit.pk)
    return _form_page(request, case, form, title=_("Move the visit"), submit=_("Save"))


@login_required
def visit_cancel(request, pk: int):
    visit = selectors.get_visit(request, pk, action=_action(request), description="visit cancel form")
    case = visit.case
    if refused := _refusal(request, case):
        return refused
    if visit.status != VisitStatus.PLANNED:
        messages.error(request, _("Only a planned visit can be cancelled."))
        return redirect("care:visit_detail", pk=visit.pk)
    form = VisitCancelForm(request.POST or None, initial={"version": visit.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _save(
            form,
            services.visit_cancel,
            request=request,
            visit=visit,
            note=data["note"],
            expected_version=data["version"],
        ):
            messages.success(request, _("The visit has been cancelled."))
            return _back(case, "care-visits")
    return _form_page(
        request,
        case,
        form,
        title=_("Cancel the visit"),
        submit=_("Cancel the visit"),
        danger=True,
        extra={"visit": visit},
    )


# --- Assessment ---------------------------------------------------------------------------------------------------


def _assessment_page(request, case, assessment):
    history = selectors.assessment_history(case)
    return render(
        request,
        "care/assessment_detail.html",
        {
            "case": case,
            "client": case.client,
            "assessment": assessment,
            "history": history,
            "is_current": assessment is None or history[0].pk == assessment.pk,
            "can_work": access.can_work_on(request.user, case),
        },
    )


@login_required
def assessment_current(request, case_pk: int):
    case = access.get_case(request, case_pk, description="assessment page")
    return _assessment_page(request, case, selectors.current_assessment(case))


@login_required
def assessment_version(request, case_pk: int, number: int):
    case = access.get_case(request, case_pk, description=f"assessment version {number}")
    assessment = selectors.assessment_version(case, number)
    if assessment is None:
        raise Http404("no such version of the assessment")
    return _assessment_page(request, case, assessment)


@login_required
def assessment_new(request, case_pk: int):
    case = access.get_case(request, case_pk, action=_action(request), description="assessment form")
    if refused := _refusal(request, case):
        return refused
    domains = services.assessment_domains(case)
    current = selectors.current_assessment(case)
    form = AssessmentForm(request.POST or None, initial=assessment_initial(current), domains=domains)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _save(
            form,
            services.assessment_record,
            request=request,
            case=case,
            based_on=data["based_on"],
            family_questions=data["family_questions"],
            support_needed=data["support_needed"],
            conclusion=data["conclusion"],
            domains=form.domain_parts(),
            submission_key=data["submission_key"],
        ):
            messages.success(request, _("The assessment has been recorded."))
            return redirect("care:assessment", case_pk=case.pk)
    return render(
        request,
        "care/assessment_form.html",
        {
            "case": case,
            "client": case.client,
            "form": form,
            "current": current,
            "signalled": selectors.signalled_domain_ids(case),
        },
        status=400 if form.is_bound else 200,
    )


# --- Plan ---------------------------------------------------------------------------------------------------------


@login_required
def goal_new(request, case_pk: int):
    case = access.get_case(request, case_pk, action=_action(request), description="plan goal form")
    if refused := _refusal(request, case):
        return refused
    form = GoalForm(request.POST or None, domains=services.assessment_domains(case))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _save(
            form,
            services.goal_create,
            request=request,
            case=case,
            goal=data["goal"],
            domain=data["domain"],
            submission_key=data["submission_key"],
        ):
            messages.success(request, _("The goal has been added to the plan."))
            return _back(case, "care-plan")
    return _form_page(
        request,
        case,
        form,
        title=_("Add a goal to the plan"),
        submit=_("Add"),
        intro=_("Write the goal as the family says it. Actions (who does what, by when) are added to the goal next."),
    )


@login_required
def goal_edit(request, pk: int):
    goal = selectors.get_goal(request, pk, action=_action(request), description="plan goal edit form")
    case = goal.case
    if refused := _refusal(request, case):
        return refused
    form = GoalEditForm(
        request.POST or None,
        initial={"version": goal.version, "goal": goal.goal, "domain": goal.domain_id},
        domains=services.assessment_domains(case),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _save(
            form,
            services.goal_update,
            request=request,
            goal=goal,
            text=data["goal"],
            domain=data["domain"],
            expected_version=data["version"],
        ):
            messages.success(request, _("The goal has been changed."))
            return _back(case, "care-plan")
    return _form_page(request, case, form, title=_("Change the goal"), submit=_("Save"))


def _toggle(request, case, change):
    """Tick a goal achieved or an action done: `change(done, version)` calls the service."""
    form = ToggleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Something went wrong; nothing was saved. Try again."))
    elif _save(form, change, done=form.cleaned_data["done"], version=form.cleaned_data["version"]):
        messages.success(request, _("The plan has been updated."))
    else:
        messages.error(request, " ".join(form.non_field_errors()))
    return _back(case, "care-plan")


@login_required
@require_POST
def goal_achieved(request, pk: int):
    goal = selectors.get_goal(request, pk, action=Action.UPDATE, description="plan goal achieved")
    case = goal.case
    if refused := _refusal(request, case):
        return refused
    return _toggle(
        request,
        case,
        lambda done, version: services.goal_set_achieved(
            request=request, goal=goal, achieved=done, expected_version=version
        ),
    )


@login_required
def action_new(request, goal_pk: int):
    goal = selectors.get_goal(request, goal_pk, action=_action(request), description="plan action form")
    case = goal.case
    if refused := _refusal(request, case):
        return refused
    form = ActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _save(
            form,
            services.action_create,
            request=request,
            goal=goal,
            action=data["action"],
            responsible=data["responsible"],
            due_date=data["due_date"],
            submission_key=data["submission_key"],
        ):
            messages.success(request, _("The action has been added."))
            return _back(case, "care-plan")
    return _form_page(request, case, form, title=_("Add an action"), submit=_("Add"), extra={"goal": goal})


@login_required
def action_edit(request, pk: int):
    plan_action = selectors.get_action(request, pk, action=_action(request), description="plan action edit form")
    case = plan_action.goal.case
    if refused := _refusal(request, case):
        return refused
    initial = {
        "version": plan_action.version,
        "action": plan_action.action,
        "responsible": plan_action.responsible,
        "due_date": plan_action.due_date,
    }
    form = ActionEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _save(
            form,
            services.action_update,
            request=request,
            action=plan_action,
            text=data["action"],
            responsible=data["responsible"],
            due_date=data["due_date"],
            expected_version=data["version"],
        ):
            messages.success(request, _("The action has been changed."))
            return _back(case, "care-plan")
    return _form_page(
        request, case, form, title=_("Change the action"), submit=_("Save"), extra={"goal": plan_action.goal}
    )


@login_required
@require_POST
def action_done(request, pk: int):
    plan_action = selectors.get_action(request, pk, action=Action.UPDATE, description="plan action done")
    case = plan_action.goal.case
    if refused := _refusal(request, case):
        return refused
    return _toggle(
        request,
        case,
        lambda done, version: services.action_set_done(
            request=request, action=plan_action, done=done, expected_version=version
        ),
    )


# --- Agenda -------------------------------------------------------------------------------------------------------


@login_required
def agenda(request):
    access.require(access.has_role(request.user, Role.NURSE, Role.PLANNER), "agenda")
    team = selectors.agenda_is_team(request.user)
    nurses = selectors.agenda_nurses(request.user) if team else []
    nurse_param = request.GET.get("nurse", "")
    nurse_id = (
        int(nurse_param) if team and nurse_param.isdigit() and int(nurse_param) in {n.pk for n in nurses} else None
    )
    days = selectors.agenda(request.user, nurse_id=nurse_id)
    overdue = selectors.overdue_visits(request.user, nurse_id=nurse_id)
    shown = {v.case.pk: v.case for v in overdue}
    shown.update({v.case.pk: v.case for day in days for v in day.visits})
    audit_log_many(
        request,
        action=Action.LIST,
        description="agenda",
        rows=[(c.client_id, c.pk, access.membership_for_case(request.user, c)) for c in shown.values()],
    )
    return render(
        request,
        "care/agenda.html",
        {"days": days, "overdue": overdue, "team": team, "nurses": nurses, "nurse_id": nurse_id},
    )
