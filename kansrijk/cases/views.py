from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kansrijk import access
from kansrijk.audit.models import Action
from kansrijk.audit.services import audit_log_many
from kansrijk.organisations.models import Role

from . import selectors
from .forms import ReassignForm, RouteForm, form_for
from .models import Status
from .sections import case_sections
from .services import case_reassign, case_route, case_transition
from .workflow import TRANSITIONS, transitions_from


def _log_list(request, cases, description: str) -> None:
    audit_log_many(
        request,
        action=Action.LIST,
        description=description,
        rows=[(c.client_id, c.pk, access.membership_for_case(request.user, c)) for c in cases],
    )


@login_required
def intake_queue(request):
    access.require(access.has_role(request.user, Role.PLANNER, Role.ADMINISTRATOR), "intake queue")
    cases = list(selectors.intake_queue(request.user))
    _log_list(request, cases, "intake queue")
    return render(request, "cases/intake_queue.html", {"cases": cases})


@login_required
def team_cases(request):
    access.require(access.has_role(request.user, Role.PLANNER), "team cases")
    nurse_id = request.GET.get("nurse", "")
    status = request.GET.get("status", "")
    cases = list(
        selectors.team_cases(
            request.user,
            nurse_id=int(nurse_id) if nurse_id.isdigit() else None,
            status=status if status in Status.values else "",
        )
    )
    _log_list(request, cases, "team cases")
    organisations = [m.organisation for m in access.memberships_with(request.user, Role.PLANNER)]
    return render(
        request,
        "cases/team_cases.html",
        {
            "cases": cases,
            "caseloads": [(org, selectors.nurse_caseloads(org)) for org in organisations],
            "statuses": [c for c in Status.choices if c[0] != Status.CLOSED],
            "nurse_id": nurse_id,
            "status": status,
        },
    )


@login_required
def my_cases(request):
    access.require(access.has_role(request.user, Role.NURSE), "my cases")
    include_closed = request.GET.get("closed") == "1"
    cases = list(selectors.my_cases(request.user, include_closed=include_closed))
    _log_list(request, cases, "my cases")
    return render(request, "cases/my_cases.html", {"cases": cases, "include_closed": include_closed})


def _action_forms(request, case, bound=None):
    """One form per transition this user may make now; `bound` replaces the one that was posted."""
    forms = []
    for transition in transitions_from(case.status):
        if not access.can_transition(request.user, case, transition):
            continue
        if bound is not None and bound[0] == transition.name:
            form = bound[1]
        else:
            kwargs = {"initial": {"version": case.version}}
            if transition.needs_nurse:
                kwargs["caseloads"] = selectors.nurse_caseloads(case.organisation)
            form = form_for(transition.name)(**kwargs)
        forms.append((transition, form))
    return forms


def _reassign_form(case, data=None):
    return ReassignForm(
        data,
        initial={"version": case.version},
        caseloads=selectors.nurse_caseloads(case.organisation),
        exclude=case.nurse,
    )


def _render_case(request, case, bound=None, route_form=None, reassign_form=None, status=200):
    if route_form is None and access.can_route(request.user, case):
        route_form = RouteForm(initial={"version": case.version}, region=case.region)
    if reassign_form is None and access.can_reassign(request.user, case):
        reassign_form = _reassign_form(case)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "client": case.client,
            "referrals": selectors.case_referrals(case),
            "timeline": selectors.case_timeline(case),
            "action_forms": _action_forms(request, case, bound),
            "route_form": route_form,
            "reassign_form": reassign_form,
            "sections": case_sections(request, case),
        },
        status=status,
    )


@login_required
def case_detail(request, pk: int):
    case = access.get_case(request, pk)
    return _render_case(request, case)


@login_required
@require_POST
def case_action(request, pk: int, name: str):
    case = access.get_case(request, pk, action=Action.UPDATE, description=f"case action {name}")
    transition = TRANSITIONS.get(name)
    if transition is None or not access.can_transition(request.user, case, transition):
        messages.error(request, _("This action is not possible for this case now."))
        return redirect(case)
    kwargs = {"caseloads": selectors.nurse_caseloads(case.organisation)} if transition.needs_nurse else {}
    form = form_for(name)(request.POST, **kwargs)
    if form.is_valid():
        data = form.cleaned_data
        try:
            case_transition(
                request=request,
                case=case,
                name=name,
                nurse=data.get("nurse"),
                reason=data.get("reason", ""),
                note=data.get("note", ""),
                expected_version=data["version"],
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            return redirect(case)
        messages.success(request, _("Saved: %(action)s.") % {"action": transition.label})
        if name in ("assign", "reject"):
            return redirect("cases:intake")
        return redirect(case)
    return _render_case(request, case, bound=(name, form), status=400)


@login_required
@require_POST
def case_route_view(request, pk: int):
    case = access.get_case(request, pk, action=Action.UPDATE, description="case route")
    form = RouteForm(request.POST, region=case.region)
    if not form.is_valid():
        return _render_case(request, case, route_form=form, status=400)
    try:
        case_route(
            request=request,
            case=case,
            organisation=form.cleaned_data["organisation"],
            expected_version=form.cleaned_data["version"],
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect(case)
    messages.success(request, _("The case has been passed to %(org)s.") % {"org": case.organisation.name})
    return redirect("cases:intake")


@login_required
@require_POST
def case_reassign_view(request, pk: int):
    case = access.get_case(request, pk, action=Action.UPDATE, description="case reassign")
    if not access.can_reassign(request.user, case):
        messages.error(request, _("This action is not possible for this case now."))
        return redirect(case)
    form = _reassign_form(case, request.POST)
    if not form.is_valid():
        return _render_case(request, case, reassign_form=form, status=400)
    try:
        case_reassign(
            request=request, case=case, nurse=form.cleaned_data["nurse"], expected_version=form.cleaned_data["version"]
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect(case)
    messages.success(request, _("The case is now with %(nurse)s.") % {"nurse": case.nurse.display_name})
    return redirect(case)
